"""`gvcommand-admin`: operations on a gvcommand database (schema, users, units, the log).

Run on a machine with database access; it acts as ``cli:<OS user>`` with administrator
rights, and every change it makes is an event in the log like any other.
"""

# (This docstring is the command's --help. The commands live one module per area, each
# listing them in COMMANDS; what they share is in _common.)

from __future__ import annotations

import os

import click

from . import (
    boundaries,
    camera_views,
    cameras,
    database,
    demo_data,
    devices,
    places,
    reports,
    roads,
    units,
    users,
)
from ._common import AdminContext, console

__all__ = ["cli"]


@click.group(help=__doc__)
@click.option("--db", metavar="URL", help="database URL (else $GVCOMMAND_DB, else the "
              "embedded SQLite database in the platform data directory)")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    from ..logsetup import configure_logging

    configure_logging(console(), level=os.environ.get("GVCOMMAND_LOG_LEVEL", "WARNING"))
    ctx.obj = AdminContext(db)


for _area in (database, users, boundaries, units, roads, places, devices, cameras,
              camera_views, reports, demo_data):
    for _command in _area.COMMANDS:
        cli.add_command(_command)
