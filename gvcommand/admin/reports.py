"""gvcommand-admin report: the shift report as PDF or CSV."""

from __future__ import annotations

import os
import time
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path
from typing import Any

import click

from ..analysis.shift_report import SHIFT_BOUNDARIES, VIETNAM_TZ, build, shift_bounds, write_csv
from ._common import AdminContext, clear_errors

TIME_FORMAT = "%Y-%m-%d %H:%M"


def _moment(text: str, option: str) -> int:
    """"YYYY-MM-DD HH:MM" in the centre's time (Asia/Ho_Chi_Minh), whatever the machine's."""
    try:
        moment = datetime.strptime(text.strip(), TIME_FORMAT).replace(tzinfo=VIETNAM_TZ)
    except ValueError:
        raise click.BadParameter(f"expected \"YYYY-MM-DD HH:MM\", not {text!r}",
                                 param_hint=option) from None
    return round(moment.timestamp() * 1_000_000)


def _clock(text: str, option: str) -> clock:
    try:
        return datetime.strptime(text.strip(), "%H:%M").time()
    except ValueError:
        raise click.BadParameter(f"expected HH:MM (e.g. 06:00), not {text!r}",
                                 param_hint=option) from None


def _period(start: str | None, end: str | None, shift: str | None, day: str | None,
            day_starts: str | None, night_starts: str | None) -> tuple[int, int]:
    """The shift as [start_us, end_us): either --from/--to, or --shift and --date with the
    centre's shift boundaries (06:00 and 18:00 unless --day-starts/--night-starts say)."""
    by_times = start is not None or end is not None
    by_shift = shift is not None or day is not None
    if by_times and by_shift:
        raise click.UsageError("give either --from and --to, or --shift and --date, not both")
    if not by_shift and (day_starts or night_starts):
        raise click.UsageError("--day-starts and --night-starts go with --shift and --date")
    if by_shift:
        if shift is None or day is None:
            raise click.UsageError("--shift and --date go together (e.g. --shift night "
                                   "--date 2026-11-28: the night from that evening)")
        try:
            on = date.fromisoformat(day.strip())
        except ValueError:
            raise click.BadParameter(f"expected YYYY-MM-DD, not {day!r}",
                                     param_hint="--date") from None
        first = _clock(day_starts, "--day-starts") if day_starts else SHIFT_BOUNDARIES[0]
        second = _clock(night_starts, "--night-starts") if night_starts else SHIFT_BOUNDARIES[1]
        if not first < second:
            raise click.BadParameter(
                f"the day shift must start before the night shift ({first:%H:%M} is not "
                f"before {second:%H:%M})", param_hint="--day-starts/--night-starts")
        t0, t1 = shift_bounds(datetime.combine(on, clock()), night=shift == "night",
                              boundaries=(first, second), tz=VIETNAM_TZ)
        return round(t0.timestamp() * 1_000_000), round(t1.timestamp() * 1_000_000)
    if start is None or end is None:
        raise click.UsageError("give --from and --to (or --shift and --date)")
    start_us, end_us = _moment(start, "--from"), _moment(end, "--to")
    if end_us <= start_us:
        raise click.BadParameter("the shift must end after it starts", param_hint="--to")
    return start_us, end_us


def write_report_pdf(report: Any, out: Path) -> None:
    """Render through Qt's PDF writer; an offscreen application when none runs (a server)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from ..ui.shift_report_pdf import write_pdf

    app = QGuiApplication.instance() or QGuiApplication(["gvcommand-admin"])
    write_pdf(report, out)
    del app


@click.group("report")
def report() -> None:
    """Reports from the event log."""


@report.command("shift")
@click.option("--from", "start", metavar='"YYYY-MM-DD HH:MM"',
              help="start of the shift, Vietnam time (e.g. \"2026-11-28 06:00\")")
@click.option("--to", "end", metavar='"YYYY-MM-DD HH:MM"',
              help="end of the shift, Vietnam time (e.g. \"2026-11-28 18:00\")")
@click.option("--shift", "shift_name", type=click.Choice(["day", "night"]),
              help="instead of --from/--to: the day shift of --date, or the night "
              "shift that starts on its evening")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="the date the shift starts on")
@click.option("--day-starts", metavar="HH:MM",
              help="when the day shift starts (default 06:00); with --shift")
@click.option("--night-starts", metavar="HH:MM",
              help="when the night shift starts (default 18:00); with --shift")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="FILE.pdf (with charts) or FILE.csv")
@click.option("--include-exercise", is_flag=True,
              help="count exercise (diễn tập) incidents and units' drill time too; "
              "left out by default")
@click.pass_obj
@clear_errors
def shift(obj: AdminContext, start: str | None, end: str | None, shift_name: str | None,
          day: str | None, day_starts: str | None, night_starts: str | None, out: Path,
          include_exercise: bool) -> None:
    """Shift report: incidents by type and ward, response intervals (median and 90th
    percentile), incidents still open at the end, units' time by status.

    The shift is --from and --to, or --shift day|night and --date (e.g. --shift night
    --date 2026-11-28 is 18:00 that evening to 06:00 the next morning)."""
    start_us, end_us = _period(start, end, shift_name, day, day_starts, night_starts)
    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".csv"):
        raise click.BadParameter("the file must end in .pdf or .csv", param_hint="--out")
    store = obj.store()
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
    period = (f"{datetime.fromtimestamp(start_us / 1e6, VIETNAM_TZ):{TIME_FORMAT}} – "
              f"{datetime.fromtimestamp(end_us / 1e6, VIETNAM_TZ):{TIME_FORMAT}}")
    click.echo(f"{out} ({period}): {data.received} incidents, "
               f"{len(data.open_incidents)} still open, {len(data.unit_time_s)} units "
               f"({time.perf_counter() - t0:.1f} s)")


COMMANDS = (report,)
