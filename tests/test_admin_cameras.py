"""gvcommand-admin camera commands, run as the installed entry point in their own process
(camera-url, add-camera, set-camera-password, import-cameras) on real SQLite files and, when
$GVCOMMAND_TEST_PG_URL is set, a fresh PostgreSQL database; real CSV and GeoJSON files."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from gvcommand.core import events as ev
from gvcommand.store import open_store
from gvcommand.store import schema as s

from ._needs import SHARED_DATA, unavailable

EXE = Path(sys.executable).parent / "gvcommand-admin"
PASSWORD = "Cam@363:/#%x"
GDOT = SHARED_DATA / "cameras" / "gdot_georgia_cctv_2020.csv"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    out = dict(os.environ)
    out.update({"GVCOMMAND_CONSOLE": "desk-cam", "GVCOMMAND_CREDENTIALS": "file",
                "GVCOMMAND_LOG_LEVEL": "DEBUG"})
    out.pop("GVCOMMAND_CAMERA_KEY", None)
    out.pop("GVCOMMAND_DB", None)
    for var in ("XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        out[var] = str(tmp_path / "xdg" / var.lower())
    return out


def _run(env: dict[str, str], *args: str, db: str | None = None,
         stdin: str = "") -> subprocess.CompletedProcess[str]:
    cmd = [str(EXE), *(["--db", db] if db else []), *args]
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, env=env,
                          timeout=300, check=False)


def ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stderr
    return done.stdout


def _pg_url() -> Iterator[str]:
    base = os.environ.get("GVCOMMAND_TEST_PG_URL")
    if not base:
        unavailable("GVCOMMAND_TEST_PG_URL is not set (scripts/test.sh sets it)")
    url = make_url(base)
    name = f"{url.database}_cam_{uuid.uuid4().hex[:8]}"
    libpq = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(libpq, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(libpq, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path, env: dict[str, str]) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/cams.sqlite"
        ok(_run(env, "init", db=url))
        yield url
    else:
        gen = _pg_url()
        url = next(gen)
        ok(_run(env, "init", db=url))
        yield url
        gen.close()


# --- camera-url ------------------------------------------------------------------------------


def test_camera_url_live_and_playback_per_vendor(env: dict[str, str]) -> None:
    assert ok(_run(env, "camera-url", "--vendor", "hikvision", "--host", "10.0.0.64",
                   "--channel", "1", "--stream", "sub")).strip() == (
        "rtsp://10.0.0.64:554/Streaming/Channels/102")
    assert ok(_run(env, "camera-url", "--vendor", "hikvision", "--host", "10.0.0.64",
                   "--port", "10554", "--channel", "3", "--stream", "main",
                   "--at", "2026-11-28 19:30:00", "--until", "2026-11-28 19:35:10",
                   "--tz", "+07:00")).strip() == (
        "rtsp://10.0.0.64:10554/Streaming/tracks/301"
        "?starttime=20261128T123000Z&endtime=20261128T123510Z")
    assert ok(_run(env, "camera-url", "--vendor", "dahua", "--host", "10.0.0.108",
                   "--channel", "2", "--stream", "main", "--at", "2026-11-28 19:30:00",
                   "--until", "2026-11-28 19:35:10", "--tz", "+07:00",
                   "--user", "admin")).strip() == (
        "rtsp://admin:***@10.0.0.108:554/cam/playback?channel=2&subtype=0"
        "&starttime=2026_11_28_19_30_00&endtime=2026_11_28_19_35_10")
    assert ok(_run(env, "camera-url", "--vendor", "generic", "--host", "127.0.0.1",
                   "--port", "8554", "--channel", "1", "--stream", "main",
                   "--path", "cam001")).strip() == "rtsp://127.0.0.1:8554/cam001"


@pytest.mark.parametrize(("args", "words"), [
    (("--vendor", "hikvision", "--host", "10.0.0.64", "--channel", "0"), "out of range"),
    (("--vendor", "dahua", "--host", "bad host", "--channel", "1"), "not an IP address"),
    (("--vendor", "dahua", "--host", "h", "--port", "99999"), "1–65535"),
    (("--vendor", "generic", "--url", "rtsp://admin:hunter2@h/x"), "carries a password"),
    (("--vendor", "generic", "--url", "ftp://h/x"), "scheme 'ftp'"),
    (("--vendor", "hikvision", "--host", "h", "--at", "2026-11-28 19:30:00"), "both --at"),
    (("--vendor", "hikvision", "--host", "h", "--at", "28/11/2026", "--until", "x"),
     "YYYY-MM-DD"),
    (("--vendor", "dahua", "--host", "h", "--at", "2026-11-28 19:30:00",
      "--until", "2026-11-28 19:00:00"), "before it starts"),
    (("--vendor", "dahua", "--host", "h", "--tz", "Moon/Base"), "unknown time zone"),
])
def test_camera_url_bad_input(env: dict[str, str], args: tuple[str, ...], words: str) -> None:
    done = _run(env, "camera-url", *args)
    assert done.returncode != 0
    assert words in done.stderr
    assert "hunter2" not in done.stderr + done.stdout


# --- add, password, the registered camera's address -------------------------------------------


def test_registered_camera_with_its_password(env: dict[str, str], db: str) -> None:
    ok(_run(env, "add-camera", "CS-001", "Ngã tư Quang Trung", "--lon", "106.678",
            "--lat", "10.838", "--vendor", "hikvision", "--host", "10.20.0.31",
            "--channel", "2", "--azimuth", "45", "--fov", "90", "--range", "80", db=db))
    out = ok(_run(env, "set-camera-password", "CS-001", "--user", "admin@cs",
                  "--password-stdin", db=db, stdin=PASSWORD + "\n"))
    assert "cam/CS-001" in out and PASSWORD not in out
    shown = ok(_run(env, "camera-url", "--camera", "CS-001", "--stream", "sub", db=db)).strip()
    assert shown == "rtsp://admin%40cs:***@10.20.0.31:554/Streaming/Channels/202"
    # the password is nowhere: not in the database, not in the log files, not in the output
    store = open_store(db, upgrade=False)
    with store.engine.connect() as conn:
        cam = conn.execute(select(s.cameras).where(s.cameras.c.code == "CS-001")).one()
        payloads = " ".join(conn.execute(select(s.events.c.payload)).scalars())
    assert cam.credential_ref == "cam/CS-001"
    assert PASSWORD not in payloads and PASSWORD not in repr(tuple(cam))
    for path in Path(env["XDG_STATE_HOME"]).rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path
    data = Path(env["XDG_DATA_HOME"]) / "gvcommand"
    assert PASSWORD.encode() not in (data / "camera-credentials.json").read_bytes()
    kinds = [e.kind for e in store.iter_events()]
    assert kinds == [ev.CAMERA_ADDED, ev.CAMERA_UPDATED]
    store.engine.dispose()
    # a wrong key: a clear error, still no password
    bad = dict(env, GVCOMMAND_CAMERA_KEY="A" * 43 + "=")
    done = _run(bad, "camera-url", "--camera", "CS-001", db=db)
    assert done.returncode == 1 and "cannot be decrypted" in done.stderr
    assert PASSWORD not in done.stderr


# --- import ------------------------------------------------------------------------------------

ROWS = [
    {"code": "PH-01", "name": "Chợ Hạnh Thông Tây", "lon": "106.6571", "lat": "10.8362",
     "azimuth": "120", "fov": "70", "range": "60", "owner": "ward", "vendor": "dahua",
     "host": "10.30.1.5", "channel": "3", "address": "10 Quang Trung", "tz": "+07:00"},
    {"code": "CS-02", "name": "Cổng Công an phường", "lon": "106.6650", "lat": "10.8380",
     "azimuth": "", "fov": "", "range": "", "owner": "police", "vendor": "hikvision",
     "host": "10.30.1.6", "channel": "1", "address": "", "tz": ""},
    {"code": "TN-03", "name": "Cửa hàng tiện lợi", "lon": "106.6700", "lat": "10.8400",
     "azimuth": "350", "fov": "40", "range": "30", "owner": "private", "vendor": "generic",
     "host": "", "channel": "1", "address": "5 Lê Đức Thọ", "tz": ""},
]


def _write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _cameras(db: str) -> dict[str, tuple[object, ...]]:
    store = open_store(db, upgrade=False)
    try:
        with store.engine.connect() as conn:
            return {r.code: tuple(r) for r in conn.execute(select(s.cameras))}
    finally:
        store.engine.dispose()


def test_import_csv_then_reimport_adds_nothing_twice(env: dict[str, str], db: str,
                                                     tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "cameras.csv", ROWS)
    out = ok(_run(env, "import-cameras", str(path), db=db))
    assert "stored 3 cameras (3 added, 0 updated); 0 unchanged" in out
    first = _cameras(db)
    assert set(first) == {"PH-01", "CS-02", "TN-03"}
    out = ok(_run(env, "import-cameras", str(path), db=db))
    assert "stored 0 cameras (0 added, 0 updated); 3 unchanged" in out
    assert _cameras(db) == first
    # the file changes one camera's channel: only that is updated, on the record
    changed = [dict(r) for r in ROWS]
    changed[0]["channel"] = "4"
    out = ok(_run(env, "import-cameras", str(_write_csv(tmp_path / "c2.csv", changed)), db=db))
    assert "stored 1 cameras (0 added, 1 updated); 2 unchanged" in out
    store = open_store(db, upgrade=False)
    updates = [e for e in store.iter_events() if e.kind == ev.CAMERA_UPDATED]
    store.engine.dispose()
    assert [u.payload for u in updates] == [{"changes": {"channel": 4}, "from": {"channel": 3}}]


def test_import_bad_rows_reports_each_with_its_line_and_stores_nothing(
        env: dict[str, str], db: str, tmp_path: Path) -> None:
    bad = [dict(r) for r in ROWS]
    bad[0]["lon"] = "east"  # line 2
    bad[1]["host"] = ""  # line 3: a hikvision camera without host
    bad.append(dict(ROWS[2], code="TN-03"))  # line 5: the same code twice
    bad.append(dict(ROWS[2], code="TN-04", owner="neighbour"))  # line 6
    done = _run(env, "import-cameras", str(_write_csv(tmp_path / "bad.csv", bad)), db=db)
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("error: line")]
    assert errors == [
        "error: line 2: lon 'east' is not a number",
        "error: line 5: camera TN-03 is also at line 4",
        "error: line 6: owner 'neighbour' is not police, ward or private",
        "error: line 3: a hikvision camera needs its host (IP address or name)",
    ]
    assert "nothing was imported" in done.stderr
    assert _cameras(db) == {}


def test_import_geojson(env: dict[str, str], db: str, tmp_path: Path) -> None:
    features = [{
        "type": "Feature", "id": "GJ-1",
        "geometry": {"type": "Point", "coordinates": [106.6612, 10.8351]},
        "properties": {"name": "Ngã ba Nguyễn Văn Lượng", "azimuth": 200, "fov": 90,
                       "range": 100, "owner": "Camera phường", "vendor": "generic",
                       "main_url": "rtsp://10.30.2.9:554/live/main",
                       "sub_url": "rtsp://10.30.2.9:554/live/sub"},
    }, {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [[106.6, 10.8], [106.7, 10.9]]},
        "properties": {"code": "GJ-2", "name": "a street, not a camera"},
    }]
    path = tmp_path / "cams.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}),
                    encoding="utf-8")
    done = _run(env, "import-cameras", str(path), db=db)
    assert done.returncode == 1
    assert "feature 2: its geometry is a LineString; a camera is a Point" in done.stderr
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features[:1]}),
                    encoding="utf-8")
    assert "1 added" in ok(_run(env, "import-cameras", str(path), db=db))
    row = _cameras(db)["GJ-1"]
    assert "rtsp://10.30.2.9:554/live/sub" in row and "ward" in row


@pytest.mark.slow
@pytest.mark.shared_data(GDOT)
def test_import_real_georgia_dot_cameras(env: dict[str, str], tmp_path: Path) -> None:
    """3,043 real cameras with RTSP/HLS addresses: the 3 at (0, 0) are refused with their
    lines; without them (a filtered copy in tmp_path) all 3,040 import in one go, and a
    second import changes nothing."""
    db = f"sqlite:///{tmp_path}/gdot.sqlite"
    ok(_run(env, "init", db=db))
    done = _run(env, "import-cameras", str(GDOT), db=db)
    assert done.returncode == 1
    zero = [line for line in done.stderr.splitlines() if "(0, 0)" in line]
    assert len(zero) == 3 and all(line.startswith("error: line ") for line in zero)
    assert _cameras(db) == {}
    with GDOT.open(newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if (r["lat"], r["lon"]) != ("0", "0")
                and float(r["lat"]) != 0.0]
    path = _write_csv(tmp_path / "gdot_ok.csv", rows)
    out = ok(_run(env, "import-cameras", str(path), db=db))
    assert f"stored {len(rows)} cameras ({len(rows)} added, 0 updated)" in out
    cams = _cameras(db)
    assert len(cams) == len(rows) == 3040
    out = ok(_run(env, "import-cameras", str(path), db=db))
    assert f"0 updated); {len(rows)} unchanged" in out


def test_camera_views_lists_who_watched(env: dict[str, str], tmp_path: Path) -> None:
    from gvcommand.core import commands as c
    from gvcommand.core.model import Actor, Role, StreamKind

    db = f"sqlite:///{tmp_path}/views.sqlite"
    ok(_run(env, "init", db=db))
    ok(_run(env, "add-camera", "CS-001", "Ngã tư", "--lon", "106.678", "--lat", "10.838",
            "--main-url", "rtsp://127.0.0.1:8554/cam001", db=db))
    store = open_store(db, upgrade=False)
    lan = Actor("lan", Role.OPERATOR, "desk-3")
    view = "0d0e0f10-1112-4314-9516-171819202122"
    store.execute(c.StartLiveView("CS-001", view, StreamKind.MAIN, "vụ #12"), lan)
    store.execute(c.StopLiveView("CS-001", view, "closed"), lan)
    store.engine.dispose()
    out = ok(_run(env, "camera-views", "--csv", db=db))
    rows = list(csv.DictReader(out.splitlines()))
    assert [(r["camera"], r["user"], r["console"], r["stream"], r["purpose"], r["stop_reason"])
            for r in rows] == [("CS-001", "lan", "desk-3", "main", "vụ #12", "closed")]
    assert float(rows[0]["seconds"]) >= 0
    assert "1 view(s)" in ok(_run(env, "camera-views", "--camera", "CS-001", db=db))
    assert "0 view(s)" in ok(_run(env, "camera-views", "--camera", "CS-002", db=db))
    done = _run(env, "camera-views", "--from", "2026-11-28", db=db)
    assert done.returncode != 0 and "YYYY-MM-DD HH:MM" in done.stderr


def _onvif_installed() -> bool:
    try:
        import onvif  # type: ignore[import-not-found,import-untyped,unused-ignore]  # noqa: F401
    except ImportError:
        return False
    return True


def test_camera_onvif_says_what_to_install(env: dict[str, str], tmp_path: Path) -> None:
    # as on a workstation without the optional extra: a package of that name that cannot be
    # imported comes first on the path (here the extra is installed)
    blocked = tmp_path / "blocked" / "onvif"
    blocked.mkdir(parents=True)
    (blocked / "__init__.py").write_text("raise ImportError('hidden for this test')\n")
    env = {**env, "PYTHONPATH": os.pathsep.join(
        p for p in (str(blocked.parent), env.get("PYTHONPATH", "")) if p)}
    db = f"sqlite:///{tmp_path}/onvif.sqlite"
    ok(_run(env, "init", db=db))
    ok(_run(env, "add-camera", "OV-1", "ONVIF", "--lon", "106.67", "--lat", "10.83",
            "--vendor", "onvif", "--host", "10.9.9.9", db=db))
    ok(_run(env, "set-camera-password", "OV-1", "--user", "admin", "--password-stdin",
            db=db, stdin="pw\n"))
    done = _run(env, "camera-onvif", "OV-1", db=db)
    assert done.returncode == 1 and "pip install 'gvcommand[onvif]'" in done.stderr


def test_camera_onvif_stores_the_device_addresses(env: dict[str, str], tmp_path: Path) -> None:
    """camera-onvif against a loopback ONVIF device (tests/video/test_onvif_device.py): the
    profiles' addresses become the camera's main and sub-stream, on the record."""
    if not _onvif_installed():
        unavailable("the onvif extra is not installed (part of [dev])")
    import asyncio
    import threading

    from tests.video.test_onvif_device import PASSWORD as DEVICE_PASSWORD
    from tests.video.test_onvif_device import USER as DEVICE_USER
    from tests.video.test_onvif_device import _device

    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    runner, port = asyncio.run_coroutine_threadsafe(_device(), loop).result(10)
    try:
        db = f"sqlite:///{tmp_path}/onvif.sqlite"
        ok(_run(env, "init", db=db))
        ok(_run(env, "add-camera", "OV-1", "ONVIF", "--lon", "106.67", "--lat", "10.83",
                "--vendor", "onvif", "--host", "127.0.0.1", db=db))
        done = _run(env, "camera-url", "--camera", "OV-1", db=db)
        assert done.returncode == 1 and "camera-onvif" in done.stderr  # no address yet
        ok(_run(env, "set-camera-password", "OV-1", "--user", DEVICE_USER, "--password-stdin",
                db=db, stdin="wrong\n"))
        done = _run(env, "camera-onvif", "OV-1", "--onvif-port", str(port), db=db)
        assert done.returncode == 1 and "refused the user name or password" in done.stderr
        ok(_run(env, "set-camera-password", "OV-1", "--user", DEVICE_USER, "--password-stdin",
                db=db, stdin=DEVICE_PASSWORD + "\n"))
        out = ok(_run(env, "camera-onvif", "OV-1", "--onvif-port", str(port), db=db))
        assert "2560x1440" in out and DEVICE_PASSWORD not in out
        shown = ok(_run(env, "camera-url", "--camera", "OV-1", "--stream", "sub", db=db))
        assert shown.strip() == "rtsp://admin:***@127.0.0.1:554/Streaming/sub"
        cam = _cameras(db)["OV-1"]
        assert "rtsp://127.0.0.1:554/Streaming/main" in cam
        assert not any(DEVICE_PASSWORD in str(v) for v in cam)
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()


def test_import_excel_style_csv_with_ward_names_and_dry_run(env: dict[str, str],
                                                            tmp_path: Path) -> None:
    """A spreadsheet export as Vietnamese offices make them: UTF-8 with a BOM, ';' between
    columns, decimal commas, Vietnamese headers and the ward by its name."""
    db = f"sqlite:///{tmp_path}/excel.sqlite"
    ok(_run(env, "init", db=db))
    ok(_run(env, "add-ward", "an-nhon", "An Nhơn", db=db))
    path = tmp_path / "camera_phuong.csv"
    path.write_bytes("\ufeffMã;Tên;Kinh độ;Vĩ độ;Hướng;Góc nhìn;Tầm xa;Chủ sở hữu;Phường;Địa chỉ\n"
                     "AN-01;Chợ An Nhơn;106,6732;10,8401;90;60;50;Camera phường;an nhon;"
                     "12 Lê Đức Thọ\n".encode())
    out = ok(_run(env, "import-cameras", "--dry-run", str(path), db=db))
    assert "would store 1 cameras (1 added" in out
    assert _cameras(db) == {}
    ok(_run(env, "import-cameras", str(path), db=db))
    store = open_store(db, upgrade=False)
    try:
        cam = store.projections().cameras["AN-01"]
    finally:
        store.engine.dispose()
    assert (cam.lon, cam.lat, cam.azimuth_deg, cam.fov_deg, cam.range_m) == (
        106.6732, 10.8401, 90.0, 60.0, 50.0)
    assert (cam.owner.value, cam.ward, cam.address) == ("ward", "an-nhon", "12 Lê Đức Thọ")


def test_edit_and_retire_camera(env: dict[str, str], tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/edit.sqlite"
    ok(_run(env, "init", db=db))
    ok(_run(env, "add-ward", "go-vap", "Gò Vấp", db=db))
    ok(_run(env, "add-camera", "CS-9", "Ngã tư", "--lon", "106.67", "--lat", "10.83",
            "--vendor", "dahua", "--host", "10.0.0.9", "--azimuth", "90", "--fov", "60", db=db))
    out = ok(_run(env, "edit-camera", "CS-9", "--set", "channel=4", "--set", "ward=Gò Vấp",
                  "--set", "azimuth_deg=", "--set", "fov_deg=", "--expected-version", "1",
                  db=db))
    assert "channel = 4" in out and "azimuth_deg = (empty)" in out
    store = open_store(db, upgrade=False)
    try:
        cam = store.projections().cameras["CS-9"]
    finally:
        store.engine.dispose()
    assert (cam.channel, cam.ward, cam.azimuth_deg, cam.fov_deg, cam.version) == (
        4, "go-vap", None, None, 2)
    stale = _run(env, "edit-camera", "CS-9", "--set", "channel=5", "--expected-version", "1",
                 db=db)
    assert stale.returncode == 1 and "reload it and try again" in stale.stderr
    bad = _run(env, "edit-camera", "CS-9", "--set", "main_url=rtsp://u:s3cret@h/x", db=db)
    assert bad.returncode == 1 and "password" in bad.stderr and "s3cret" not in bad.stderr
    unknown = _run(env, "edit-camera", "CS-9", "--set", "colour=red", db=db)
    assert unknown.returncode != 0 and "FIELD one of" in unknown.stderr
    ok(_run(env, "retire-camera", "CS-9", "--reason", "Hỏng, đã tháo", db=db))
    again = _run(env, "edit-camera", "CS-9", "--set", "channel=1", db=db)
    assert again.returncode == 1 and "retired" in again.stderr
