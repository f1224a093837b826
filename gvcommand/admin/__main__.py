"""``python -m gvcommand.admin``: the same as ``gvcommand-admin``."""

from . import cli

cli()
