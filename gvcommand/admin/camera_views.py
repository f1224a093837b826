"""gvcommand-admin camera-views: who watched which camera, from which console, when and for
how long (the live-view audit, from the camera_view events)."""

from __future__ import annotations

import csv
import sys
from datetime import datetime
from typing import Any

import click
from sqlalchemy import select

from ..core.centre_time import CENTRE_TZ
from ..store import schema
from ._common import AdminContext, clear_errors


@click.command("camera-views")
@click.option("--from", "start", metavar='"YYYY-MM-DD HH:MM"',
              help="from this time (Vietnam time; default: the last 24 hours)")
@click.option("--to", "end", metavar='"YYYY-MM-DD HH:MM"', help="until (default: now)")
@click.option("--camera", "code", help="one camera only")
@click.option("--csv", "as_csv", is_flag=True, help="CSV on standard output")
@click.pass_obj
@clear_errors
def camera_views(obj: AdminContext, start: str | None, end: str | None, code: str | None,
                 as_csv: bool) -> None:
    """Who watched which camera, from which console, when and for how long (the
    live-view audit)."""
    from ..analysis.camera_audit import VIEW_KINDS, view_sessions

    now_us = int(datetime.now(VIETNAM).timestamp() * 1e6)
    to_us = _minute(end, "--to") if end else now_us
    from_us = _minute(start, "--from") if start else to_us - 86_400_000_000
    if to_us <= from_us:
        raise click.UsageError("--to must be after --from")
    store = obj.store()
    q = (select(schema.events).where(schema.events.c.kind.in_(VIEW_KINDS))
         .where(schema.events.c.ts_us >= from_us).where(schema.events.c.ts_us < to_us))
    if code:
        q = q.where(schema.events.c.subject == f"camera_view:{code}")
    with store.engine.connect() as conn:
        rows = [_stored(r) for r in conn.execute(q.order_by(schema.events.c.seq))]
    sessions = view_sessions(rows)
    header = ["camera", "user", "console", "stream", "started", "stopped", "seconds",
              "purpose", "stop_reason", "view_id"]
    table = [[s.camera, s.actor, s.console, s.stream or "", _local(s.started_us),
              _local(s.stopped_us),
              "" if s.duration_s() is None else f"{s.duration_s():.0f}",
              s.purpose or "", s.stop_reason or "", s.view_id] for s in sessions]
    if as_csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(table)
        return
    for line in table:
        click.echo("  ".join(str(x) for x in line[:9]))
    total = sum(s.duration_s() or 0.0 for s in sessions)
    click.echo(f"{len(sessions)} view(s), {total / 60:.1f} min watched")


VIETNAM = CENTRE_TZ


def _minute(text: str, option: str) -> int:
    try:
        moment = datetime.strptime(text.strip(), "%Y-%m-%d %H:%M").replace(tzinfo=VIETNAM)
    except ValueError:
        raise click.BadParameter(f'expected "YYYY-MM-DD HH:MM", not {text!r}',
                                 param_hint=option) from None
    return int(moment.timestamp() * 1_000_000)


def _local(us: int | None) -> str:
    if us is None:
        return "?"
    return datetime.fromtimestamp(us / 1e6, VIETNAM).strftime("%Y-%m-%d %H:%M:%S")


def _stored(r: Any) -> Any:
    from ..core.events import StoredEvent

    return StoredEvent(int(r.seq), int(r.ts_us), r.actor, r.console, r.kind, r.subject,
                       r.payload, r.prev_hash, r.hash)


COMMANDS = (camera_views,)
