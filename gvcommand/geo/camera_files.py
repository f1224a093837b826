"""Camera lists as administrators bring them: CSV (a spreadsheet export: any of ``,`` ``;``
tab, a BOM, decimal commas, English or Vietnamese headers) or GeoJSON points (RFC 7946,
WGS84), read into camera fields row by row, each bad row with its line or feature number.

No database here: `gvcommand-admin import-cameras` (gvcommand.admin.cameras) decides what to store.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from pathlib import Path
from typing import Any

from ..core.errors import DomainError, ValidationError
from ..core.model import CameraOwner


def fold(text: str) -> str:
    """Case- and diacritics-insensitive form ("Phường 1" ~ "phuong 1")."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold().strip()


_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("code", "id", "camera_id", "cctv_id", "ma", "ma_camera"),
    "name": ("name", "ten", "ten_camera", "title"),
    "lon": ("lon", "lng", "longitude", "kinh_do", "x"),
    "lat": ("lat", "latitude", "vi_do", "y"),
    "azimuth_deg": ("azimuth", "azimuth_deg", "huong", "bearing", "heading"),
    "fov_deg": ("fov", "fov_deg", "field_of_view", "goc_nhin"),
    "range_m": ("range", "range_m", "tam_xa"),
    "owner": ("owner", "owner_type", "chu_so_huu"),
    "vendor": ("vendor", "hang", "brand"),
    "host": ("host", "ip", "ip_address"),
    "port": ("port", "rtsp_port"),
    "channel": ("channel", "kenh"),
    "transport": ("transport", "rtsp_transport"),
    "main_url": ("main_url", "url", "rtsp", "stream_url"),
    "sub_url": ("sub_url", "sub_stream_url"),
    "hls": ("hls",),
    "address": ("address", "dia_chi", "location_description"),
    "ward": ("ward", "phuong", "ward_code"),
    "tz": ("tz", "timezone", "time_zone"),
    "credential_ref": ("credential_ref", "credentials"),
}
_OWNER_WORDS = {fold(o.value): o for o in CameraOwner} | {
    fold(o.label): o for o in CameraOwner} | {
    "cong an": CameraOwner.POLICE, "phuong": CameraOwner.WARD, "tu nhan": CameraOwner.PRIVATE,
    "nguoi dan": CameraOwner.PRIVATE}
_FLOATS = ("lon", "lat", "azimuth_deg", "fov_deg", "range_m")
_INTS = ("port", "channel")


def _key(header: str) -> str | None:
    folded = fold(header).replace(" ", "_").replace("-", "_")
    for key, names in _ALIASES.items():
        if folded in names:
            return key
    return None


def row_fields(raw: dict[str, Any]) -> dict[str, Any]:
    """A row's values under the camera's field names, typed; raises ValidationError."""
    fields: dict[str, Any] = {}
    for header, value in raw.items():
        key = _key(str(header))
        if key is None or value is None or (isinstance(value, str) and not value.strip()):
            continue
        fields[key] = value.strip() if isinstance(value, str) else value
    hls = fields.pop("hls", None)
    if "main_url" not in fields and hls:
        fields["main_url"] = hls
    for key in _FLOATS:
        if key in fields:
            try:
                fields[key] = float(str(fields[key]).replace(",", ".")
                                    if isinstance(fields[key], str) else fields[key])
            except ValueError:
                raise ValidationError(f"{key} '{fields[key]}' is not a number") from None
    for key in _INTS:
        if key in fields:
            try:
                fields[key] = int(str(fields[key]))
            except ValueError:
                raise ValidationError(f"{key} '{fields[key]}' is not a whole number") from None
    if "code" not in fields:
        raise ValidationError("no camera code (a column code or id)")
    fields["code"] = str(fields["code"])
    if "lon" not in fields or "lat" not in fields:
        if raw.get("_geometry"):
            raise ValidationError(f"its geometry is a {raw['_geometry']}; a camera is a Point")
        raise ValidationError("no location (lon and lat in WGS84)")
    if fields["lon"] == 0.0 and fields["lat"] == 0.0:
        raise ValidationError("location (0, 0) is a missing position, not a camera's")
    fields.setdefault("name", fields["code"])
    if "owner" in fields:
        owner = _OWNER_WORDS.get(fold(str(fields["owner"])))
        if owner is None:
            raise ValidationError(f"owner '{fields['owner']}' is not police, ward or private")
        fields["owner"] = owner
    if "vendor" in fields:
        fields["vendor"] = fold(str(fields["vendor"]))
    return fields


def read_camera_file(path: Path) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    """(rows as ("line N", fields), errors as "line N: why") of a CSV or GeoJSON file."""
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig", errors="strict") if raw else ""
    rows: list[tuple[str, dict[str, Any]]] = []
    errors: list[str] = []
    if path.suffix.lower() in (".geojson", ".json") or text.lstrip().startswith("{"):
        items = _geojson_rows(text, path)
    else:
        items = _csv_rows(text)
    seen: dict[str, str] = {}
    for where, raw_row in items:
        try:
            fields = row_fields(raw_row)
            if fields["code"] in seen:
                raise ValidationError(f"camera {fields['code']} is also at {seen[fields['code']]}")
            seen[fields["code"]] = where
            rows.append((where, fields))
        except ValidationError as exc:
            errors.append(f"{where}: {exc}")
    return rows, errors


def _csv_rows(text: str) -> list[tuple[str, dict[str, Any]]]:
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    out = []
    for row in reader:
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        out.append((f"line {reader.line_num}", dict(row)))
    return out


def _geojson_rows(text: str, path: Path) -> list[tuple[str, dict[str, Any]]]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise DomainError(f"{path} is not JSON: {exc}") from None
    if data.get("type") != "FeatureCollection":
        raise DomainError(f"{path} is not a GeoJSON FeatureCollection")
    crs_name = (((data.get("crs") or {}).get("properties") or {}).get("name") or "")
    if crs_name and not any(k in crs_name for k in ("CRS84", "4326")):
        raise DomainError(f"{path} declares the CRS {crs_name}: give WGS84 longitude/latitude "
                          "(RFC 7946 GeoJSON)")
    out = []
    for n, feature in enumerate(data.get("features") or [], start=1):
        where = f"feature {n}"
        props = dict(feature.get("properties") or {})
        geometry = feature.get("geometry") or {}
        if feature.get("id") is not None:
            props.setdefault("id", feature["id"])
        if geometry.get("type") == "Point" and len(geometry.get("coordinates") or []) >= 2:
            props["lon"], props["lat"] = geometry["coordinates"][:2]
        elif geometry:
            props["lon"] = props["lat"] = None  # reported as "no location" with the reason
            props["_geometry"] = geometry.get("type")
        out.append((where, props))
    return out
