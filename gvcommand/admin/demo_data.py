"""gvcommand-admin seed-demo: generated DEMO data, into a database of its own."""

from __future__ import annotations

import click
from sqlalchemy import select

from ..core.errors import DomainError
from ..store import schema
from ._common import AdminContext, clear_errors


@click.command("seed-demo")
@click.option("--days", default=365, show_default=True, type=click.IntRange(1, 3650),
              help="days of incidents, back from now")
@click.option("--seed", default=7, show_default=True, help="the same seed makes the same data")
@click.pass_obj
@clear_errors
def seed_demo_cmd(obj: AdminContext, days: int, seed: int) -> None:
    """Fill a demo database with generated DEMO data: a synthetic district with 16 → 12 → 6
    wards, units, cameras, complex points and incidents. Refused on a database with users
    (a real centre's log is append-only: demo data could never be taken out again)."""
    from ..demo.seed import seed_demo

    store = obj.store()
    with store.engine.connect() as conn:
        users = conn.execute(  # the desktop demo's own user is no real user
            select(schema.users.c.name).where(schema.users.c.name != "demo").limit(3)
        ).scalars().all()
    if users:
        raise DomainError(
            f"{store.url.display} has users ({', '.join(users)}): demo data goes only into a "
            "database of its own (e.g. --db sqlite:///demo.sqlite)"
        )

    def progress(phase: str, done: int, total: int) -> None:
        if done == total:
            click.echo(f"… {phase} done", err=True)

    summary = seed_demo(store, days=days, seed=seed, progress=progress)
    for line in summary.lines():
        click.echo(line)


COMMANDS = (seed_demo_cmd,)
