"""gvcommand-admin wards and their boundaries: add-ward, import-boundaries (an edition of
ward polygons), ward-at (which ward holds a point on a date)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..core import commands as c
from ._common import EXIT_REFUSED, AdminContext, actor, clear_errors, fold, refuse


@click.command("add-ward")
@click.argument("code")
@click.argument("name")
@click.pass_obj
@clear_errors
def add_ward(obj: AdminContext, code: str, name: str) -> None:
    """Add a ward (code and name, e.g. P1 "Phường 1")."""
    obj.store().execute(c.AddWard(code, name), actor())
    click.echo(f"ward {code} ({name}) added")


def _slug(text: str) -> str:
    return "-".join(fold(text).replace("/", " ").split())[:40] or "ward"


@click.command("import-boundaries")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--edition", required=True, help='a name, e.g. "Gò Vấp 2025 (6 phường)"')
@click.option("--valid-from", required=True, metavar="YYYY-MM-DD")
@click.option("--valid-to", metavar="YYYY-MM-DD", help="last day in force (default: open)")
@click.option("--crs", help="coordinate system of files that do not say (e.g. EPSG:9210)")
@click.option("--name-field", help="attribute holding the ward's name")
@click.option("--code-field", help="attribute holding the ward's code (default: from the name)")
@click.pass_obj
@clear_errors
def import_boundaries(obj: AdminContext, files: tuple[str, ...], edition: str, valid_from: str,
                      valid_to: str | None, crs: str | None, name_field: str | None,
                      code_field: str | None) -> None:
    """Import ward boundaries (GeoJSON, Shapefile, GeoPackage, KML/KMZ) as an edition.

    Several files (one ward each, as the 2025 KMZ files come) make one edition. Nothing is
    stored unless every file reads cleanly.
    """
    import hashlib

    import shapely

    from ..geo import crs as geo_crs
    from ..geo.importers import GeoImportError, read_layer
    from ..store.boundaries import WardPolygon, import_edition

    store = obj.store()
    wards: list[WardPolygon] = []
    digest = hashlib.sha256()
    for file in files:
        try:
            result = read_layer(file, crs=crs, name_field=name_field,
                                geometry_types={"Polygon", "MultiPolygon"})
        except GeoImportError as exc:
            refuse(exc)
        for warning in result.warnings:
            click.echo(f"warning: {warning}", err=True)
        with open(file, "rb") as fh:
            digest.update(hashlib.sha256(fh.read()).digest())
        for n, feature in enumerate(result.features, start=1):
            name = (feature.name or "").strip() or f"{Path(file).stem} #{n}"
            code = str(feature.attributes.get(code_field) or "") if code_field else ""
            wards.append(WardPolygon(code.strip() or _slug(name), name,
                                     geo_crs.geodesic_area_km2(feature.geometry),
                                     shapely.to_wkb(feature.geometry)))
    import_edition(store, name=edition, valid_from=valid_from, valid_to=valid_to,
                   source_sha256=digest.hexdigest(), wards=wards, actor=actor())
    total = sum(w.area_km2 for w in wards)
    click.echo(f"stored {len(wards)} wards in edition '{edition}' "
               f"({valid_from} – {valid_to or 'open'}); total geodesic area {total:.2f} km²")


@click.command("ward-at")
@click.argument("lon", type=float)
@click.argument("lat", type=float)
@click.option("--date", "day", metavar="YYYY-MM-DD", help="default: today")
@click.pass_obj
@clear_errors
def ward_at(obj: AdminContext, lon: float, lat: float, day: str | None) -> None:
    """Print the ward containing a WGS84 point on a date (exit 1 when in no ward)."""
    import datetime as dt

    import shapely

    from ..geo.editions import BoundaryEdition, EditionSet, WardBoundary
    from ..store.boundaries import load_editions

    try:
        when = dt.date.fromisoformat(day) if day else dt.date.today()
    except ValueError:
        raise click.BadParameter(f"'{day}' is not a date (YYYY-MM-DD)",
                                 param_hint="--date") from None
    editions = EditionSet(
        BoundaryEdition(
            e.name,
            dt.date.fromisoformat(e.valid_from),
            dt.date.fromisoformat(e.valid_to) if e.valid_to else None,
            tuple(WardBoundary(w.code, w.name, shapely.from_wkb(w.wkb)) for w in wards),
        )
        for e, wards in load_editions(obj.store())
    )
    edition = editions.edition_for(when)
    if edition is None:
        click.echo(f"no boundary edition is in force on {when}", err=True)
        sys.exit(EXIT_REFUSED)
    ward = edition.ward_at(lon, lat)
    if ward is None:
        click.echo(f"({lon}, {lat}) is in no ward of edition '{edition.name}'", err=True)
        sys.exit(EXIT_REFUSED)
    click.echo(ward.name)


COMMANDS = (add_ward, import_boundaries, ward_at)
