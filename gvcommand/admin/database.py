"""gvcommand-admin for the database itself: init (schema), verify-log (the hash chain and
the data kept beside the log), snapshot (fast replay)."""

from __future__ import annotations

import sys

import click

from ..store.event_store import EventStore
from ._common import EXIT_BROKEN_CHAIN, AdminContext, clear_errors


@click.command()
@click.pass_obj
@clear_errors
def init(obj: AdminContext) -> None:
    """Create the schema, or upgrade it to this program's version."""
    store = obj.store(upgrade=True)
    from ..store.db import current_revision

    click.echo(f"schema {current_revision(store.engine)} ready in {store.url.display}")


@click.command("verify-log")
@click.option("--head", "head", metavar="SEQ:HASH",
              help="a head recorded earlier (e.g. in the shift handover book): also checks "
              "that the log still contains it unchanged")
@click.pass_obj
@clear_errors
def verify_log(obj: AdminContext, head: str | None) -> None:
    """Recompute the hash chain of the event log; exit 0 when it holds, 3 when not."""
    from ..core.events import verify_chain

    store = obj.store()
    seq, digest, _ = store.head()
    report = store.verify()
    if report.ok and head:
        want_seq, _, want_hash = head.partition(":")
        if not want_seq.isdigit() or len(want_hash) != 64:
            raise click.BadParameter("expected SEQ:HASH (64 hex digits)", param_hint="--head")
        report = verify_chain(store.iter_events(), expected_head=(int(want_seq), want_hash))
    if report.ok:
        click.echo(f"the log holds: {report.checked} events verified; head {seq}:{digest}")
        _verify_beside_the_log(store)
        return
    click.echo(f"THE LOG IS BROKEN at event {report.first_bad_seq}: {report.reason}", err=True)
    click.echo(f"events 1–{report.head_seq} verified before it", err=True)
    sys.exit(EXIT_BROKEN_CHAIN)


def _verify_beside_the_log(store: EventStore) -> None:
    """Ward polygons and road segments are kept beside the log; their import events carry
    their digests. Exit 3 when what is stored is not what was imported."""
    from ..store.boundaries import verify_polygons
    from ..store.places import verify_places
    from ..store.roads import load_networks, verify_roads

    problems = verify_polygons(store) + verify_roads(store) + verify_places(store)
    if problems:
        for problem in problems:
            click.echo(f"DATA BESIDE THE LOG WAS CHANGED: {problem}", err=True)
        sys.exit(EXIT_BROKEN_CHAIN)
    networks = load_networks(store)
    if networks:
        segments = sum(n.segment_count for n in networks)
        click.echo(f"road networks: {len(networks)} ({segments} segments) match their imports")


@click.command()
@click.option("--every", default=2000, show_default=True, help="events between snapshots")
@click.pass_obj
@clear_errors
def snapshot(obj: AdminContext, every: int) -> None:
    """Write the missing state snapshots (they make replay to any time fast)."""
    written = obj.store().ensure_snapshots(every=every)
    click.echo(f"{written} snapshot(s) written")


COMMANDS = (init, verify_log, snapshot)
