"""Read boundary, road and point files into WGS 84 features, or fail with a message that helps.

Everything goes through GDAL (pyogrio) so that the formats people actually send us (GeoJSON,
Shapefile, zipped Shapefile, GeoPackage, KML, KMZ, CSV) are read by a library that has met
their quirks, and coordinates go through ``gvcommand.geo.crs`` so that VN-2000 data gets the
pinned national transformation. An import either returns every feature or raises
``GeoImportError`` naming the file (and the feature) and what to do; a partial layer is
never returned, because a ward layer missing a ward looks complete on a map.
"""

from __future__ import annotations

import csv
import io
import math
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio  # type: ignore[import-untyped]
import pyproj
import shapely  # type: ignore[import-untyped]
from pyogrio import raw
from pyogrio.errors import DataLayerError, DataSourceError  # type: ignore[import-untyped]

from gvcommand.geo import crs as gcrs
from gvcommand.geo import vn_legacy_encodings as legacy

Progress = Callable[[int, int], None]
BATCH = 1000
"""Features per progress report and per cancellation check."""
# Drivers whose datasets reopen cheaply and seek by feature index: read them in batches so
# that cancelling a big import is prompt. Others (GeoJSON, KML) parse the whole file on every
# open, so they are read once and only the Python-side work is batched.
_BATCHED_DRIVERS = frozenset({"ESRI Shapefile", "GPKG", "FlatGeobuf", "OpenFileGDB"})
_NAME_FIELDS = ("name", "ten", "ten_xa", "ten_phuong", "tenphuong", "ten_dvhc", "label")
_FAMILIES = {
    "Point": "Point", "MultiPoint": "Point", "LineString": "LineString",
    "MultiLineString": "LineString", "Polygon": "Polygon", "MultiPolygon": "Polygon",
}  # fmt: skip
_DATA_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".kml", ".fgb")
_SAMPLE = 256


class GeoImportError(Exception):
    """An import failed; the message names the file (and feature) and says what to do."""

    def __init__(self, message: str, *, path: Path | str, feature: int | None = None) -> None:
        super().__init__(message)
        self.path = Path(path)
        self.feature = feature


class ImportCancelled(GeoImportError):
    """The caller set the cancel event; nothing was imported."""


@dataclass(frozen=True)
class Feature:
    name: str | None
    geometry: shapely.Geometry
    attributes: dict[str, Any]


@dataclass
class ImportResult:
    features: list[Feature]
    source_crs: str
    warnings: list[str]
    path: Path
    layer: str | None = None
    field_names: list[str] = field(default_factory=list)


def read_layer(
    path: Path | str,
    *,
    crs: str | None = None,
    name_field: str | None = None,
    geometry_types: set[str] | None = None,
    layer: str | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    expect_vietnam: bool = True,
) -> ImportResult:
    """Read one layer of a GeoJSON, Shapefile (.shp or .zip), GeoPackage, KML or KMZ file.

    Geometries come back in WGS 84 (lon, lat), 2-D, valid (invalid ones repaired with a
    warning). ``crs`` overrides or supplies the file's CRS; ``geometry_types`` (e.g.
    ``{"Polygon", "MultiPolygon"}``) rejects files of the wrong kind; ``name_field`` picks
    the attribute used as the feature name (default: a field called name/ten/… if any).
    Features are numbered from 1 in messages, in file order.
    """
    path = Path(path)
    unknown = (geometry_types or set()) - _FAMILIES.keys()
    if unknown:
        raise ValueError(f"unknown geometry types {sorted(unknown)}; use {sorted(_FAMILIES)}")
    _check_file(path)
    warnings: list[str] = []
    src = _gdal_source(path)
    try:
        layer = _choose_layer(path, src, layer, warnings)
        info = pyogrio.read_info(src, layer=layer, force_feature_count=True)
    except (DataSourceError, DataLayerError) as exc:
        raise _unreadable(path, exc) from exc
    total = int(info["features"])
    if total <= 0:
        raise GeoImportError(f"{path}: layer '{layer}' has no features", path=path)
    fields = [str(f) for f in info["fields"]]
    name_field = _choose_name_field(path, fields, name_field)
    if path.suffix.lower() == ".shp" and not _sibling(path, ".dbf"):
        warnings.append(f"{path}: no .dbf file beside it, so the features have no attributes")

    source_crs: str | None = None
    geoms: list[shapely.Geometry] = []
    records: list[dict[str, Any]] = []
    first_xy: tuple[np.ndarray, np.ndarray] | None = None
    _progress(progress, cancel, 0, total, path)
    try:
        for batch_geoms, batch_fields in _batches(src, layer, total, str(info["driver"])):
            if source_crs is None:
                first_xy = _sample_xy(batch_geoms)
                source_crs = _decide_crs(path, crs, info["crs"], first_xy, warnings)
            batch_geoms = _to_wgs84(path, source_crs, batch_geoms)
            geoms.extend(batch_geoms)
            records.extend(dict(zip(fields, row, strict=True)) for row in batch_fields)
            _progress(progress, cancel, len(geoms), total, path)
    except (DataSourceError, DataLayerError) as exc:
        raise _unreadable(path, exc) from exc
    assert source_crs is not None and first_xy is not None
    warnings += legacy.repair_records(records, fields)
    features = _build_features(path, geoms, records, name_field, geometry_types, warnings)
    if not features:
        raise GeoImportError(f"{path}: no feature has a usable geometry", path=path)
    if expect_vietnam:
        _warn_outside_vietnam(path, source_crs, features, first_xy, warnings)
    _check_cancel(cancel, path)
    return ImportResult(features, source_crs, warnings, path, layer, fields)


def read_points_csv(
    path: Path | str,
    *,
    x: str,
    y: str,
    crs: str = gcrs.WGS84,
    name: str | None = None,
    delimiter: str | None = None,
    encoding: str = "utf-8",
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    expect_vietnam: bool = True,
) -> ImportResult:
    """Read a CSV of points: ``x``/``y`` name the coordinate columns, in ``crs``.

    Rows with blank, unparsable or out-of-range coordinates (and 0,0 placeholders in lon/lat
    files) are skipped and counted in a warning; a decimal comma is accepted when the
    delimiter is not a comma. Every other column becomes a string attribute.
    """
    path = Path(path)
    _check_file(path)
    warnings: list[str] = []
    try:
        # utf-8-sig: Excel's "CSV UTF-8" starts with a byte-order mark
        text = path.read_text(encoding="utf-8-sig" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError as exc:
        raise GeoImportError(
            f"{path}: is not {encoding} text ({exc.reason} at byte {exc.start}); "
            "save it as UTF-8 or give its encoding (e.g. cp1258, utf-16)",
            path=path,
        ) from exc
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip() for h in next(reader, [])]
    for column in (x, y, name):
        if column is not None and column not in header:
            raise GeoImportError(
                f"{path}: has no column '{column}'; its columns are: {', '.join(header)}",
                path=path,
            )
    ix, iy = header.index(x), header.index(y)
    geographic = crs in (gcrs.WGS84, gcrs.WGS84_LATLON)
    xs: list[float] = []
    ys: list[float] = []
    lines: list[int] = []
    records: list[dict[str, Any]] = []
    bad: list[int] = []
    zero: list[int] = []
    rows = [(reader.line_num, row) for row in reader]  # line numbers as an editor shows them
    _progress(progress, cancel, 0, len(rows), path)
    for n, (line, row) in enumerate(rows, start=1):
        px = _parse_number(row[ix] if ix < len(row) else "", delimiter)
        py = _parse_number(row[iy] if iy < len(row) else "", delimiter)
        if px is None or py is None:
            bad.append(line)
        elif geographic and px == 0 and py == 0:
            zero.append(line)
        else:
            xs.append(px)
            ys.append(py)
            lines.append(line)
            records.append({h: (v or None) for h, v in zip(header, row, strict=False) if h})
        if n % BATCH == 0 and n < len(rows):
            _progress(progress, cancel, n, len(rows), path)
    if bad:
        warnings.append(_skipped(path, len(bad), "blank or unparsable coordinates", bad))
    if zero:
        warnings.append(_skipped(path, len(zero), "0,0 placeholder coordinates", zero))
    if not xs:
        raise GeoImportError(
            f"{path}: no row has usable coordinates in columns '{x}' and '{y}'", path=path
        )
    ax, ay = np.asarray(xs), np.asarray(ys)
    if geographic:
        lon, lat = (ax, ay) if crs == gcrs.WGS84 else (ay, ax)
        ok = (np.abs(lon) <= 180) & (np.abs(lat) <= 90)
        if not ok.any():
            raise GeoImportError(
                _not_lonlat(path, "is read as WGS 84 but its coordinates", ax, ay), path=path
            )
        if not ok.all():
            out = [lines[i] for i in np.flatnonzero(~ok)]
            warnings.append(_skipped(path, len(out), "coordinates out of lon/lat range", out))
            ax, ay = ax[ok], ay[ok]
            records = [r for r, keep in zip(records, ok, strict=True) if keep]
    first_xy = (ax[:: max(1, ax.size // _SAMPLE)], ay[:: max(1, ay.size // _SAMPLE)])
    geoms = _to_wgs84(path, crs, list(shapely.points(ax, ay)))
    fields = [h for h in header if h]
    warnings += legacy.repair_records(records, fields)
    features = _build_features(path, geoms, records, name, None, warnings)
    if expect_vietnam:
        _warn_outside_vietnam(path, crs, features, first_xy, warnings)
    _progress(progress, cancel, len(rows), len(rows), path)
    return ImportResult(features, crs, warnings, path, None, fields)


# --- opening -----------------------------------------------------------------------------


def _check_file(path: Path) -> None:
    if not path.exists():
        raise GeoImportError(f"{path}: file not found; check the name and folder", path=path)
    if path.is_file() and path.stat().st_size == 0:
        raise GeoImportError(f"{path}: the file is empty (0 bytes); export it again", path=path)
    if path.suffix.lower() == ".shp" and not _sibling(path, ".shx"):
        raise GeoImportError(
            f"{path}: the .shx file that belongs to this shapefile is missing; copy the .shp, "
            ".shx, .dbf, .prj and .cpg files together (or send them as one .zip)",
            path=path,
        )
    if path.suffix.lower() == ".shp" and path.is_file():
        # GDAL reads a truncated .shp without error, as features with no geometry; the
        # header's file length (16-bit words, big-endian, bytes 24–27) tells the truth.
        with path.open("rb") as f:
            header = f.read(28)
        expected = int.from_bytes(header[24:28], "big") * 2 if len(header) == 28 else -1
        if path.stat().st_size < expected:
            raise GeoImportError(
                f"{path}: the .shp file is cut short ({path.stat().st_size} of {expected} "
                "bytes); copy or export it again",
                path=path,
            )


def _sibling(path: Path, suffix: str) -> bool:
    return path.with_suffix(suffix).exists() or path.with_suffix(suffix.upper()).exists()


def _gdal_source(path: Path) -> str:
    """The GDAL path for a file: zip members through /vsizip/, KMZ without LIBKML too."""
    suffix = path.suffix.lower()
    if suffix not in (".zip", ".kmz"):
        return str(path)
    if suffix == ".kmz" and "LIBKML" in pyogrio.list_drivers():
        return str(path)  # LIBKML opens .kmz itself (and /vsizip/ is refused for it)
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.namelist() if not m.startswith("__MACOSX")]
    except zipfile.BadZipFile as exc:
        raise GeoImportError(f"{path}: is not a valid zip archive ({exc})", path=path) from exc
    wanted = (".kml",) if suffix == ".kmz" else _DATA_SUFFIXES
    data = [m for m in members if m.lower().endswith(wanted)]
    folders = {m.rpartition("/")[0] for m in data}
    if len(data) == 1:
        return f"/vsizip/{path}/{data[0]}"
    if data and len(folders) == 1 and all(m.lower().endswith(".shp") for m in data):
        return f"/vsizip/{path}/{folders.pop()}".rstrip("/")  # one layer per shapefile
    listing = ", ".join(data) or "nothing GDAL reads"
    raise GeoImportError(
        f"{path}: the archive holds {listing}; unzip it and import one file", path=path
    )


def _choose_layer(path: Path, src: str, layer: str | None, warnings: list[str]) -> str:
    layers = [str(name) for name, _ in pyogrio.list_layers(src)]
    if not layers:
        raise GeoImportError(f"{path}: the file holds no layers", path=path)
    if layer is not None:
        if layer not in layers:
            raise GeoImportError(
                f"{path}: has no layer '{layer}'; its layers are: {', '.join(layers)}", path=path
            )
        return layer
    if len(layers) > 1:
        warnings.append(
            f"{path}: has {len(layers)} layers ({', '.join(layers)}); read '{layers[0]}'. "
            "Choose another layer to import it instead"
        )
    return layers[0]


def _choose_name_field(path: Path, fields: list[str], name_field: str | None) -> str | None:
    if name_field is not None:
        if name_field not in fields:
            raise GeoImportError(
                f"{path}: has no field '{name_field}'; its fields are: {', '.join(fields)}",
                path=path,
            )
        return name_field
    lowered = {f.lower(): f for f in fields}
    return next((lowered[c] for c in _NAME_FIELDS if c in lowered), None)


def _batches(
    src: str, layer: str, total: int, driver: str
) -> Iterator[tuple[list[shapely.Geometry], list[tuple[Any, ...]]]]:
    """(geometries, attribute rows) in batches of ``BATCH`` features, in file order."""
    steps = range(0, total, BATCH) if driver in _BATCHED_DRIVERS else [0]
    for skip in steps:
        limit = BATCH if driver in _BATCHED_DRIVERS else None
        _, _, wkb, columns = raw.read(
            src, layer=layer, force_2d=True, skip_features=skip, max_features=limit
        )
        geoms = list(shapely.from_wkb(wkb))
        rows = list(zip(*(_plain(c) for c in columns), strict=True)) or [()] * len(geoms)
        for start in range(0, len(geoms), BATCH):
            yield geoms[start : start + BATCH], rows[start : start + BATCH]


def _plain(column: np.ndarray) -> list[Any]:
    """numpy values → plain Python; NaN and NaT (GDAL's nulls for numbers/dates) → None."""
    return [None if isinstance(v, float) and math.isnan(v) else v for v in column.tolist()]


def _unreadable(path: Path, exc: Exception) -> GeoImportError:
    message = str(exc)
    if "not recognized as being in a supported file format" in message:
        hint = "it is damaged, or not the format its name says"
    elif ".shx" in message:
        hint = "the shapefile's .shx file is missing; copy .shp, .shx, .dbf, .prj together"
    else:
        hint = f"{message}; the file may be truncated or damaged: export it again"
    return GeoImportError(f"{path}: cannot be read as map data: {hint}", path=path)


# --- coordinates -------------------------------------------------------------------------


def _sample_xy(geoms: list[shapely.Geometry]) -> tuple[np.ndarray, np.ndarray]:
    coords = shapely.get_coordinates(np.asarray(geoms, dtype=object))
    coords = coords[:: max(1, len(coords) // _SAMPLE)]
    return coords[:, 0], coords[:, 1]


def _decide_crs(
    path: Path,
    override: str | None,
    declared: str | None,
    xy: tuple[np.ndarray, np.ndarray],
    warnings: list[str],
) -> str:
    declared = _crs_code(declared) if declared else None
    xs, ys = xy
    if override is not None:
        if declared and declared != override:
            warnings.append(f"{path}: the file says {declared}; read as {override} as asked")
        declared = override
    elif declared is None:
        if xs.size and gcrs.plausible_for_vietnam(xs, ys):
            warnings.append(
                f"{path}: has no coordinate system; its coordinates are longitudes/latitudes "
                "in Vietnam, so WGS 84 (EPSG:4326) is assumed"
            )
            return gcrs.WGS84
        raise GeoImportError(
            _not_lonlat(path, "has no coordinate system and its coordinates", xs, ys), path=path
        )
    if declared in (gcrs.WGS84, gcrs.WGS84_LATLON) and (np.abs(np.r_[xs, ys]) > 180).any():
        # GeoJSON without a "crs" member is WGS 84 by definition, whatever it really holds.
        raise GeoImportError(
            _not_lonlat(path, "is read as WGS 84 but its coordinates", xs, ys), path=path
        )
    return declared


def _crs_code(declared: str) -> str:
    """'EPSG:n' when the file's CRS (often ESRI WKT in a .prj) matches an EPSG code."""
    if declared.upper().startswith("EPSG:"):
        return declared.upper()
    try:
        code = pyproj.CRS.from_user_input(declared).to_epsg(min_confidence=90)
    except pyproj.exceptions.CRSError:
        return declared
    return f"EPSG:{code}" if code else declared


def _not_lonlat(path: Path, what: str, xs: np.ndarray, ys: np.ndarray) -> str:
    start = f"{path}: {what} are not longitudes/latitudes in Vietnam"
    suggestions = gcrs.suggest_crs(xs, ys)
    if not suggestions:
        return (
            f"{start}, and they fit none of the coordinate systems used in Vietnam; ask the "
            "sender which coordinate system the data use and import again with --crs"
        )
    code = suggestions[0]
    if code == gcrs.WGS84_LATLON:
        return f"{start}; they look like latitude, longitude: swap the x and y columns"
    label = gcrs.crs_label(code).removesuffix(f" — {code}")
    return f"{start}; they look like {code} ({label}): import again with --crs {code}"


def _to_wgs84(path: Path, src: str, geoms: list[shapely.Geometry]) -> list[shapely.Geometry]:
    if src == gcrs.WGS84:
        return geoms
    try:
        t = gcrs.transformer(src, gcrs.WGS84)

        def _xy(coords: np.ndarray) -> np.ndarray:
            lon, lat = t.transform(coords[:, 0], coords[:, 1], errcheck=True)
            return np.column_stack([lon, lat])

        return list(shapely.transform(np.asarray(geoms, dtype=object), _xy))
    except (pyproj.exceptions.ProjError, pyproj.exceptions.CRSError, ValueError) as exc:
        raise GeoImportError(
            f"{path}: coordinates cannot be converted from {src} to WGS 84 ({exc}); "
            "check the coordinate system",
            path=path,
        ) from exc


def _warn_outside_vietnam(
    path: Path,
    source_crs: str,
    features: list[Feature],
    source_xy: tuple[np.ndarray, np.ndarray],
    warnings: list[str],
) -> None:
    lon, lat = _sample_xy([f.geometry for f in features])
    if gcrs.plausible_for_vietnam(lon, lat):
        return
    inside = [gcrs.plausible_for_vietnam(a, b) for a, b in zip(lon, lat, strict=True)]
    i = inside.index(False) if False in inside else 0
    message = (
        f"{path}: read as {source_crs}, the data lie outside Vietnam (e.g. lon {lon[i]:.5f}, "
        f"lat {lat[i]:.5f}); check that this is the right file and coordinate system"
    )
    better = [c for c in gcrs.suggest_crs(*source_xy) if c != source_crs]
    if better:
        message += f" (as {better[0]} they would fall in Vietnam)"
    warnings.append(message)


# --- features ----------------------------------------------------------------------------


def _build_features(
    path: Path,
    geoms: list[shapely.Geometry],
    records: list[dict[str, Any]],
    name_field: str | None,
    geometry_types: set[str] | None,
    warnings: list[str],
) -> list[Feature]:
    features: list[Feature] = []
    empty: list[int] = []
    for number, (geom, record) in enumerate(zip(geoms, records, strict=True), start=1):
        value = record.get(name_field) if name_field else None
        name = (str(value).strip() or None) if value is not None else None
        label = f"feature {number}" + (f" '{name}'" if name else "")
        geom = _normalise(geom)
        if geom is None:
            empty.append(number)
            continue
        if geometry_types is not None and geom.geom_type not in geometry_types:
            raise GeoImportError(
                f"{path}: {label} is a {geom.geom_type}, but this import takes "
                f"{' or '.join(sorted(geometry_types))}; choose a file of that kind",
                path=path,
                feature=number,
            )
        if not geom.is_valid:
            reason = shapely.is_valid_reason(geom)
            geom = _keep_family(shapely.make_valid(geom), _FAMILIES.get(geom.geom_type))
            if geom is None:
                warnings.append(f"{path}: {label} has a degenerate geometry ({reason}); skipped")
                continue
            warnings.append(f"{path}: repaired the invalid geometry of {label} ({reason})")
        features.append(Feature(name, geom, record))
    if empty:
        warnings.append(_skipped(path, len(empty), "no geometry", empty, unit="feature"))
    return features


def _normalise(geom: shapely.Geometry | None) -> shapely.Geometry | None:
    """None for a missing/empty geometry; a collection of one family → its Multi type."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type == "GeometryCollection":
        families = {_FAMILIES.get(p.geom_type) for p in shapely.get_parts(geom)}
        if len(families) == 1 and None not in families:
            return _keep_family(geom, families.pop())
    return geom


def _keep_family(geom: shapely.Geometry, family: str | None) -> shapely.Geometry | None:
    """Only the parts of ``geom`` of one family (make_valid may add stray lines/points)."""
    if family is None or _FAMILIES.get(geom.geom_type) == family:
        return None if geom.is_empty else geom
    parts = [p for p in shapely.get_parts(geom) if _FAMILIES.get(p.geom_type) == family]
    flat = [q for p in parts for q in shapely.get_parts(p)]
    if not flat:
        return None
    if len(flat) == 1:
        return flat[0]
    if family == "Polygon":
        return shapely.union_all(flat)  # pieces may share edges: a MultiPolygon may not
    return (shapely.multipoints if family == "Point" else shapely.multilinestrings)(flat)


# --- helpers -----------------------------------------------------------------------------


def _parse_number(text: str, delimiter: str) -> float | None:
    text = text.strip()
    if delimiter != "," and "," in text and "." not in text:
        text = text.replace(",", ".")  # Vietnamese spreadsheets write 10,838
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _skipped(path: Path, count: int, why: str, where: list[int], unit: str = "row") -> str:
    first = ", ".join(str(n) for n in where[:5]) + (", …" if len(where) > 5 else "")
    label = "lines" if unit == "row" else "features"
    return f"{path}: skipped {count} {unit}(s) with {why} ({label} {first})"


def _progress(
    progress: Progress | None, cancel: threading.Event | None, done: int, total: int, path: Path
) -> None:
    if progress is not None:
        progress(done, total)
    _check_cancel(cancel, path)


def _check_cancel(cancel: threading.Event | None, path: Path) -> None:
    if cancel is not None and cancel.is_set():
        raise ImportCancelled(f"{path}: import cancelled; nothing was imported", path=path)
