"""gvcommand-admin report: the shift report as PDF or CSV.

Registered on the admin command group by ``gvcommand.admin`` (like the device commands), so
that the admin module stays about users, wards and data.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from .analysis.shift_report import VIETNAM_TZ, build, write_csv
from .store.event_store import EventStore

F = TypeVar("F", bound=Callable[..., Any])
TIME_FORMAT = "%Y-%m-%d %H:%M"


def _moment(text: str, option: str) -> int:
    """"YYYY-MM-DD HH:MM" in the centre's time (Asia/Ho_Chi_Minh), whatever the machine's."""
    try:
        moment = datetime.strptime(text.strip(), TIME_FORMAT).replace(tzinfo=VIETNAM_TZ)
    except ValueError:
        raise click.BadParameter(f"expected \"YYYY-MM-DD HH:MM\", not {text!r}",
                                 param_hint=option) from None
    return round(moment.timestamp() * 1_000_000)


def write_report_pdf(report: Any, out: Path) -> None:
    """Render through Qt's PDF writer; an offscreen application when none runs (a server)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from .ui.shift_report_pdf import write_pdf

    app = QGuiApplication.instance() or QGuiApplication(["gvcommand-admin"])
    write_pdf(report, out)
    del app


def add_commands(cli: click.Group, clear_errors: Callable[[F], F]) -> None:
    @cli.group("report")
    def report() -> None:
        """Reports from the event log."""

    @report.command("shift")
    @click.option("--from", "start", required=True, metavar='"YYYY-MM-DD HH:MM"',
                  help="start of the shift, Vietnam time (e.g. \"2026-11-28 06:00\")")
    @click.option("--to", "end", required=True, metavar='"YYYY-MM-DD HH:MM"',
                  help="end of the shift, Vietnam time (e.g. \"2026-11-28 18:00\")")
    @click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
                  help="FILE.pdf (with charts) or FILE.csv")
    @click.option("--include-exercise", is_flag=True,
                  help="count exercise (diễn tập) incidents too; left out by default")
    @click.pass_obj
    @clear_errors
    def shift(obj: Any, start: str, end: str, out: Path, include_exercise: bool) -> None:
        """Shift report: incidents by type and ward, response intervals (median and 90th
        percentile), incidents still open at the end, units' time by status."""
        start_us, end_us = _moment(start, "--from"), _moment(end, "--to")
        if end_us <= start_us:
            raise click.BadParameter("the shift must end after it starts", param_hint="--to")
        suffix = out.suffix.lower()
        if suffix not in (".pdf", ".csv"):
            raise click.BadParameter("the file must end in .pdf or .csv", param_hint="--out")
        store: EventStore = obj.store()
        t0 = time.perf_counter()
        data = build(store, start_us, end_us, include_exercise=include_exercise,
                     now_us=time.time_ns() // 1000)
        try:
            if suffix == ".csv":
                write_csv(data, out)
            else:
                write_report_pdf(data, out)
        except OSError as exc:
            raise click.ClickException(f"{out}: cannot be written ({exc.strerror})") from None
        click.echo(f"{out}: {data.received} incidents, {len(data.open_incidents)} still open, "
                   f"{len(data.unit_time_s)} units ({time.perf_counter() - t0:.1f} s)")
