"""gvcommand.geo layer (see ARCHITECTURE.md); filled in by later issues."""
