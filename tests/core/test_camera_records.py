"""Camera records (vendor, host, channel, addresses, credential reference), edits, retiring,
and the live-view audit events."""

from __future__ import annotations

import json

import pytest

from gvcommand.core import commands as c
from gvcommand.core import events as ev
from gvcommand.core.cameras import check_stream_url, parse_tz
from gvcommand.core.errors import (
    AlreadyExists,
    NotFound,
    ValidationError,
    VersionConflict,
)
from gvcommand.core.model import CameraOwner, CameraVendor, RtspTransport, StreamKind
from gvcommand.core.state import State

from ._desk import ADMIN, AUDITOR, OPERATOR, SUPERVISOR, Desk

VIEW = "5b1f0a52-3c4d-4e5f-8a9b-0c1d2e3f4a5b"


def _desk() -> Desk:
    d = Desk()
    d.add_ward("P1", "Phường 1")
    return d


def _hik(code: str = "CS-001", **kw: object) -> c.AddCamera:
    args: dict[str, object] = dict(
        code=code, name="Ngã tư Quang Trung – Nguyễn Oanh", lon=106.678, lat=10.838,
        owner=CameraOwner.POLICE, ward="P1", azimuth_deg=45.0, fov_deg=90.0, range_m=80.0,
        vendor=CameraVendor.HIKVISION, host="10.20.0.31", channel=2,
        address="1 Quang Trung", tz="+07:00", credential_ref="cam/CS-001",
    )
    args.update(kw)
    return c.AddCamera(**args)  # type: ignore[arg-type]


def test_added_camera_keeps_how_to_reach_it_and_no_secret() -> None:
    d = _desk()
    (added,) = d.run(_hik(), SUPERVISOR)
    cam = d.state.camera("CS-001")
    assert cam is not None
    assert (cam.vendor, cam.host, cam.port, cam.channel, cam.transport) == (
        CameraVendor.HIKVISION, "10.20.0.31", None, 2, RtspTransport.TCP)
    assert (cam.credential_ref, cam.tz, cam.address, cam.active) == (
        "cam/CS-001", "+07:00", "1 Quang Trung", True)
    assert added.payload["vendor"] == "hikvision"
    d.check_log()


def test_generic_camera_keeps_its_addresses() -> None:
    d = _desk()
    d.run(c.AddCamera("TN-1", "Cửa hàng", 106.67, 10.83, CameraOwner.PRIVATE,
                      main_url="rtsp://127.0.0.1:8554/cam001",
                      sub_url="rtsp://127.0.0.1:8554/cam001/sub"), ADMIN)
    cam = d.state.camera("TN-1")
    assert cam is not None and cam.vendor is CameraVendor.GENERIC
    assert cam.sub_url == "rtsp://127.0.0.1:8554/cam001/sub"


@pytest.mark.parametrize("url", [
    "rtsp://admin:s3cr3t@10.0.0.5/Streaming/Channels/101",
    "rtsp://admin:p%40ss@10.0.0.5:554/live",
])
def test_an_address_with_a_password_is_refused_without_repeating_it(url: str) -> None:
    d = _desk()
    err = d.refuse(c.AddCamera("X-1", "x", 106.6, 10.8, main_url=url), SUPERVISOR,
                   ValidationError).value
    assert "password" in str(err) and "keyring" in str(err)
    assert "s3cr3t" not in str(err) and "p%40ss" not in str(err)


@pytest.mark.parametrize(("kw", "words"), [
    ({"main_url": "ftp://10.0.0.5/x"}, "scheme 'ftp'"),
    ({"main_url": "rtsp:///nohost"}, "no host"),
    ({"main_url": "rtsp://10.0.0.5:99999/x"}, "bad port"),
    ({"main_url": "10.0.0.5/live"}, "scheme 'none'"),
    ({"main_url": "rtsp://user@10.0.0.5/x"}, "user name"),
    ({"vendor": CameraVendor.HIKVISION}, "needs its host"),
    ({"vendor": CameraVendor.DAHUA, "host": "10.0.0.5", "channel": 0}, "out of range"),
    ({"vendor": CameraVendor.DAHUA, "host": "10.0.0.5", "channel": 257}, "out of range"),
    ({"vendor": CameraVendor.DAHUA, "host": "10.0.0.5", "port": 70000}, "1–65535"),
    ({"vendor": CameraVendor.DAHUA, "host": "admin:x@10.0.0.5"}, "must not carry"),
    ({"vendor": CameraVendor.DAHUA, "host": "rtsp://10.0.0.5"}, "not a host"),
    ({"vendor": CameraVendor.DAHUA, "host": "bad host!"}, "not an IP address"),
    ({"tz": "Mars/Olympus"}, "unknown time zone"),
    ({"tz": "+15:00"}, "out of range"),
    ({"sub_url": "rtsp://10.0.0.5/sub"}, "without a main"),
    ({"credential_ref": "pass word"}, "key name"),
    ({"main_url": "rtsp://h/" + "x" * 1000}, "too long"),
    ({"vendor": "axis"}, "unknown camera vendor"),
])
def test_malformed_camera_records_are_refused_clearly(kw: dict[str, object], words: str) -> None:
    d = _desk()
    args: dict[str, object] = {"code": "X-1", "name": "x", "lon": 106.6, "lat": 10.8, **kw}
    err = d.refuse(c.AddCamera(**args), SUPERVISOR, ValidationError).value  # type: ignore[arg-type]
    assert words in str(err)


def test_update_changes_only_what_is_given_and_records_before_and_after() -> None:
    d = _desk()
    d.run(_hik(), SUPERVISOR)
    (e,) = d.run(c.UpdateCamera.of("CS-001", expected_version=1, channel=3,
                                   azimuth_deg=370.0), ADMIN)
    assert e.kind == ev.CAMERA_UPDATED
    assert e.payload == {"changes": {"channel": 3, "azimuth_deg": 10.0},
                         "from": {"channel": 2, "azimuth_deg": 45.0}}
    cam = d.state.camera("CS-001")
    assert cam is not None and (cam.channel, cam.azimuth_deg, cam.host) == (3, 10.0, "10.20.0.31")
    assert cam.version == 2
    # a stale version is a conflict, not an overwrite
    d.refuse(c.UpdateCamera.of("CS-001", expected_version=1, channel=4), ADMIN, VersionConflict)
    # emptying an optional field: the camera now turns
    d.run(c.UpdateCamera.of("CS-001", azimuth_deg=None, fov_deg=None), ADMIN)
    cam = d.state.camera("CS-001")
    assert cam is not None and cam.azimuth_deg is None and cam.fov_deg is None
    d.check_log()


def test_update_is_checked_like_an_add() -> None:
    d = _desk()
    d.run(_hik(), SUPERVISOR)
    d.refuse(c.UpdateCamera.of("CS-001", main_url="rtsp://a:b@h/x"), ADMIN, ValidationError)
    d.refuse(c.UpdateCamera.of("CS-001", host=None), ADMIN, ValidationError)
    d.refuse(c.UpdateCamera.of("CS-001", ward="P99"), ADMIN, NotFound)
    d.refuse(c.UpdateCamera("CS-001", (("code", "CS-002"),)), ADMIN, ValidationError)
    d.refuse(c.UpdateCamera.of("CS-001", channel=2), ADMIN, ValidationError)  # no change
    d.refuse(c.UpdateCamera.of("CS-404", channel=2), ADMIN, NotFound)


def test_retired_camera_stays_but_cannot_be_watched_or_edited() -> None:
    d = _desk()
    d.run(_hik(), SUPERVISOR)
    d.run(c.StartLiveView("CS-001", VIEW), OPERATOR)
    d.run(c.RetireCamera("CS-001", "Hỏng, đã tháo"), SUPERVISOR)
    cam = d.state.camera("CS-001")
    assert cam is not None and not cam.active
    d.refuse(c.StartLiveView("CS-001", VIEW.replace("5b", "6c")), OPERATOR, ValidationError)
    d.refuse(c.UpdateCamera.of("CS-001", channel=1), ADMIN, ValidationError)
    d.refuse(c.RetireCamera("CS-001", "again"), ADMIN, ValidationError)
    d.refuse(_hik(), SUPERVISOR, AlreadyExists)
    d.run(c.StopLiveView("CS-001", VIEW, "camera retired"), OPERATOR)  # open views still stop
    d.check_log()


def test_live_view_events_pair_up_and_do_not_touch_the_camera() -> None:
    d = _desk()
    d.run(_hik(), SUPERVISOR)
    version = d.state.cameras["CS-001"].version
    (start,) = d.run(c.StartLiveView("CS-001", VIEW, StreamKind.MAIN, "vụ #12"), OPERATOR)
    (stop,) = d.run(c.StopLiveView("CS-001", VIEW, "closed"), OPERATOR)
    assert (start.kind, start.subject, start.actor, start.console) == (
        ev.CAMERA_VIEW_STARTED, "camera_view:CS-001", OPERATOR.name, OPERATOR.console)
    assert start.payload == {"view_id": VIEW, "stream": "main", "purpose": "vụ #12"}
    assert stop.payload == {"view_id": VIEW, "reason": "closed"}
    assert stop.ts_us > start.ts_us  # a duration is computable from the pair
    assert d.state.cameras["CS-001"].version == version  # an edit is not refused by a viewer
    (pb,) = d.run(c.StartLiveView("CS-001", VIEW[::-1], StreamKind.PLAYBACK,
                                  playback_from_us=1_750_000_000_000_000), AUDITOR)
    assert pb.payload["playback_from_us"] == 1_750_000_000_000_000
    d.refuse(c.StartLiveView("CS-001", VIEW, StreamKind.SUB, playback_from_us=5), OPERATOR,
             ValidationError)
    d.refuse(c.StartLiveView("CS-001", "x y"), OPERATOR, ValidationError)
    d.refuse(c.StartLiveView("CS-404", VIEW), OPERATOR, NotFound)
    d.refuse(c.StopLiveView("CS-001", VIEW, " "), OPERATOR, ValidationError)
    d.check_log()


def test_old_camera_events_and_snapshots_still_read() -> None:
    """A camera.added recorded before 0008 (no vendor keys) replays as a generic camera."""
    d = _desk()
    old = ev.NewEvent(ev.CAMERA_ADDED, "camera:OLD-1", {
        "code": "OLD-1", "name": "cũ", "lon": 106.6, "lat": 10.8, "owner": "ward",
        "ward": None, "azimuth_deg": None, "fov_deg": None, "range_m": None})
    ev.check_payload(old.kind, old.payload)
    sealed = ev.seal(d.state.last_seq + 1, 1, "x", "y", old, d.state.last_hash)
    from gvcommand.core.state import apply

    apply(d.state, sealed)
    cam = d.state.camera("OLD-1")
    assert cam is not None and cam.vendor is CameraVendor.GENERIC and cam.active
    snap = json.loads(json.dumps(d.state.to_snapshot()))
    for row in snap["cameras"]:
        for key in ("vendor", "host", "channel", "active", "credential_ref"):
            row.pop(key)
    again = State.from_snapshot(snap).camera("OLD-1")
    assert again is not None and again.channel == 1 and again.active


def test_check_stream_url_and_tz_helpers() -> None:
    assert check_stream_url(" rtsp://[fe80::1]:8554/a ") == "rtsp://[fe80::1]:8554/a"
    assert check_stream_url("https://cams.example.vn/hls/a.m3u8").startswith("https://")
    assert parse_tz("+07:00").utcoffset(None).total_seconds() == 7 * 3600  # type: ignore[union-attr]
    assert parse_tz("UTC-0330").utcoffset(None).total_seconds() == -(3 * 3600 + 1800)  # type: ignore[union-attr]
    assert parse_tz(None).utcoffset(None).total_seconds() == 7 * 3600  # type: ignore[union-attr]
    assert parse_tz("Asia/Ho_Chi_Minh") is not None
