"""Stream addresses of a camera, per vendor: live main/sub, playback of recorded video, with
credentials put in only at the moment of opening, and shown redacted everywhere else.

Pure Python (no Qt, no VLC, no network), so the admin CLI, the wall and the tests build the
same addresses.

- Hikvision: live ``rtsp://host:554/Streaming/Channels/<ch>01`` (main) / ``<ch>02`` (sub);
  playback ``/Streaming/tracks/<ch>01?starttime=YYYYMMDDTHHMMSSZ&endtime=…`` in UTC.
- Dahua: live ``/cam/realmonitor?channel=N&subtype=0|1``; playback
  ``/cam/playback?channel=N&subtype=0&starttime=YYYY_MM_DD_HH_MM_SS&endtime=…`` in the
  *device's local time* (its time zone is part of the camera record).
- Generic: the RTSP/HTTP/HLS addresses stored with the camera.
- ONVIF: the profile stream URIs the device reports (:func:`resolve_onvif`, optional extra
  ``gvcommand[onvif]``), or the addresses stored after a resolution.

A stored address never has credentials; :func:`with_credentials` adds them (percent-encoded,
so a password with ``@ : / # %`` works) to the address handed to the player, and
:func:`redact` is what every log line and error message shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from ..core.cameras import (
    DEFAULT_PORTS,
    check_channel,
    check_host,
    check_port,
    check_stream_url,
    parse_tz,
)
from ..core.errors import ValidationError
from ..core.model import Camera, CameraVendor, StreamKind
from ..core.redact import redact as redact_log_text

MASK = "***"


class UrlError(ValueError):
    """An address cannot be built or is malformed; the message says why (never a secret)."""


@dataclass(frozen=True, slots=True)
class Credentials:
    """A camera's user name and password, as read from the keyring. Never in a repr."""

    user: str
    password: str = field(repr=False)


# --- building --------------------------------------------------------------------------------


def _host_port(camera: Camera) -> str:
    try:
        host = check_host(camera.host or "")
        port = check_port(camera.port) or DEFAULT_PORTS["rtsp"]
    except ValidationError as exc:
        raise UrlError(f"camera {camera.code}: {exc}") from None
    if ":" in host:  # IPv6
        host = f"[{host}]"
    return f"{host}:{port}"


def _channel(camera: Camera) -> int:
    try:
        return check_channel(camera.channel)
    except ValidationError as exc:
        raise UrlError(f"camera {camera.code}: {exc}") from None


def live_url(camera: Camera, stream: StreamKind | str = StreamKind.SUB) -> str:
    """The live address of ``camera``'s main or sub-stream, without credentials.

    A generic or ONVIF camera without a stored sub-stream gives its main stream for ``sub``
    (see :func:`has_sub_stream`: the wall counts it at main-stream cost).
    """
    kind = StreamKind(stream)
    if kind is StreamKind.PLAYBACK:
        raise UrlError("playback needs a period: use playback_url")
    main = kind is StreamKind.MAIN
    if camera.vendor is CameraVendor.HIKVISION:
        track = _channel(camera) * 100 + (1 if main else 2)
        return f"rtsp://{_host_port(camera)}/Streaming/Channels/{track}"
    if camera.vendor is CameraVendor.DAHUA:
        query = urlencode({"channel": _channel(camera), "subtype": 0 if main else 1})
        return f"rtsp://{_host_port(camera)}/cam/realmonitor?{query}"
    url = camera.main_url if main else (camera.sub_url or camera.main_url)
    if not url:
        hint = (" (resolve its ONVIF profiles first: gvcommand-admin camera-onvif)"
                if camera.vendor is CameraVendor.ONVIF else "")
        raise UrlError(f"camera {camera.code} has no stream address{hint}")
    try:
        return check_stream_url(url, f"camera {camera.code}'s stream address")
    except ValidationError as exc:
        raise UrlError(str(exc)) from None


def has_sub_stream(camera: Camera) -> bool:
    """Whether ``camera`` has a real sub-stream (vendors' devices always do)."""
    return camera.vendor in (CameraVendor.HIKVISION, CameraVendor.DAHUA) or bool(camera.sub_url)


def device_tz(camera: Camera) -> tzinfo:
    try:
        return parse_tz(camera.tz)
    except ValidationError as exc:
        raise UrlError(f"camera {camera.code}: {exc}") from None


def _aware(moment: datetime, what: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise UrlError(f"{what} time {moment.isoformat()} has no time zone: say which "
                       "(e.g. +07:00)")
    return moment


def playback_url(camera: Camera, start: datetime, end: datetime) -> str:
    """The address of ``camera``'s recorded main stream from ``start`` to ``end`` (aware
    datetimes, any zone: converted to UTC for Hikvision, to the device's zone for Dahua)."""
    start, end = _aware(start, "start"), _aware(end, "end")
    if end <= start:
        raise UrlError(f"playback period ends ({end.isoformat()}) before it starts "
                       f"({start.isoformat()})")
    if camera.vendor is CameraVendor.HIKVISION:
        fmt = "%Y%m%dT%H%M%SZ"
        query = (f"starttime={start.astimezone(UTC).strftime(fmt)}"
                 f"&endtime={end.astimezone(UTC).strftime(fmt)}")
        return (f"rtsp://{_host_port(camera)}/Streaming/tracks/{_channel(camera)}01?{query}")
    if camera.vendor is CameraVendor.DAHUA:
        zone = device_tz(camera)
        fmt = "%Y_%m_%d_%H_%M_%S"
        query = (f"channel={_channel(camera)}&subtype=0"
                 f"&starttime={start.astimezone(zone).strftime(fmt)}"
                 f"&endtime={end.astimezone(zone).strftime(fmt)}")
        return f"rtsp://{_host_port(camera)}/cam/playback?{query}"
    raise UrlError(f"camera {camera.code} ({camera.vendor.value}) has no playback address "
                   "scheme: play its recordings from the recorder")


def stream_url(camera: Camera, stream: StreamKind | str, *, start: datetime | None = None,
               end: datetime | None = None) -> str:
    """Live or playback address, by stream kind (playback needs ``start`` and ``end``)."""
    if StreamKind(stream) is StreamKind.PLAYBACK:
        if start is None or end is None:
            raise UrlError("playback needs a start and an end time")
        return playback_url(camera, start, end)
    return live_url(camera, stream)


# --- credentials and redaction ---------------------------------------------------------------


def with_credentials(url: str, credentials: Credentials | None) -> str:
    """``url`` with ``credentials`` as its user info, percent-encoded. Hand the result to the
    player only; log :func:`redact` of it."""
    if credentials is None:
        return url
    parts = urlsplit(url)
    if parts.username is not None or parts.password is not None:
        raise UrlError(f"{redact(url)} already carries credentials")
    if not credentials.user:
        raise UrlError("camera credentials have an empty user name")
    netloc = parts.netloc
    userinfo = quote(credentials.user, safe="")
    if credentials.password:
        userinfo += ":" + quote(credentials.password, safe="")
    return urlunsplit(parts._replace(netloc=f"{userinfo}@{netloc}"))


# scheme://user:password@ in any text. The password may hold raw "@" (greedy up to the last
# "@" before the path) though addresses built here always percent-encode it.
_USERINFO = re.compile(
    r"(?P<head>\b[A-Za-z][A-Za-z0-9+.\-]*://[^\s:/?#@'\"<>]*):(?P<secret>[^\s/'\"<>]*)@"
)
_SECRET_PARAM = re.compile(
    r"(?i)(?P<key>[?&;](?:password|passwd|pwd|pass|token|auth|key|secret)=)(?P<value>[^&#\s'\"]*)"
)


def redact(text: str) -> str:
    """``text`` (an address or a log line holding addresses) with every password shown as
    ``***``: ``rtsp://admin:***@host/...``; password-like query values too. The user name
    stays (it says which account failed)."""

    text = _USERINFO.sub(lambda m: f"{m['head']}:{MASK}@", text)
    text = _SECRET_PARAM.sub(lambda m: f"{m['key']}{MASK}", text)
    return redact_log_text(text)  # password=…, Authorization: … in free text


def opened_url(camera: Camera, stream: StreamKind | str,
               credentials: Credentials | None, **period: Any) -> tuple[str, str]:
    """(the address to open, the same address redacted for logs and the tile's state)."""
    url = with_credentials(stream_url(camera, stream, **period), credentials)
    return url, redact(url)


# --- ONVIF (optional) --------------------------------------------------------------------------


class OnvifUnavailable(RuntimeError):
    """The optional ONVIF libraries are not installed."""


@dataclass(frozen=True, slots=True)
class OnvifProfile:
    token: str
    name: str
    width: int | None
    height: int | None
    uri: str  # without credentials


def _import_onvif() -> Any:
    try:
        import onvif  # type: ignore[import-not-found,import-untyped,unused-ignore]  # onvif-zeep-async
    except ImportError:
        raise OnvifUnavailable(
            "ONVIF support is not installed: pip install 'gvcommand[onvif]' "
            "(onvif-zeep-async, WSDiscovery); or store the camera's stream addresses as a "
            "generic camera") from None
    return onvif


def _strip_userinfo(uri: str, credentials: Credentials | None = None) -> str:
    """``uri`` without the user:password@ some devices echo into their stream URIs (raw,
    so a password with "/" or "#" would confuse a URL parser: the known credentials are
    removed as they are first)."""
    scheme, sep, rest = uri.partition("://")
    if not sep:
        return uri
    if credentials is not None:
        for user in {credentials.user, quote(credentials.user, safe="")}:
            for secret in {credentials.password, quote(credentials.password, safe="")}:
                for prefix in (f"{user}:{secret}@", f"{user}@"):
                    if rest.startswith(prefix):
                        return f"{scheme}://{rest[len(prefix):]}"
    parts = urlsplit(uri)
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


async def onvif_profiles(host: str, port: int, credentials: Credentials,
                         *, camera_factory: Callable[..., Any] | None = None,
                         ) -> list[OnvifProfile]:
    """The device's media profiles and their RTSP stream URIs (largest first, so index 0
    is the main stream and the last the sub-stream), credentials stripped from the URIs.

    Asks the device over the network: run on an I/O worker, never the GUI thread.
    ``camera_factory`` replaces ``onvif.ONVIFCamera`` (tests).
    """
    factory = camera_factory or _import_onvif().ONVIFCamera
    cam = factory(host, port, credentials.user, credentials.password)
    try:
        await cam.update_xaddrs()
        media = await cam.create_media_service()
        found: list[OnvifProfile] = []
        for profile in await media.GetProfiles():
            request = {"ProfileToken": profile.token,
                       "StreamSetup": {"Stream": "RTP-Unicast", "Transport": {"Protocol": "RTSP"}}}
            uri = (await media.GetStreamUri(request)).Uri
            resolution = getattr(getattr(profile, "VideoEncoderConfiguration", None),
                                 "Resolution", None)
            found.append(OnvifProfile(
                str(profile.token), str(getattr(profile, "Name", profile.token)),
                getattr(resolution, "Width", None), getattr(resolution, "Height", None),
                _strip_userinfo(str(uri), credentials)))
    except OnvifUnavailable:
        raise
    except Exception as exc:  # zeep/httpx raise many kinds; say which device, never the secret
        detail = redact(str(exc))
        if credentials.password:
            detail = detail.replace(credentials.password, MASK)
        if re.search(r"(?i)not\s*authori[sz]ed|unauthori[sz]ed|\b401\b", detail):
            raise UrlError(f"ONVIF device {host}:{port} refused the user name or password "
                           f"stored for it (authentication failed: {detail})") from None
        raise UrlError(f"ONVIF device {host}:{port} did not give its profiles: "
                       f"{detail or type(exc).__name__}") from None
    finally:
        close = getattr(cam, "close", None)
        if close is not None:
            await close()
    found.sort(key=lambda p: -((p.width or 0) * (p.height or 0)))
    return found


def discover_onvif(timeout_s: float = 3.0) -> list[str]:
    """ONVIF devices answering a WS-Discovery probe on the local network (their service
    addresses). Blocks for ``timeout_s``: an I/O worker's job."""
    try:
        from wsdiscovery import QName  # type: ignore[import-not-found,import-untyped,unused-ignore]
        from wsdiscovery.discovery import (  # type: ignore[import-not-found,import-untyped,unused-ignore]
            ThreadedWSDiscovery,
        )
    except ImportError:
        raise OnvifUnavailable("WS-Discovery is not installed: pip install "
                               "'gvcommand[onvif]'") from None
    wsd = ThreadedWSDiscovery()
    wsd.start()
    try:
        services = wsd.searchServices(
            types=[QName("http://www.onvif.org/ver10/network/wsdl", "NetworkVideoTransmitter")],
            timeout=timeout_s)
        return sorted({addr for s in services for addr in s.getXAddrs()})
    finally:
        wsd.stop()
