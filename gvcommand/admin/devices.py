"""gvcommand-admin devices and tracks: add-device, import-devices (the phones and trackers
that send patrol positions to gvcommand-avl), track (an export of where units went)."""

from __future__ import annotations

import csv
import io
import secrets
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
from sqlalchemy import select

from ..core import commands as c
from ..core.centre_time import parse_centre_time, to_us
from ..core.errors import DomainError
from ..core.model import Force
from ..store import schema
from ..store.devices import register_device
from ..store.positions import StoredFix, track
from ._common import AdminContext, actor, clear_errors, fold


def _force(text: str) -> Force:
    for force in Force:
        if fold(text) in (fold(force.value), fold(force.label), fold(force.name)):
            return force
    known = ", ".join(f"{f.value} ({f.label})" for f in Force)
    raise DomainError(f"unknown force '{text}'; known: {known}")


def _time(text: str, option: str) -> int:
    """ISO 8601; without an offset, the centre's time (not the server's zone: a track
    asked for "07:45" on a server set to UTC would start seven hours late)."""
    try:
        return to_us(parse_centre_time(text))
    except ValueError:
        raise click.BadParameter(f"not an ISO 8601 time: {text!r}", param_hint=option) from None


def _iso(us: int) -> str:
    return datetime.fromtimestamp(us / 1e6, UTC).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


def tracks_csv(fixes: list[StoredFix]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["callsign", "device_id", "device_time_utc", "lat", "lon", "speed_kmh",
                     "heading", "accuracy_m", "battery_pct", "source"])
    for f in fixes:
        writer.writerow([f.unit, f.device_id, _iso(f.device_time_us), f"{f.lat:.7f}",
                         f"{f.lon:.7f}", "" if f.speed_kmh is None else f"{f.speed_kmh:.1f}",
                         "" if f.heading is None else f"{f.heading:.0f}",
                         "" if f.accuracy_m is None else f"{f.accuracy_m:.0f}",
                         "" if f.battery_pct is None else f"{f.battery_pct:.0f}", f.source])
    return out.getvalue()


def tracks_gpx(fixes: list[StoredFix]) -> str:
    import gpxpy.gpx

    gpx = gpxpy.gpx.GPX()
    gpx.creator = "gvcommand"
    by_unit: dict[str, gpxpy.gpx.GPXTrackSegment] = {}
    for f in fixes:
        if f.unit not in by_unit:
            trk = gpxpy.gpx.GPXTrack(name=f.unit)
            gpx.tracks.append(trk)
            by_unit[f.unit] = gpxpy.gpx.GPXTrackSegment()
            trk.segments.append(by_unit[f.unit])
        # GPX 1.1 has no speed element: speed is in the CSV export
        by_unit[f.unit].points.append(gpxpy.gpx.GPXTrackPoint(
            f.lat, f.lon, time=datetime.fromtimestamp(f.device_time_us / 1e6, UTC)))
    return str(gpx.to_xml(version="1.1"))


@click.command("add-device")
@click.argument("device_id")
@click.option("--unit", "unit", required=True, metavar="CALLSIGN",
              help="the unit that carries the device")
@click.option("--secret", help="a secret the device must send (at least 8 characters)")
@click.option("--generate-secret", is_flag=True, help="make a random secret and print it")
@click.pass_obj
@clear_errors
def add_device(obj: AdminContext, device_id: str, unit: str, secret: str | None,
               generate_secret: bool) -> None:
    """Give a phone or tracker to a unit (again at a shift change). A device with a
    secret must send it: Traccar Client with ?key=SECRET at the end of its server URL,
    OwnTracks (HTTP) as the password."""
    store = obj.store()
    if generate_secret:
        if secret:
            raise click.UsageError("--secret and --generate-secret exclude each other")
        secret = secrets.token_urlsafe(18)
    register_device(store, device_id, unit, secret, actor())
    click.echo(f"device {device_id} → {unit}" + (" (with a secret)" if secret else ""))
    if generate_secret:
        click.echo(f"secret: {secret}")
        click.echo(f"Traccar Client server URL: http://SERVER:5055/?key={secret}")


@click.command("import-devices")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
@clear_errors
def import_devices(obj: AdminContext, file: Path) -> None:
    """Register the devices of a CSV file (columns device_id,callsign,force), creating
    missing units: all of them in one transaction, or none."""
    store = obj.store()
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DomainError(f"{file}: cannot be read as UTF-8 text ({exc})") from None
    reader = csv.DictReader(io.StringIO(text))
    wanted = {"device_id", "callsign", "force"}
    if reader.fieldnames is None or not wanted <= {h.strip() for h in reader.fieldnames}:
        raise DomainError(f"{file}: the header must name device_id,callsign,force "
                          f"(found {','.join(reader.fieldnames or [])})")
    with store.engine.connect() as conn:
        units = {r.call_sign: r.force for r in conn.execute(
            select(schema.units.c.call_sign, schema.units.c.force))}
        devices = {r.device_id: (r.unit, r.active) for r in conn.execute(
            select(schema.devices.c.device_id, schema.devices.c.unit,
                   schema.devices.c.active))}
    commands: list[c.Command] = []
    seen: dict[str, int] = {}
    new_units = unchanged = 0
    for line, row in enumerate(reader, start=2):
        row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        device, call_sign = row["device_id"], row["callsign"]
        if not device or not call_sign:
            raise DomainError(f"{file}, line {line}: device_id and callsign are required")
        if device in seen:
            raise DomainError(f"{file}, line {line}: device {device} is already on line "
                              f"{seen[device]}")
        seen[device] = line
        try:
            force = _force(row["force"])
        except DomainError as exc:
            raise DomainError(f"{file}, line {line}: {exc}") from None
        if call_sign not in units:
            commands.append(c.AddUnit(call_sign, force))
            units[call_sign] = force.value
            new_units += 1
        if devices.get(device) == (call_sign, True):
            unchanged += 1
            continue
        commands.append(c.RegisterDevice(device, call_sign))
    if commands:
        store.execute_many(commands, actor())
    registered = len(commands) - new_units
    click.echo(f"{registered} devices registered, {new_units} units created, "
               f"{unchanged} unchanged")


@click.command("track")
@click.option("--unit", "unit", metavar="CALLSIGN", help="one unit's track")
@click.option("--all", "all_units", is_flag=True, help="every unit's track")
@click.option("--from", "t_from", required=True, metavar="TIME",
              help="ISO 8601; without an offset: the centre's time (Asia/Ho_Chi_Minh)")
@click.option("--to", "t_to", required=True, metavar="TIME")
@click.option("--format", "fmt", type=click.Choice(["csv", "gpx"]), default="csv",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="write here instead of standard output")
@click.pass_obj
@clear_errors
def track_cmd(obj: AdminContext, unit: str | None, all_units: bool, t_from: str, t_to: str,
              fmt: str, output: Path | None) -> None:
    """Export tracks in time order (device time, UTC)."""
    if bool(unit) == all_units:
        raise click.UsageError("give either --unit CALLSIGN or --all")
    t0, t1 = _time(t_from, "--from"), _time(t_to, "--to")
    if t0 > t1:
        raise click.BadParameter("--from is after --to", param_hint="--from")
    store = obj.store()
    with store.engine.connect() as conn:
        if unit and conn.execute(select(schema.units.c.call_sign).where(
                schema.units.c.call_sign == unit)).first() is None:
            raise DomainError(f"no unit {unit}")
        fixes = track(conn, [unit] if unit else None, t0, t1)
    # an export of where officers went is on the record, before anything is written out
    store.execute(c.ViewTrack(unit or "*", t0, t1, "export"), actor())
    text = tracks_csv(fixes) if fmt == "csv" else tracks_gpx(fixes)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"{len(fixes)} fixes written to {output}", err=True)


COMMANDS = (add_device, import_devices, track_cmd)
