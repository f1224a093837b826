"""Read named places (points of interest: markets, schools, hospitals, pagodas, fuel
stations…) from a GeoJSON, Shapefile, GeoPackage or KML file, through
:func:`gvcommand.geo.importers.read_layer`: the same formats, coordinate systems (VN-2000
through the pinned transformation) and clear errors as for ward boundaries and roads.

The gazetteer of the incident intake finds them by name, so a place without a name is of no
use there: it is skipped and counted in a warning. A place drawn as an area (a market hall,
a school's grounds) is found at a point inside it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from .importers import GeoImportError, Progress, read_layer

POINTS_AND_AREAS = {"Point", "MultiPoint", "Polygon", "MultiPolygon"}
DEFAULT_KIND = "place"
MAX_NAME = 200
MAX_KIND = 40
# attribute names that hold what kind of place it is: OSM's main keys (in the order a
# renderer would pick them), Geofabrik shapefiles (fclass) and common GIS exports
_KIND_FIELDS = ("amenity", "shop", "tourism", "leisure", "office", "healthcare", "historic",
                "building", "fclass", "kind", "type", "category", "loai")


@dataclass(frozen=True)
class Place:
    name: str
    kind: str  # e.g. the OSM amenity/shop value: marketplace, school, fuel…
    lon: float
    lat: float


@dataclass
class PlacesFile:
    places: list[Place]
    source_crs: str
    warnings: list[str]
    path: Path
    kind_fields: list[str]
    unnamed: int  # features skipped for having no name


def read_places(
    path: Path | str,
    *,
    crs: str | None = None,
    name_field: str | None = None,
    kind_field: str | None = None,
    layer: str | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> PlacesFile:
    """Every named point or area of ``path`` as a place, or :class:`GeoImportError`.

    ``kind_field`` names the attribute holding the kind of place (default: the first of
    amenity, shop, tourism, … that a feature has a value in); a place without one is a plain
    "place".
    """
    path = Path(path)
    try:
        result = read_layer(path, crs=crs, name_field=name_field,
                            geometry_types=POINTS_AND_AREAS, layer=layer, progress=progress,
                            cancel=cancel)
    except GeoImportError as exc:
        if "but this import takes" in str(exc):
            raise GeoImportError(
                f"{exc}. Places are points (or areas, found at a point inside): export the "
                "points of interest, not the streets",
                path=exc.path, feature=exc.feature,
            ) from exc
        raise
    fields = result.field_names
    if kind_field is not None:
        if kind_field not in fields:
            raise GeoImportError(
                f"{path}: has no field '{kind_field}'; its fields are: {', '.join(fields)}",
                path=path,
            )
        kind_fields = [kind_field]
    else:
        lowered = {f.lower(): f for f in fields}
        kind_fields = [lowered[k] for k in _KIND_FIELDS if k in lowered]
    warnings = list(result.warnings)
    if not kind_fields:
        warnings.append(f"{path}: no field telling the kind of place (e.g. 'amenity'); every "
                        "place is a plain place. Name the field with --kind-field")
    places: list[Place] = []
    unnamed = 0
    for feature in result.features:
        name = " ".join((feature.name or "").split())
        if not name:
            unnamed += 1
            continue
        kind = next((str(v).strip() for f in kind_fields
                     if (v := feature.attributes.get(f)) is not None and str(v).strip()),
                    DEFAULT_KIND)
        geom = feature.geometry
        if geom.geom_type == "MultiPoint" and len(geom.geoms) == 1:
            geom = geom.geoms[0]
        at = geom if geom.geom_type == "Point" else geom.representative_point()
        places.append(Place(name[:MAX_NAME], kind[:MAX_KIND], float(at.x), float(at.y)))
    if unnamed:
        warnings.append(f"{path}: {unnamed} feature(s) without a name were skipped: the "
                        "gazetteer finds places by name")
    if not places:
        raise GeoImportError(f"{path}: none of its {len(result.features)} feature(s) has a "
                             "name, so there is nothing to search for. Name the field that "
                             "holds the names with --name-field", path=path)
    return PlacesFile(places, result.source_crs, warnings, path, kind_fields, unnamed)

