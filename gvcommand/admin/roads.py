"""gvcommand-admin import-roads: a street network for the map, the gazetteer and routing."""

from __future__ import annotations

import time
from pathlib import Path

import click

from ._common import AdminContext, actor, clear_errors, refuse


@click.command("import-roads")
@click.argument("file")
@click.option("--name", help="the network's name (default: the file's name)")
@click.option("--crs", help="coordinate system of a file that does not say (e.g. EPSG:9210)")
@click.option("--name-field", help="attribute holding the street name (default: name, ten…)")
@click.option("--class-field", help="attribute holding the road class (default: highway, "
              "fclass… if present)")
@click.pass_obj
@clear_errors
def import_roads_cmd(obj: AdminContext, file: str, name: str | None, crs: str | None,
                     name_field: str | None, class_field: str | None) -> None:
    """Import a road network (GeoJSON, Shapefile, GeoPackage, KML/KMZ lines) for the map.

    The newest network is the one every console draws. Nothing is stored unless the whole
    file reads cleanly.
    """
    import collections
    import hashlib

    import shapely

    from ..geo.importers import GeoImportError
    from ..geo.roads import read_roads
    from ..store.roads import RoadSegment, import_roads

    store = obj.store()
    started = time.perf_counter()
    try:
        roads = read_roads(file, crs=crs, name_field=name_field, class_field=class_field)
    except GeoImportError as exc:
        refuse(exc)
    for warning in roads.warnings:
        click.echo(f"warning: {warning}", err=True)
    with open(file, "rb") as fh:
        source = hashlib.sha256(fh.read()).hexdigest()
    network = (name or Path(file).stem).strip()
    segments = [RoadSegment(line.name, line.road_class, line.length_m,
                            shapely.to_wkb(line.geometry)) for line in roads.lines]
    import_roads(store, name=network, source_sha256=source, segments=segments, actor=actor())
    classes = collections.Counter(line.road_class for line in roads.lines)
    top = ", ".join(f"{c} {n}" for c, n in classes.most_common(6))
    click.echo(f"stored {len(segments)} road segments in network '{network}'; total geodesic "
               f"length {roads.length_km:.2f} km ({top}) in "
               f"{time.perf_counter() - started:.1f} s")


COMMANDS = (import_roads_cmd,)
