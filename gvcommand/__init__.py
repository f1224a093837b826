"""gvcommand: command and dispatch console for a district police camera and dispatch centre."""

__version__ = "0.1.0"
