"""gvcommand-admin add-device, import-devices and track: devices given to units (with a
secret the service then asks for), a whole centre from a CSV in one transaction, tracks
exported in time order as CSV and GPX."""

from __future__ import annotations

import csv
import io
import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import gpxpy
import pytest
from click.testing import CliRunner, Result

from gvcommand.admin import cli
from gvcommand.core.fix import Fix
from gvcommand.store import open_store
from gvcommand.store.devices import active_devices, secret_matches
from gvcommand.store.positions import store_fixes

T0 = 1_716_200_000_000_000  # 2024-05-20T10:13:20Z


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.delenv("GVCOMMAND_DB", raising=False)
    monkeypatch.setenv("GVCOMMAND_CONSOLE", "test-desk")
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    url = f"sqlite:///{tmp_path}/x.sqlite"
    assert admin(url, "init").exit_code == 0
    assert admin(url, "add-ward", "P1", "Phường 1").exit_code == 0
    assert admin(url, "add-unit", "363-01", "--force", "363").exit_code == 0
    yield url
    root.handlers[:], root.level = handlers, level


def admin(db: str, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", db, *args])


def devices(db: str) -> dict[str, tuple[str, bool]]:
    store = open_store(db, upgrade=False)
    with store.engine.connect() as conn:
        found = {d: (r.unit, r.has_secret) for d, r in active_devices(conn).items()}
    store.engine.dispose()
    return found


def test_add_device_with_and_without_secret(db: str) -> None:
    result = admin(db, "add-device", "phone-1", "--unit", "363-01")
    assert result.exit_code == 0, result.output
    assert "phone-1 → 363-01" in result.output
    result = admin(db, "add-device", "phone-2", "--unit", "363-01", "--generate-secret")
    assert result.exit_code == 0, result.output
    secret = result.output.split("secret: ")[1].split()[0]
    assert f"?key={secret}" in result.output
    assert devices(db) == {"phone-1": ("363-01", False), "phone-2": ("363-01", True)}
    store = open_store(db, upgrade=False)
    with store.engine.connect() as conn:
        stored = active_devices(conn)["phone-2"].secret_hash
    store.engine.dispose()
    assert stored is not None and secret_matches(stored, secret)
    # refusals: an unknown unit, a short secret, the same again
    for args, says in ((("phone-3", "--unit", "khongco"), "khongco"),
                       (("phone-3", "--unit", "363-01", "--secret", "short"), "8 characters"),
                       (("phone-1", "--unit", "363-01"), "already")):
        result = admin(db, "add-device", *args)
        assert result.exit_code == 1 and says in result.output, result.output


def test_import_devices_creates_units_all_or_nothing(db: str, tmp_path: Path) -> None:
    good = tmp_path / "devices.csv"
    good.write_text("device_id,callsign,force\n"
                    "p-01,363-01,363\n"
                    "p-02,HS-01,Tổ hình sự đặc nhiệm\n"
                    "p-03,DQ-01,dan-quan\n", encoding="utf-8")
    result = admin(db, "import-devices", str(good))
    assert result.exit_code == 0, result.output
    assert "3 devices registered, 2 units created, 0 unchanged" in result.output
    assert devices(db) == {"p-01": ("363-01", False), "p-02": ("HS-01", False),
                           "p-03": ("DQ-01", False)}
    again = admin(db, "import-devices", str(good))
    assert "0 devices registered, 0 units created, 3 unchanged" in again.output
    bad = tmp_path / "bad.csv"
    bad.write_text("device_id,callsign,force\np-04,PT-09,phuong\np-05,XX-1,cảnh sát biển\n",
                   encoding="utf-8")
    result = admin(db, "import-devices", str(bad))
    assert result.exit_code == 1
    assert "line 3" in result.output and "cảnh sát biển" in result.output
    assert "p-04" not in devices(db)  # nothing of the broken file
    wrong_header = tmp_path / "header.csv"
    wrong_header.write_text("imei,unit\n1,2\n", encoding="utf-8")
    result = admin(db, "import-devices", str(wrong_header))
    assert result.exit_code == 1 and "device_id,callsign,force" in result.output


def test_track_export_csv_and_gpx(db: str, tmp_path: Path) -> None:
    assert admin(db, "add-unit", "363-02", "--force", "363").exit_code == 0
    store = open_store(db, upgrade=False)
    store_fixes(store.engine, [
        (Fix("a", T0 + 20_000_000, 106.6652, 10.8381, "osmand", speed_kmh=36.0), "363-01"),
        (Fix("a", T0, 106.6650, 10.8380, "osmand"), "363-01"),
        (Fix("b", T0 + 10_000_000, 106.67, 10.84, "osmand"), "363-02"),
        (Fix("a", T0 + 3_600_000_000, 106.0, 10.0, "osmand"), "363-01"),  # outside
    ])
    store.engine.dispose()
    window = ("--from", "2024-05-20T10:00:00Z", "--to", "2024-05-20T10:30:00Z")
    result = admin(db, "track", "--unit", "363-01", *window)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["callsign"], r["device_time_utc"], r["lat"], r["lon"], r["speed_kmh"])
            for r in rows] == [
        ("363-01", "2024-05-20T10:13:20.000Z", "10.8380000", "106.6650000", ""),
        ("363-01", "2024-05-20T10:13:40.000Z", "10.8381000", "106.6652000", "36.0")]
    out = tmp_path / "all.gpx"
    result = admin(db, "track", "--all", *window, "--format", "gpx", "-o", str(out))
    assert result.exit_code == 0, result.output
    gpx = gpxpy.parse(out.read_text(encoding="utf-8"))
    assert [(t.name, len(t.segments[0].points)) for t in gpx.tracks] == [("363-01", 2),
                                                                          ("363-02", 1)]
    second = gpx.tracks[0].segments[0].points[1]
    assert (second.latitude, second.longitude) == (10.8381, 106.6652)
    assert second.time is not None and second.time.isoformat() == "2024-05-20T10:13:40+00:00"
    store = open_store(db, upgrade=False)
    exports = [(e.subject, e.payload["purpose"]) for e in store.iter_events()
               if e.kind == "track.viewed"]
    store.engine.dispose()
    assert exports == [("track:363-01", "export"), ("track:*", "export")]  # on the record
    assert admin(db, "track", *window).exit_code == 2  # neither --unit nor --all
    assert admin(db, "track", "--unit", "khongco", *window).exit_code == 1


@pytest.mark.parametrize("machine_zone", ["UTC", "America/New_York", "Asia/Ho_Chi_Minh"])
def test_track_times_without_an_offset_are_the_centres(
        db: str, monkeypatch: pytest.MonkeyPatch, machine_zone: str) -> None:
    """A track asked for "07:45"–"08:00" on a server whose system runs in another zone
    still finds the fix taken at 07:52 in Gò Vấp (00:52 UTC)."""
    monkeypatch.setenv("TZ", machine_zone)
    time.tzset()
    try:
        store = open_store(db, upgrade=False)
        at = datetime(2026, 11, 28, 0, 52, tzinfo=UTC)  # 07:52 in Gò Vấp
        store_fixes(store.engine, [
            (Fix("a", round(at.timestamp() * 1e6), 106.6650, 10.8380, "osmand"), "363-01")])
        store.engine.dispose()
        result = admin(db, "track", "--unit", "363-01", "--from", "2026-11-28 07:45",
                       "--to", "2026-11-28T08:00")
        assert result.exit_code == 0, result.output
        rows = list(csv.DictReader(io.StringIO(result.output)))
        assert [r["device_time_utc"] for r in rows] == ["2026-11-28T00:52:00.000Z"]
        # an explicit offset is kept as given
        result = admin(db, "track", "--unit", "363-01", "--from", "2026-11-28T07:45Z",
                       "--to", "2026-11-28T08:00Z")
        assert result.exit_code == 0 and "00:52" not in result.output
        assert admin(db, "track", "--unit", "363-01", "--from", "sáng nay",
                     "--to", "2026-11-28 08:00").exit_code == 2
    finally:
        monkeypatch.undo()
        time.tzset()
