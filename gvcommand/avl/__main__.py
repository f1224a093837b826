"""``python -m gvcommand.avl``: the same as the gvcommand-avl command."""

from .cli import cli

cli()
