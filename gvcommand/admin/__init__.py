"""`gvcommand-admin`: operations on a gvcommand database (schema, users, units, the log).

Run on a machine with database access; it acts as ``cli:<OS user>`` with administrator
rights, and every change it makes is an event in the log like any other.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import sys
import time
import unicodedata
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from sqlalchemy import select

from ..core import commands as c
from ..core import events as ev
from ..core.errors import DomainError
from ..core.model import EXERCISE_LABEL, Actor, Force, Role
from ..store import open_store, schema
from ..store.auth import AuthError, set_password
from ..store.auth import create_user as create_user_with_password
from ..store.db import StoreError
from ..store.event_store import EventStore
from ..store.url import UrlError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_REFUSED = 1
EXIT_BROKEN_CHAIN = 3


def _console() -> str:
    return os.environ.get("GVCOMMAND_CONSOLE") or socket.gethostname()


def _actor() -> Actor:
    try:
        who = getpass.getuser()
    except Exception:
        who = str(os.getuid())
    return Actor(f"cli:{who}", Role.ADMIN, _console())


def _clear_errors(func: F) -> F:
    """Turn the errors an operator can fix into one line on stderr and an exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (UrlError, StoreError, DomainError, AuthError) as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_REFUSED)

    return wrapper  # type: ignore[return-value]


class _Ctx:
    def __init__(self, db: str | None) -> None:
        self.db = db
        self._store: EventStore | None = None

    def store(self, *, upgrade: bool = False) -> EventStore:
        if self._store is None:
            self._store = open_store(self.db, upgrade=upgrade)
        return self._store


@click.group(help=__doc__)
@click.option("--db", metavar="URL", help="database URL (else $GVCOMMAND_DB, else the "
              "embedded SQLite database in the platform data directory)")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    from ..logsetup import configure_logging

    configure_logging(_console(), level=os.environ.get("GVCOMMAND_LOG_LEVEL", "WARNING"))
    ctx.obj = _Ctx(db)


@cli.command()
@click.pass_obj
@_clear_errors
def init(obj: _Ctx) -> None:
    """Create the schema, or upgrade it to this program's version."""
    store = obj.store(upgrade=True)
    from ..store.db import current_revision

    click.echo(f"schema {current_revision(store.engine)} ready in {store.url.display}")


def _read_password(password_stdin: bool, name: str) -> str:
    if password_stdin:
        value = sys.stdin.readline().rstrip("\r\n")
        if not value:
            raise AuthError("no password on standard input")
        return value
    return str(click.prompt(f"password for {name}", hide_input=True,
                            confirmation_prompt=True))


@cli.command("create-user")
@click.argument("name")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--display-name", default="", help="full name shown in the console")
@click.option("--password-stdin", is_flag=True, help="read the password from standard input")
@click.pass_obj
@_clear_errors
def create_user(obj: _Ctx, name: str, role: str, display_name: str,
                password_stdin: bool) -> None:
    """Create a user with a role and a password."""
    store = obj.store()
    password = _read_password(password_stdin, name)
    create_user_with_password(store, name, Role(role), display_name, password, _actor())
    click.echo(f"user {name} ({role}) created")


@cli.command("set-password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="read the password from standard input")
@click.pass_obj
@_clear_errors
def set_password_cmd(obj: _Ctx, name: str, password_stdin: bool) -> None:
    """Set a user's password (also unlocks a locked account)."""
    store = obj.store()
    set_password(store, name, _read_password(password_stdin, name), _actor())
    click.echo(f"password of {name} set")


@cli.command("list-users")
@click.option("--json", "as_json", is_flag=True, help="machine-readable output")
@click.pass_obj
@_clear_errors
def list_users(obj: _Ctx, as_json: bool) -> None:
    """List users, their roles and whether they are locked."""
    store = obj.store()
    now_us = time.time_ns() // 1000
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(schema.users, schema.credentials.c.locked_until_us)
            .select_from(schema.users.outerjoin(
                schema.credentials, schema.credentials.c.user_name == schema.users.c.name))
            .order_by(schema.users.c.name)
        ).mappings().all()
    users = [
        {
            "name": r["name"],
            "role": r["role"],
            "display_name": r["display_name"],
            "active": bool(r["active"]),
            "has_password": r["locked_until_us"] is not None,
            "locked": bool(r["locked_until_us"] and r["locked_until_us"] > now_us),
        }
        for r in rows
    ]
    if as_json:
        click.echo(json.dumps(users, ensure_ascii=False, indent=1))
        return
    if not users:
        click.echo("no users yet: gvcommand-admin create-user NAME --role admin")
        return
    for u in users:
        flags = [] if u["active"] else ["disabled"]
        flags += ["locked"] if u["locked"] else []
        flags += [] if u["has_password"] else ["no password"]
        extra = f"  [{', '.join(flags)}]" if flags else ""
        click.echo(f"{u['name']:<20} {u['role']:<11} {u['display_name']}{extra}")


def _fold(text: str) -> str:
    """Case- and diacritics-insensitive form ("Phường 1" ~ "phuong 1")."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().strip()


def _find_ward(store: EventStore, name: str) -> str:
    with store.engine.connect() as conn:
        wards = conn.execute(select(schema.wards.c.code, schema.wards.c.name)).all()
    for code, ward_name in wards:
        if _fold(name) in (_fold(code), _fold(ward_name)):
            return str(code)
    known = ", ".join(f"{n} ({c})" for c, n in wards) or "none yet: use add-ward"
    raise DomainError(f"no ward named '{name}'; known wards: {known}")


@cli.command("add-ward")
@click.argument("code")
@click.argument("name")
@click.pass_obj
@_clear_errors
def add_ward(obj: _Ctx, code: str, name: str) -> None:
    """Add a ward (code and name, e.g. P1 "Phường 1")."""
    obj.store().execute(c.AddWard(code, name), _actor())
    click.echo(f"ward {code} ({name}) added")


@cli.command("add-unit")
@click.argument("call_sign")
@click.option("--force", "force", type=click.Choice([f.value for f in Force]), required=True,
              help="363 = Tổ công tác 363, hinh-su = Tổ hình sự đặc nhiệm, "
              "phuong = Công an phường tuần tra, dan-quan = Dân quân tự vệ phối hợp")
@click.option("--ward", help="home ward, by code or name")
@click.option("--exercise", is_flag=True,
              help="a unit for drills (diễn tập) only: never sent to a real incident, left "
              "out of statistics")
@click.pass_obj
@_clear_errors
def add_unit(obj: _Ctx, call_sign: str, force: str, ward: str | None, exercise: bool) -> None:
    """Add a patrol unit."""
    store = obj.store()
    ward_code = _find_ward(store, ward) if ward else None
    store.execute(c.AddUnit(call_sign, Force(force), ward_code, exercise=exercise), _actor())
    drill = f", {EXERCISE_LABEL.lower()}" if exercise else ""
    click.echo(f"unit {call_sign} ({Force(force).label}{drill}) added")


@cli.command("unit-exercise")
@click.argument("call_sign")
@click.argument("state", type=click.Choice(["on", "off"]))
@click.pass_obj
@_clear_errors
def unit_exercise(obj: _Ctx, call_sign: str, state: str) -> None:
    """Put a unit on a drill (diễn tập: "on") or back on real duty ("off").

    A unit on a drill is sent only to drill incidents and its time is left out of the shift
    report. A unit on a real incident cannot be put on a drill; one taken off a drill while
    on a drill incident is released from it and is available at once."""
    store = obj.store()
    result = store.execute(c.SetUnitExercise(call_sign, state == "on"), _actor())
    released = any(e.kind == ev.INCIDENT_UNIT_RELEASED for e in result.events)
    click.echo(f"unit {call_sign} " + ("is on a drill (diễn tập)" if state == "on"
                                       else "is back on real duty")
               + (", released from its drill incident" if released else ""))


@cli.command("verify-log")
@click.option("--head", "head", metavar="SEQ:HASH",
              help="a head recorded earlier (e.g. in the shift handover book): also checks "
              "that the log still contains it unchanged")
@click.pass_obj
@_clear_errors
def verify_log(obj: _Ctx, head: str | None) -> None:
    """Recompute the hash chain of the event log; exit 0 when it holds, 3 when not."""
    from ..core.events import verify_chain

    store = obj.store()
    seq, digest, _ = store.head()
    report = store.verify()
    if report.ok and head:
        want_seq, _, want_hash = head.partition(":")
        if not want_seq.isdigit() or len(want_hash) != 64:
            raise click.BadParameter("expected SEQ:HASH (64 hex digits)", param_hint="--head")
        report = verify_chain(store.iter_events(), expected_head=(int(want_seq), want_hash))
    if report.ok:
        click.echo(f"the log holds: {report.checked} events verified; head {seq}:{digest}")
        _verify_beside_the_log(store)
        return
    click.echo(f"THE LOG IS BROKEN at event {report.first_bad_seq}: {report.reason}", err=True)
    click.echo(f"events 1–{report.head_seq} verified before it", err=True)
    sys.exit(EXIT_BROKEN_CHAIN)


def _verify_beside_the_log(store: EventStore) -> None:
    """Ward polygons and road segments are kept beside the log; their import events carry
    their digests. Exit 3 when what is stored is not what was imported."""
    from ..store.boundaries import verify_polygons
    from ..store.places import verify_places
    from ..store.roads import load_networks, verify_roads

    problems = verify_polygons(store) + verify_roads(store) + verify_places(store)
    if problems:
        for problem in problems:
            click.echo(f"DATA BESIDE THE LOG WAS CHANGED: {problem}", err=True)
        sys.exit(EXIT_BROKEN_CHAIN)
    networks = load_networks(store)
    if networks:
        segments = sum(n.segment_count for n in networks)
        click.echo(f"road networks: {len(networks)} ({segments} segments) match their imports")


@cli.command()
@click.option("--every", default=2000, show_default=True, help="events between snapshots")
@click.pass_obj
@_clear_errors
def snapshot(obj: _Ctx, every: int) -> None:
    """Write the missing state snapshots (they make replay to any time fast)."""
    written = obj.store().ensure_snapshots(every=every)
    click.echo(f"{written} snapshot(s) written")


def _slug(text: str) -> str:
    return "-".join(_fold(text).replace("/", " ").split())[:40] or "ward"


@cli.command("import-boundaries")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--edition", required=True, help='a name, e.g. "Gò Vấp 2025 (6 phường)"')
@click.option("--valid-from", required=True, metavar="YYYY-MM-DD")
@click.option("--valid-to", metavar="YYYY-MM-DD", help="last day in force (default: open)")
@click.option("--crs", help="coordinate system of files that do not say (e.g. EPSG:9210)")
@click.option("--name-field", help="attribute holding the ward's name")
@click.option("--code-field", help="attribute holding the ward's code (default: from the name)")
@click.pass_obj
@_clear_errors
def import_boundaries(obj: _Ctx, files: tuple[str, ...], edition: str, valid_from: str,
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
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_REFUSED)
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
                   source_sha256=digest.hexdigest(), wards=wards, actor=_actor())
    total = sum(w.area_km2 for w in wards)
    click.echo(f"stored {len(wards)} wards in edition '{edition}' "
               f"({valid_from} – {valid_to or 'open'}); total geodesic area {total:.2f} km²")


@cli.command("import-roads")
@click.argument("file")
@click.option("--name", help="the network's name (default: the file's name)")
@click.option("--crs", help="coordinate system of a file that does not say (e.g. EPSG:9210)")
@click.option("--name-field", help="attribute holding the street name (default: name, ten…)")
@click.option("--class-field", help="attribute holding the road class (default: highway, "
              "fclass… if present)")
@click.pass_obj
@_clear_errors
def import_roads_cmd(obj: _Ctx, file: str, name: str | None, crs: str | None,
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
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_REFUSED)
    for warning in roads.warnings:
        click.echo(f"warning: {warning}", err=True)
    with open(file, "rb") as fh:
        source = hashlib.sha256(fh.read()).hexdigest()
    network = (name or Path(file).stem).strip()
    segments = [RoadSegment(line.name, line.road_class, line.length_m,
                            shapely.to_wkb(line.geometry)) for line in roads.lines]
    import_roads(store, name=network, source_sha256=source, segments=segments, actor=_actor())
    classes = collections.Counter(line.road_class for line in roads.lines)
    top = ", ".join(f"{c} {n}" for c, n in classes.most_common(6))
    click.echo(f"stored {len(segments)} road segments in network '{network}'; total geodesic "
               f"length {roads.length_km:.2f} km ({top}) in "
               f"{time.perf_counter() - started:.1f} s")


@cli.command("ward-at")
@click.argument("lon", type=float)
@click.argument("lat", type=float)
@click.option("--date", "day", metavar="YYYY-MM-DD", help="default: today")
@click.pass_obj
@_clear_errors
def ward_at(obj: _Ctx, lon: float, lat: float, day: str | None) -> None:
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


@cli.command("seed-demo")
@click.option("--days", default=365, show_default=True, type=click.IntRange(1, 3650),
              help="days of incidents, back from now")
@click.option("--seed", default=7, show_default=True, help="the same seed makes the same data")
@click.pass_obj
@_clear_errors
def seed_demo_cmd(obj: _Ctx, days: int, seed: int) -> None:
    """Fill a demo database with generated DEMO data: a synthetic district with 16 → 12 → 6
    wards, units, cameras, complex points and incidents. Refused on a database with users
    (a real centre's log is append-only: demo data could never be taken out again)."""
    from ..demo import seed_demo

    store = obj.store()
    with store.engine.connect() as conn:
        users = conn.execute(  # the desktop demo's own user is no real user
            select(schema.users.c.name).where(schema.users.c.name != "demo").limit(3)
        ).scalars().all()
    if users:
        raise DomainError(
            f"{store.url.display} has users ({', '.join(users)}): demo data goes only into a "
            "database of its own (e.g. --db sqlite:///demo.sqlite)"
        )

    def progress(phase: str, done: int, total: int) -> None:
        if done == total:
            click.echo(f"… {phase} done", err=True)

    summary = seed_demo(store, days=days, seed=seed, progress=progress)
    for line in summary.lines():
        click.echo(line)


def _add_device_commands() -> None:
    from .devices import add_commands

    add_commands(cli, _clear_errors, _actor)


_add_device_commands()


def _add_report_commands() -> None:
    from .reports import add_commands

    add_commands(cli, _clear_errors)


_add_report_commands()


def _add_place_commands() -> None:
    from .places import add_commands

    add_commands(cli, _clear_errors, _actor)


_add_place_commands()


def _add_camera_commands() -> None:
    from .cameras import add_commands

    add_commands(cli, _clear_errors, _actor)


_add_camera_commands()
