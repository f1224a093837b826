"""Stream addresses per vendor (live, playback time formats), credentials put in
percent-encoded, redaction, and malformed input refused clearly."""

from __future__ import annotations

import asyncio
import logging
import sys
from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gvcommand.core.model import Camera, CameraVendor, StreamKind
from gvcommand.video import urls
from gvcommand.video.urls import Credentials, UrlError

ICT = timezone(timedelta(hours=7))


def cam(vendor: CameraVendor, **kw: Any) -> Camera:
    return Camera("CS-1", "Ngã tư", 106.68, 10.83, vendor=vendor, **kw)


def test_hikvision_live_and_playback() -> None:
    c = cam(CameraVendor.HIKVISION, host="10.0.0.64", channel=1)
    assert urls.live_url(c, "main") == "rtsp://10.0.0.64:554/Streaming/Channels/101"
    assert urls.live_url(c, StreamKind.SUB) == "rtsp://10.0.0.64:554/Streaming/Channels/102"
    c12 = cam(CameraVendor.HIKVISION, host="nvr.local", port=10554, channel=12)
    assert urls.live_url(c12, "main") == "rtsp://nvr.local:10554/Streaming/Channels/1201"
    # 19:30 in Hồ Chí Minh City is 12:30 UTC; Hikvision wants UTC with a Z
    start = datetime(2026, 11, 28, 19, 30, 0, tzinfo=ICT)
    assert urls.playback_url(c12, start, start + timedelta(minutes=5)) == (
        "rtsp://nvr.local:10554/Streaming/tracks/1201"
        "?starttime=20261128T123000Z&endtime=20261128T123500Z")


def test_dahua_live_and_playback_in_device_local_time() -> None:
    c = cam(CameraVendor.DAHUA, host="10.0.0.108", channel=3, tz="+07:00")
    assert urls.live_url(c, "main") == "rtsp://10.0.0.108:554/cam/realmonitor?channel=3&subtype=0"
    assert urls.live_url(c, "sub") == "rtsp://10.0.0.108:554/cam/realmonitor?channel=3&subtype=1"
    start = datetime(2026, 11, 28, 23, 59, 30, tzinfo=UTC)  # 06:59:30 next day in +07:00
    assert urls.playback_url(c, start, start + timedelta(seconds=45)) == (
        "rtsp://10.0.0.108:554/cam/playback?channel=3&subtype=0"
        "&starttime=2026_11_29_06_59_30&endtime=2026_11_29_07_00_15")
    # a device whose clock is set to UTC (a misconfigured import happens): its own zone counts
    utc_dev = cam(CameraVendor.DAHUA, host="10.0.0.108", channel=3, tz="UTC")
    assert "starttime=2026_11_28_23_59_30" in urls.playback_url(
        utc_dev, start, start + timedelta(seconds=1))
    # no tz recorded: Vietnam
    assert "starttime=2026_11_29_06_59_30" in urls.playback_url(
        cam(CameraVendor.DAHUA, host="h", channel=1), start, start + timedelta(seconds=1))


def test_generic_and_ipv6() -> None:
    c = cam(CameraVendor.GENERIC, main_url="rtsp://127.0.0.1:8554/cam001",
            sub_url="rtsp://127.0.0.1:8554/cam001/sub")
    assert urls.live_url(c, "main") == "rtsp://127.0.0.1:8554/cam001"
    assert urls.live_url(c, "sub") == "rtsp://127.0.0.1:8554/cam001/sub"
    hls = cam(CameraVendor.GENERIC, main_url="https://cams.example.vn/a/playlist.m3u8")
    assert urls.live_url(hls, "sub") == "https://cams.example.vn/a/playlist.m3u8"
    assert not urls.has_sub_stream(hls)
    v6 = cam(CameraVendor.HIKVISION, host="fd00::64", channel=2)
    assert urls.live_url(v6, "sub") == "rtsp://[fd00::64]:554/Streaming/Channels/202"
    with pytest.raises(UrlError, match="no playback address"):
        urls.playback_url(c, datetime.now(UTC), datetime.now(UTC) + timedelta(1))


@pytest.mark.parametrize(("camera", "words"), [
    (cam(CameraVendor.HIKVISION, host=None), "host is empty"),
    (cam(CameraVendor.HIKVISION, host="10.0.0.1", channel=0), "out of range"),
    (cam(CameraVendor.DAHUA, host="10.0.0.1", channel=999), "out of range"),
    (cam(CameraVendor.DAHUA, host="10.0.0.1", port=0), "1–65535"),
    (cam(CameraVendor.DAHUA, host="a b"), "not an IP address"),
    (cam(CameraVendor.GENERIC), "no stream address"),
    (cam(CameraVendor.ONVIF, host="10.0.0.1"), "ONVIF"),
    (cam(CameraVendor.GENERIC, main_url="gopher://x/y"), "scheme 'gopher'"),
    (cam(CameraVendor.GENERIC, main_url="rtsp://:554/x"), "no host"),
    (cam(CameraVendor.GENERIC, main_url="rtsp://h:70000/x"), "bad port"),
    (cam(CameraVendor.GENERIC, main_url="rtsp://u:topsecret@h/x"), "password"),
])
def test_malformed_input_gives_a_clear_error(camera: Camera, words: str) -> None:
    with pytest.raises(UrlError, match=words) as info:
        urls.live_url(camera, "main")
    assert "topsecret" not in str(info.value)


def test_playback_period_is_checked() -> None:
    c = cam(CameraVendor.HIKVISION, host="h")
    now = datetime(2026, 1, 1, 12, tzinfo=ICT)
    with pytest.raises(UrlError, match="before it starts"):
        urls.playback_url(c, now, now)
    with pytest.raises(UrlError, match="no time zone"):
        urls.playback_url(c, now.replace(tzinfo=None), now + timedelta(1))
    with pytest.raises(UrlError, match="start and an end"):
        urls.stream_url(c, "playback", start=now)


@pytest.mark.parametrize("password", ["p@ss:w/rd#1%", "mật khẩu ♥", "a b&c=d?e"])
def test_credentials_are_percent_encoded_and_round_trip(password: str) -> None:
    c = cam(CameraVendor.HIKVISION, host="10.0.0.64")
    url, shown = urls.opened_url(c, "main", Credentials("admin@cs", password))
    parts = urlsplit(url)
    assert parts.hostname == "10.0.0.64" and parts.port == 554
    assert parts.path == "/Streaming/Channels/101"
    assert unquote(parts.username or "") == "admin@cs"
    assert unquote(parts.password or "") == password
    assert shown == "rtsp://admin%40cs:***@10.0.0.64:554/Streaming/Channels/101"
    assert password not in shown and parts.password not in shown


def test_credentials_only_once() -> None:
    with pytest.raises(UrlError, match="already carries") as info:
        urls.with_credentials("rtsp://a:zz@h/x", Credentials("b", "c"))
    assert "zz" not in str(info.value)
    assert urls.with_credentials("rtsp://h/x", None) == "rtsp://h/x"
    assert urls.with_credentials("rtsp://h/x", Credentials("viewer", "")) == "rtsp://viewer@h/x"


def test_redact_in_free_text_and_query_strings(caplog: pytest.LogCaptureFixture) -> None:
    line = ("ffmpeg -i rtsp://admin:Secr3t@10.0.0.5:554/Streaming/Channels/101 failed; "
            "retrying http://cam/snap.jpg?user=admin&pwd=Secr3t&x=1")
    shown = urls.redact(line)
    assert "Secr3t" not in shown
    assert "rtsp://admin:***@10.0.0.5:554/Streaming/Channels/101" in shown
    assert "pwd=***&x=1" in shown
    assert urls.redact("rtsp://10.0.0.5/x") == "rtsp://10.0.0.5/x"
    logging.getLogger("gvcommand.video").warning("cannot open %s", urls.redact(line))
    assert "Secr3t" not in caplog.text


def test_credentials_repr_hides_the_password() -> None:
    assert "hunter2" not in repr(Credentials("admin", "hunter2"))


def test_onvif_missing_library_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    # as on a workstation without the optional extra (here it is installed: hide it)
    monkeypatch.setitem(sys.modules, "onvif", None)
    with pytest.raises(urls.OnvifUnavailable, match=r"gvcommand\[onvif\]"):
        asyncio.run(urls.onvif_profiles("10.0.0.1", 80, Credentials("a", "b")))


class _FakeMedia:
    """What onvif-zeep-async's media service answers (the objects zeep builds)."""

    async def GetProfiles(self) -> list[Any]:
        def profile(token: str, w: int, h: int) -> Any:
            res = SimpleNamespace(Width=w, Height=h)
            return SimpleNamespace(token=token, Name=token,
                                   VideoEncoderConfiguration=SimpleNamespace(Resolution=res))
        return [profile("sub", 640, 360), profile("main", 2560, 1440)]

    async def GetStreamUri(self, request: dict[str, Any]) -> Any:
        token = request["ProfileToken"]
        return SimpleNamespace(Uri=f"rtsp://admin:leak@10.0.0.9:554/{token}")


class _FakeOnvifCamera:
    closed = False

    def __init__(self, host: str, port: int, user: str, password: str) -> None:
        self.args = (host, port, user, password)

    async def update_xaddrs(self) -> None:
        if self.args[3] == "wrong":
            raise RuntimeError("Sender not Authorized: password=wrong")

    async def create_media_service(self) -> _FakeMedia:
        return _FakeMedia()

    async def close(self) -> None:
        type(self).closed = True


def test_onvif_profiles_largest_first_without_credentials() -> None:
    found = asyncio.run(urls.onvif_profiles("10.0.0.9", 80, Credentials("admin", "x"),
                                            camera_factory=_FakeOnvifCamera))
    assert [p.token for p in found] == ["main", "sub"]
    assert found[0].uri == "rtsp://10.0.0.9:554/main"  # the device's echo of the secret is gone
    assert _FakeOnvifCamera.closed
    with pytest.raises(UrlError, match="refused the user name or password") as info:
        asyncio.run(urls.onvif_profiles("10.0.0.9", 80, Credentials("admin", "wrong"),
                                        camera_factory=_FakeOnvifCamera))
    assert "wrong" not in str(info.value) and "Sender not Authorized" in str(info.value)


@settings(max_examples=300, deadline=None)
@given(user=st.text(min_size=1, max_size=20).filter(lambda s: "\x00" not in s),
       password=st.text(min_size=1, max_size=40).filter(lambda s: "\x00" not in s),
       vendor=st.sampled_from([CameraVendor.HIKVISION, CameraVendor.DAHUA]),
       channel=st.integers(1, 256), stream=st.sampled_from(["main", "sub"]))
def test_any_password_round_trips_and_never_shows(user: str, password: str,
                                                  vendor: CameraVendor, channel: int,
                                                  stream: str) -> None:
    c = cam(vendor, host="10.1.2.3", channel=channel)
    url, shown = urls.opened_url(c, stream, Credentials(user, password))
    parts = urlsplit(url)
    assert (parts.hostname, parts.port) == ("10.1.2.3", 554)
    assert unquote(parts.username or "") == user
    assert unquote(parts.password or "") == password
    plain = urls.live_url(c, stream)
    assert shown == plain.replace("rtsp://", f"rtsp://{quote(user, safe='')}:***@", 1)
