"""gvcommand-admin import-places: points of interest for the incident intake's gazetteer."""

from __future__ import annotations

import collections
import hashlib
import time
from pathlib import Path

import click

from ._common import AdminContext, actor, clear_errors, refuse


@click.command("import-places")
@click.argument("file")
@click.option("--name", help="the set's name (default: the file's name)")
@click.option("--crs", help="coordinate system of a file that does not say (e.g. EPSG:9210)")
@click.option("--name-field", help="attribute holding the place's name (default: name, "
              "ten…)")
@click.option("--kind-field", help="attribute holding the kind of place (default: amenity, "
              "shop, tourism… where present)")
@click.pass_obj
@clear_errors
def import_places_cmd(obj: AdminContext, file: str, name: str | None, crs: str | None,
                      name_field: str | None, kind_field: str | None) -> None:
    """Import named places (points of interest: markets, schools, pagodas…) from a
    GeoJSON, Shapefile, GeoPackage or KML/KMZ file; the incident intake finds them by name.

    Places without a name are skipped (counted in a warning). Nothing is stored unless
    the whole file reads cleanly.
    """
    from ..geo.importers import GeoImportError
    from ..geo.places import read_places
    from ..store.places import StoredPlace, import_places

    store = obj.store()
    started = time.perf_counter()
    try:
        found = read_places(file, crs=crs, name_field=name_field, kind_field=kind_field)
    except GeoImportError as exc:
        refuse(exc)
    for warning in found.warnings:
        click.echo(f"warning: {warning}", err=True)
    with open(file, "rb") as fh:
        source = hashlib.sha256(fh.read()).hexdigest()
    set_name = (name or Path(file).stem).strip()
    import_places(store, name=set_name, source_sha256=source, actor=actor(),
                  places=[StoredPlace(p.name, p.kind, p.lon, p.lat) for p in found.places])
    kinds = collections.Counter(p.kind for p in found.places)
    top = ", ".join(f"{k} {n}" for k, n in kinds.most_common(6))
    click.echo(f"stored {len(found.places)} places in '{set_name}' ({top}) in "
               f"{time.perf_counter() - started:.1f} s")


COMMANDS = (import_places_cmd,)
