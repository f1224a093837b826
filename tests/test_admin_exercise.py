"""`gvcommand-admin add-unit --exercise`, `unit-exercise CALLSIGN on|off` and the shift
report's `--shift day|night --date` alternative to --from/--to, driven as an officer would
(click's runner in process; the report also as its own process)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from gvcommand.admin import cli
from gvcommand.core import events as ev
from gvcommand.store import schema as s

from .test_admin_cli import admin, assert_written_by_the_cli, cli_env, db, events, ok, opened

__all__ = ["cli_env", "db"]  # fixtures used by name


def _units(db: str) -> dict[str, bool]:
    with opened(db) as st, st.engine.connect() as conn:
        return dict(conn.execute(select(s.units.c.call_sign, s.units.c.exercise)).all())


def test_drill_units_added_and_marked(db: str) -> None:
    ok(admin(db, "init"))
    ok(admin(db, "add-ward", "P1", "Phường 1"))
    ok(admin(db, "add-unit", "363-01", "--force", "363", "--ward", "P1"))
    added = ok(admin(db, "add-unit", "DT-01", "--force", "phuong", "--exercise"))
    assert "DT-01" in added.stdout and "diễn tập" in added.stdout
    assert _units(db) == {"363-01": False, "DT-01": True}

    marked = ok(admin(db, "unit-exercise", "363-01", "on"))
    assert "363-01 is on a drill" in marked.stdout
    ok(admin(db, "unit-exercise", "DT-01", "off"))
    assert _units(db) == {"363-01": True, "DT-01": False}
    changes = [(e.subject, e.payload) for e in events(db) if e.kind == ev.UNIT_EXERCISE_CHANGED]
    assert changes == [("unit:363-01", {"exercise": True}), ("unit:DT-01", {"exercise": False})]
    assert_written_by_the_cli(db)

    again = admin(db, "unit-exercise", "363-01", "on")
    assert again.exit_code == 1 and "already on a drill" in again.stderr
    missing = admin(db, "unit-exercise", "khong-co", "off")
    assert missing.exit_code == 1 and "does not exist" in missing.stderr
    wrong = admin(db, "unit-exercise", "363-01", "maybe")
    assert wrong.exit_code == 2 and "'on'" in wrong.output


# --- the shift report: --shift and --date ----------------------------------------------------


def _report(url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", url, "report", "shift", *args])
    return result.exit_code, result.output


@pytest.fixture
def demo_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path}/r.sqlite"
    ok(admin(url, "init"))
    ok(admin(url, "add-unit", "363-01", "--force", "363"))
    return url


@pytest.mark.parametrize(
    ("args", "period"),
    [
        (["--shift", "day", "--date", "2026-11-28"], "2026-11-28 06:00 – 2026-11-28 18:00"),
        (["--shift", "night", "--date", "2026-11-28"], "2026-11-28 18:00 – 2026-11-29 06:00"),
        (["--shift", "day", "--date", "2026-11-28", "--day-starts", "07:30",
          "--night-starts", "19:30"], "2026-11-28 07:30 – 2026-11-28 19:30"),
        (["--shift", "night", "--date", "2026-12-31", "--night-starts", "17:00"],
         "2026-12-31 17:00 – 2027-01-01 06:00"),
        (["--from", "2026-11-28 06:00", "--to", "2026-11-28 18:00"],
         "2026-11-28 06:00 – 2026-11-28 18:00"),
    ],
)
def test_the_shift_is_named_or_given_by_times(demo_url: str, tmp_path: Path, args: list[str],
                                              period: str) -> None:
    out = tmp_path / "ca.csv"
    code, output = _report(demo_url, *args, "--out", str(out))
    assert code == 0, output
    assert f"({period})" in output
    first = next(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert first == ["Báo cáo ca trực", *period.split(" – ")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--shift", "day", "--date", "2026-11-28", "--from", "2026-11-28 06:00"],
         "not both"),
        (["--shift", "day"], "--shift and --date go together"),
        (["--date", "2026-11-28"], "--shift and --date go together"),
        ([], "give --from and --to"),
        (["--from", "2026-11-28 06:00"], "give --from and --to"),
        (["--shift", "evening", "--date", "2026-11-28"], "'day', 'night'"),
        (["--shift", "day", "--date", "28/11/2026"], "YYYY-MM-DD"),
        (["--shift", "day", "--date", "2026-11-28", "--day-starts", "6h"], "HH:MM"),
        (["--shift", "day", "--date", "2026-11-28", "--day-starts", "19:00"],
         "day shift must start before the night shift"),
        (["--from", "2026-11-28 06:00", "--to", "2026-11-28 18:00", "--day-starts", "07:00"],
         "go with --shift"),
    ],
)
def test_bad_combinations_are_refused_clearly(demo_url: str, tmp_path: Path, args: list[str],
                                              message: str) -> None:
    out = tmp_path / "ca.csv"
    code, output = _report(demo_url, *args, "--out", str(out))
    assert code == 2, output
    assert message in " ".join(output.split()), output
    assert not out.exists()


def test_the_installed_command_reports_a_night_shift(demo_url: str, tmp_path: Path) -> None:
    out = tmp_path / "dem.csv"
    done = subprocess.run(
        [str(Path(sys.executable).parent / "gvcommand-admin"), "--db", demo_url, "report",
         "shift", "--shift", "night", "--date", "2026-11-28", "--out", str(out)],
        capture_output=True, text=True, timeout=120, env=dict(os.environ), check=False)
    assert done.returncode == 0, done.stderr
    assert "2026-11-28 18:00 – 2026-11-29 06:00" in done.stdout
    assert out.read_text(encoding="utf-8-sig").startswith("Báo cáo ca trực,2026-11-28 18:00")


def test_the_pdf_says_which_units_drill_time_was_left_out(demo_url: str,
                                                           tmp_path: Path) -> None:
    import datetime as dt

    import pypdf

    from gvcommand.analysis.shift_report import VIETNAM_TZ

    ok(admin(demo_url, "add-unit", "DT-01", "--force", "phuong", "--exercise"))
    today = dt.datetime.now(VIETNAM_TZ).date().isoformat()
    out = tmp_path / "ca.pdf"
    # the PDF needs a Qt application: in its own process, as an officer runs it
    done = subprocess.run(
        [sys.executable, "-m", "gvcommand.admin", "--db", demo_url, "report", "shift",
         "--from", f"{today} 00:00", "--to", f"{today} 23:59", "--out", str(out)],
        capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(str(out)).pages).split())
    assert "Không tính thời gian diễn tập của tổ: DT-01 (" in text
