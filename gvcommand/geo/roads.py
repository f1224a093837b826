"""Read a road network (lines with a street name and a road class) from a GeoJSON,
Shapefile, GeoPackage or KML file, through :func:`gvcommand.geo.importers.read_layer`: the
same formats, coordinate systems (VN-2000 through the pinned transformation) and clear
errors as for ward boundaries. A file of polygons or points is refused, naming the file.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import pyproj
import shapely  # type: ignore[import-untyped]

from .importers import GeoImportError, Progress, read_layer

LINES = {"LineString", "MultiLineString"}
DEFAULT_CLASS = "road"
# attribute names that hold the road class: OSM (highway), Geofabrik shapefiles (fclass),
# and common GIS exports
_CLASS_FIELDS = ("highway", "fclass", "road_class", "class", "type", "loai_duong", "cap_duong")
_GEOD = pyproj.Geod(ellps="WGS84")


@dataclass(frozen=True)
class RoadLine:
    name: str | None
    road_class: str
    geometry: shapely.Geometry  # LineString or MultiLineString, WGS84 lon/lat
    length_m: float  # geodesic, on the WGS 84 ellipsoid


@dataclass
class RoadsFile:
    lines: list[RoadLine]
    source_crs: str
    warnings: list[str]
    path: Path
    class_field: str | None

    @property
    def length_km(self) -> float:
        return sum(line.length_m for line in self.lines) / 1000.0


def geodesic_length_m(geom: shapely.Geometry) -> float:
    """Length on the WGS 84 ellipsoid of a lon/lat (Multi)LineString, in metres."""
    return float(_GEOD.geometry_length(geom))


def read_roads(
    path: Path | str,
    *,
    crs: str | None = None,
    name_field: str | None = None,
    class_field: str | None = None,
    layer: str | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> RoadsFile:
    """Every line of ``path`` as a road, or :class:`GeoImportError`.

    ``class_field`` names the attribute holding the road class (default: highway, fclass,
    … if the file has one); a road without a class is a plain "road".
    """
    path = Path(path)
    try:
        result = read_layer(path, crs=crs, name_field=name_field, geometry_types=LINES,
                            layer=layer, progress=progress, cancel=cancel)
    except GeoImportError as exc:
        if "but this import takes" in str(exc):
            raise GeoImportError(
                f"{exc}. A road network is made of lines (LineString/MultiLineString): "
                "export the streets as lines, not as areas or points",
                path=exc.path, feature=exc.feature,
            ) from exc
        raise
    fields = result.field_names
    if class_field is not None:
        if class_field not in fields:
            raise GeoImportError(
                f"{path}: has no field '{class_field}'; its fields are: {', '.join(fields)}",
                path=path,
            )
    else:
        lowered = {f.lower(): f for f in fields}
        class_field = next((lowered[c] for c in _CLASS_FIELDS if c in lowered), None)
    warnings = list(result.warnings)
    if class_field is None:
        warnings.append(f"{path}: no road class field (e.g. 'highway'); every road is drawn "
                        "alike. Name the field with --class-field")
    lines: list[RoadLine] = []
    for feature in result.features:
        value = feature.attributes.get(class_field) if class_field else None
        road_class = (str(value).strip() if value is not None else "") or DEFAULT_CLASS
        lines.append(RoadLine(feature.name, road_class[:40], feature.geometry,
                              geodesic_length_m(feature.geometry)))
    return RoadsFile(lines, result.source_crs, warnings, path, class_field)
