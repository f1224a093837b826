"""Cameras: what a camera record and its addresses may be. The checks are shared by the
command handlers (which refuse a bad camera record) and :mod:`gvcommand.video.urls` (which
builds the addresses it opens).

Plain Python (``urllib.parse``, ``zoneinfo``): no network, no VLC. A stored address never
carries a password: credentials live in the keyring and are put into the address only at the
moment it is opened.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Callable, Mapping
from datetime import UTC, timedelta, timezone, tzinfo
from enum import StrEnum
from typing import Any, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ValidationError
from .model import CameraOwner, CameraVendor, RtspTransport

STREAM_SCHEMES = frozenset({"rtsp", "rtsps", "http", "https"})
"""RTSP for cameras and recorders; HTTP(S) for HLS playlists and MJPEG/MPEG-TS streams."""
DEFAULT_PORTS = {"rtsp": 554, "rtsps": 322, "http": 80, "https": 443}
MAX_CHANNEL = 256  # the largest NVRs (Hikvision DS-96256, Dahua DHI-NVR5864) stop at 256
DEFAULT_TZ = "+07:00"  # Vietnam (no daylight saving)
MAX_URL = 1000  # the column's width

_HOSTNAME = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)"
                       r"(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$")
_OFFSET = re.compile(r"^(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?$")
CREDENTIAL_REF = re.compile(r"^[\w][\w.@:/+-]{0,99}$")

WHERE_CREDENTIALS_GO = (
    "store the user name and password with `gvcommand-admin set-camera-password CODE` "
    "(kept in the keyring) and give the camera that credential reference"
)


def check_host(host: str) -> str:
    """A host name or IP address (IPv6 without brackets), as typed; refused with a reason."""
    host = host.strip()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if not host:
        raise ValidationError("camera host is empty: give its IP address or host name")
    if "@" in host:
        raise ValidationError(f"camera host must not carry a user or password; "
                              f"{WHERE_CREDENTIALS_GO}")
    if "://" in host or "/" in host:
        raise ValidationError(f"camera host '{host}' is an address, not a host: give only the "
                              "IP address or name (e.g. 192.168.1.64)")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    if not _HOSTNAME.fullmatch(host) or host.replace(".", "").isdigit():
        raise ValidationError(f"camera host '{host}' is not an IP address or host name")
    return host


def check_port(port: int | None) -> int | None:
    if port is None:
        return None
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise ValidationError(f"port {port!r} is not a TCP port (1–65535)")
    return port


def check_channel(channel: int) -> int:
    if isinstance(channel, bool) or not isinstance(channel, int) \
            or not 1 <= channel <= MAX_CHANNEL:
        raise ValidationError(f"channel {channel!r} is out of range (1–{MAX_CHANNEL})")
    return channel


def check_stream_url(url: str, what: str = "stream address") -> str:
    """A stored stream address: a known scheme, a host, a valid port, and no password.

    The error never repeats a password found in the address (it would reach the logs).
    """
    url = url.strip()
    if len(url) > MAX_URL:
        raise ValidationError(f"{what} is too long ({len(url)} characters, at most {MAX_URL})")
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a port that is not 0–65535
    except ValueError:
        raise ValidationError(f"{what} is not a valid URL (bad port or brackets)") from None
    if parts.password is not None:
        raise ValidationError(f"{what} carries a password: store addresses without "
                              f"credentials; {WHERE_CREDENTIALS_GO}")
    if parts.scheme.lower() not in STREAM_SCHEMES:
        shown = parts.scheme or "none"
        raise ValidationError(f"{what} has the scheme '{shown}'; expected one of "
                              f"{', '.join(sorted(STREAM_SCHEMES))} (e.g. rtsp://host/path)")
    if not parts.hostname:
        raise ValidationError(f"{what} has no host (expected e.g. rtsp://192.168.1.64/path)")
    if parts.username:
        raise ValidationError(f"{what} carries a user name: store it with the password; "
                              f"{WHERE_CREDENTIALS_GO}")
    if port == 0:
        raise ValidationError(f"{what} has port 0 (expected 1–65535)")
    check_host(parts.hostname)
    if any(ch.isspace() for ch in url):
        raise ValidationError(f"{what} contains spaces (percent-encode them as %20)")
    return url


def parse_tz(value: str | None) -> tzinfo:
    """A device clock's zone: "+07:00", "UTC+7", "-0330", "UTC" or an IANA name."""
    if value is None or not value.strip():
        value = DEFAULT_TZ
    text = value.strip()
    if text.upper() in ("UTC", "Z", "GMT"):
        return UTC
    m = _OFFSET.fullmatch(text.upper())
    if m:
        sign, hours, minutes = m.group(1), int(m.group(2)), int(m.group(3) or 0)
        if hours > 14 or minutes >= 60:
            raise ValidationError(f"time zone offset '{value}' is out of range (−12:00…+14:00)")
        delta = timedelta(hours=hours, minutes=minutes)
        return timezone(-delta if sign == "-" else delta)
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"unknown time zone '{value}': give an offset such as +07:00 "
                              "or a name such as Asia/Ho_Chi_Minh") from None


def check_tz(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    parse_tz(value)
    return value.strip()


def check_credential_ref(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    value = value.strip()
    if not CREDENTIAL_REF.fullmatch(value):
        raise ValidationError("credential reference must be a key name (1–100 letters, digits, "
                              "'.', '_', '-', '@', ':', '/', '+'), never the password itself")
    return value


E = TypeVar("E", bound=StrEnum)


def _enum(kind: type[E], value: Any, default: E, what: str) -> E:
    if value is None or value == "":
        return default
    try:
        return kind(value)
    except ValueError:
        known = ", ".join(m.value for m in kind)
        raise ValidationError(f"unknown {what} '{value}'; known: {known}") from None


def _number(value: Any, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(f"{what} must be a number, not {value!r}")
    return float(value)


def _optional_text(value: str | None, what: str, limit: int) -> str | None:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError(f"{what} is too long ({len(value)} characters, at most {limit})")
    return value or None


def camera_record(fields: Mapping[str, Any], ward_ok: Callable[[str | None], str | None]
                  ) -> dict[str, Any]:
    """A camera's fields (all but the code) checked and normalised, as stored in its events:
    enums as their codes, empty texts as None, azimuth in [0, 360).

    ``ward_ok`` checks a ward code against the state (None passes)."""
    lon, lat = fields["lon"], fields["lat"]
    if not (isinstance(lon, int | float) and isinstance(lat, int | float)
            and -180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):  # also refuses NaN
        raise ValidationError(f"location ({lon}, {lat}) is not a WGS84 longitude/latitude")
    name = (fields["name"] or "").strip()
    if not name:
        raise ValidationError("camera name is required")
    if len(name) > 200:
        raise ValidationError(f"camera name is too long ({len(name)} characters, at most 200)")
    fov = _number(fields.get("fov_deg"), "field of view")
    if fov is not None and not 0 < fov <= 360:
        raise ValidationError("field of view must be between 0 and 360 degrees")
    azimuth = _number(fields.get("azimuth_deg"), "camera azimuth")
    rng = _number(fields.get("range_m"), "camera range")
    if rng is not None and not 0 < rng <= 5000:
        raise ValidationError("camera range must be between 0 and 5000 m")
    vendor = _enum(CameraVendor, fields.get("vendor"), CameraVendor.GENERIC, "camera vendor")
    host = fields.get("host")
    host = check_host(host) if host is not None and host.strip() else None
    main_url = fields.get("main_url")
    main_url = check_stream_url(main_url, "main stream address") if main_url else None
    sub_url = fields.get("sub_url")
    sub_url = check_stream_url(sub_url, "sub-stream address") if sub_url else None
    if vendor in (CameraVendor.HIKVISION, CameraVendor.DAHUA, CameraVendor.ONVIF) \
            and host is None:
        raise ValidationError(f"a {vendor.value} camera needs its host (IP address or name)")
    if sub_url is not None and main_url is None:
        raise ValidationError("a sub-stream address without a main stream address: give the "
                              "main one too (the focused view plays it)")
    return {
        "name": name,
        "lon": float(lon),
        "lat": float(lat),
        "owner": _enum(CameraOwner, fields.get("owner"), CameraOwner.POLICE, "owner").value,
        "ward": ward_ok(fields.get("ward")),
        "azimuth_deg": None if azimuth is None else azimuth % 360,
        "fov_deg": fov,
        "range_m": rng,
        "vendor": vendor.value,
        "host": host,
        "port": check_port(fields.get("port")),
        "channel": check_channel(fields.get("channel", 1)),
        "transport": _enum(RtspTransport, fields.get("transport"), RtspTransport.TCP,
                           "RTSP transport").value,
        "main_url": main_url,
        "sub_url": sub_url,
        "address": _optional_text(fields.get("address"), "address", 300),
        "tz": check_tz(fields.get("tz")),
        "credential_ref": check_credential_ref(fields.get("credential_ref")),
    }
