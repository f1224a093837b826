"""gvcommand-admin cameras: camera-url, import-cameras, add-camera, edit-camera,
retire-camera, set-camera-password, camera-onvif (who watched them: camera_views).

Passwords never come from the command line (a prompt or standard input), never
reach the database, and every address printed or logged is redacted.

Import policy (``import-cameras``): the whole file is checked first, every bad row reported
with its line (CSV) or feature number (GeoJSON), and then either every row is stored in one
transaction or, if any row is bad, none is. Re-importing the same file changes nothing: a
camera whose code exists is left as it is when the file says the same, and updated (only
the fields that differ, on the record) when it says something else.
"""

from __future__ import annotations

import contextlib
import sys
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

import click
from sqlalchemy import select

from ..core import commands as c
from ..core.cameras import DEFAULT_TZ, parse_tz
from ..core.errors import DomainError, ValidationError
from ..core.handlers import decide
from ..core.model import Camera, CameraOwner, CameraVendor, StreamKind
from ..geo.camera_files import fold, read_camera_file, row_fields
from ..store import schema
from ..store.event_store import EventStore
from ..video import urls
from ..video.credentials import CredentialError, open_credentials
from ._common import AdminContext, actor, clear_errors, refuse

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


# --- camera-url --------------------------------------------------------------------------------


def _moment(text: str, zone: tzinfo, option: str) -> datetime:
    try:
        return datetime.strptime(text.strip(), TIME_FORMAT).replace(tzinfo=zone)
    except ValueError:
        raise click.BadParameter(f'expected "YYYY-MM-DD HH:MM:SS", not {text!r}',
                                 param_hint=option) from None


def _camera_from_options(vendor: str, host: str | None, port: int | None, channel: int,
                         url: str | None, path: str | None, tz: str) -> Camera:
    vendor_enum = CameraVendor(vendor)
    main_url = url
    if vendor_enum is CameraVendor.GENERIC and url is None:
        if host is None or path is None:
            raise click.UsageError("a generic camera needs --url, or --host and --path "
                                   "(e.g. --path /live/main)")
        netloc = f"[{host}]" if ":" in host else host
        main_url = f"rtsp://{netloc}:{port or 554}/{path.lstrip('/')}"
    elif vendor_enum is not CameraVendor.GENERIC and host is None:
        raise click.UsageError(f"a {vendor} camera needs --host")
    label = host or urls.redact(main_url or "?")
    return Camera(label, label, 0.0, 0.0, vendor=vendor_enum, host=host, port=port,
                  channel=channel, main_url=main_url, tz=tz)


@click.command("camera-url")
@click.option("--vendor", type=click.Choice([v.value for v in CameraVendor
                                             if v is not CameraVendor.ONVIF]))
@click.option("--host", help="the camera's or recorder's IP address or name")
@click.option("--port", type=int, help="RTSP port (default 554)")
@click.option("--channel", type=int, default=1, show_default=True)
@click.option("--stream", type=click.Choice(["main", "sub"]), default="main",
              show_default=True)
@click.option("--url", help="generic cameras: the stream address (without credentials)")
@click.option("--path", help="generic cameras: the path on --host (instead of --url)")
@click.option("--at", "at", metavar='"YYYY-MM-DD HH:MM:SS"',
              help="playback from this moment (in --tz)")
@click.option("--until", metavar='"YYYY-MM-DD HH:MM:SS"', help="playback until (in --tz)")
@click.option("--tz", default=None,
              help=f"time zone of --at/--until and of the device's clock (default "
              f"{DEFAULT_TZ}, or the registered camera's)")
@click.option("--camera", "code", help="a registered camera (by code) instead of the "
              "options above")
@click.option("--user", help="show the address with this user name (password ***)")
@click.option("--credential-ref", help="show the address with the user of these "
              "stored credentials (password ***)")
@click.pass_obj
@clear_errors
def camera_url(obj: AdminContext, vendor: str | None, host: str | None, port: int | None,
               channel: int, stream: str, url: str | None, path: str | None,
               at: str | None, until: str | None, tz: str | None, code: str | None,
               user: str | None, credential_ref: str | None) -> None:
    """Print the live or playback address the application would open for a camera,
    with the password redacted.

    Hikvision playback times are sent in UTC, Dahua's in the device's local time (--tz).
    """
    if code is not None:
        if vendor is not None or host is not None:
            raise click.UsageError("give either --camera or --vendor/--host, not both")
        camera = _registered(obj.store(), code)
        credential_ref = credential_ref or camera.credential_ref
        if tz is not None:
            camera.tz = tz
    else:
        if vendor is None:
            raise click.UsageError("give --vendor (or --camera CODE)")
        camera = _camera_from_options(vendor, host, port, channel, url, path,
                                      tz or DEFAULT_TZ)
    try:
        zone = parse_tz(camera.tz)
    except ValidationError as exc:
        raise click.BadParameter(str(exc), param_hint="--tz") from None
    if (at is None) != (until is None):
        raise click.UsageError("playback needs both --at and --until")
    try:
        if at is not None and until is not None:
            if stream != "main":
                raise click.UsageError("playback is of the main stream (--stream main)")
            address = urls.playback_url(camera, _moment(at, zone, "--at"),
                                        _moment(until, zone, "--until"))
        else:
            address = urls.live_url(camera, StreamKind(stream))
    except urls.UrlError as exc:
        refuse(str(exc))
    shown_user = user
    if credential_ref:
        try:
            found = open_credentials().get(credential_ref)
        except CredentialError as exc:
            refuse(str(exc))
        if found is None:
            refuse(f"no credentials stored under '{credential_ref}' "
                   "(gvcommand-admin set-camera-password)")
        shown_user = found.user
        address = urls.with_credentials(address, found)
    elif shown_user:
        address = urls.with_credentials(address, urls.Credentials(shown_user, "x"))
    click.echo(urls.redact(address))


@click.command("import-cameras")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="check the file and say what would change")
@click.pass_obj
@clear_errors
def import_cameras(obj: AdminContext, file: str, dry_run: bool) -> None:
    """Import cameras from a CSV or GeoJSON file (WGS84 longitude/latitude).

    Columns/properties: code, name, lon, lat (GeoJSON: the Point), azimuth, fov, range,
    owner (police|ward|private), vendor (hikvision|dahua|generic|onvif), host, port,
    channel, main_url, sub_url, address, ward (code or name), tz, credential_ref,
    transport. Every row is checked first: if any is bad, each is reported with its
    line and nothing is stored. Cameras already registered are updated where the file
    differs and left alone where it does not, so a re-import adds nothing twice.
    """
    store: EventStore = obj.store()
    rows, errors = read_camera_file(Path(file))
    wards = _wards(store)
    outcome = _Outcome()
    body_errors: list[str] = []

    def body(ws: Any, emit: Any) -> None:
        for where, fields in rows:
            try:
                cmd = _command_for(ws, fields, wards)
                if cmd is None:
                    outcome.unchanged += 1
                    continue
                emit(decide(ws, cmd, actor()))
            except DomainError as exc:
                body_errors.append(f"{where}: {exc}")
                continue
            if isinstance(cmd, c.AddCamera):
                outcome.added += 1
            else:
                outcome.updated += 1
        if errors or body_errors or dry_run:
            raise _Abort()  # rolls back: nothing half-imported

    with contextlib.suppress(_Abort):
        store.write(actor(), body)
    problems = errors + body_errors
    if problems:
        for line in problems:
            click.echo(f"error: {line}", err=True)
        refuse(f"{len(problems)} bad row(s) in {file}: nothing was imported; fix them "
               "and import the file again")
    if not rows:
        refuse(f"{file} has no cameras")
    verb = "would store" if dry_run else "stored"
    click.echo(f"{verb} {outcome.added + outcome.updated} cameras "
               f"({outcome.added} added, {outcome.updated} updated); "
               f"{outcome.unchanged} unchanged")


@click.command("add-camera")
@click.argument("code")
@click.argument("name")
@click.option("--lon", type=float, required=True)
@click.option("--lat", type=float, required=True)
@click.option("--owner", type=click.Choice([o.value for o in CameraOwner]),
              default="police", show_default=True)
@click.option("--vendor", type=click.Choice([v.value for v in CameraVendor]),
              default="generic", show_default=True)
@click.option("--host")
@click.option("--port", type=int)
@click.option("--channel", type=int, default=1, show_default=True)
@click.option("--main-url")
@click.option("--sub-url")
@click.option("--azimuth", type=float)
@click.option("--fov", type=float)
@click.option("--range", "range_m", type=float)
@click.option("--ward", help="ward code or name")
@click.option("--address")
@click.option("--tz", help=f"the device clock's zone (default {DEFAULT_TZ})")
@click.option("--credential-ref", help="name of its credentials (set-camera-password)")
@click.pass_obj
@clear_errors
def add_camera(obj: AdminContext, code: str, name: str, lon: float, lat: float, owner: str,
               vendor: str, host: str | None, port: int | None, channel: int,
               main_url: str | None, sub_url: str | None, azimuth: float | None,
               fov: float | None, range_m: float | None, ward: str | None,
               address: str | None, tz: str | None, credential_ref: str | None) -> None:
    """Register a camera."""
    store = obj.store()
    ward_code = _ward_code(_wards(store), ward) if ward else None
    store.execute(c.AddCamera(
        code, name, lon, lat, CameraOwner(owner), ward_code, azimuth, fov, range_m,
        vendor=CameraVendor(vendor), host=host, port=port, channel=channel,
        main_url=main_url, sub_url=sub_url, address=address, tz=tz,
        credential_ref=credential_ref), actor())
    click.echo(f"camera {code} ({name}) added")


@click.command("edit-camera")
@click.argument("code")
@click.option("--set", "pairs", multiple=True, metavar="FIELD=VALUE",
              help="a field and its new value, e.g. --set channel=2 --set host=10.0.0.5; "
              "an empty value empties an optional field (--set azimuth_deg=)")
@click.option("--expected-version", type=int, help="refuse if the camera changed since")
@click.pass_obj
@clear_errors
def edit_camera(obj: AdminContext, code: str, pairs: tuple[str, ...],
                expected_version: int | None) -> None:
    """Change a registered camera's fields (name, lon, lat, owner, ward, azimuth_deg,
    fov_deg, range_m, vendor, host, port, channel, transport, main_url, sub_url,
    address, tz, credential_ref); the change and the old values are recorded."""
    if not pairs:
        raise click.UsageError("give at least one --set FIELD=VALUE")
    store: EventStore = obj.store()
    camera = _registered(store, code)
    changes: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or name not in c.CAMERA_FIELDS:
            raise click.BadParameter(f"{pair!r}: expected FIELD=VALUE with FIELD one of "
                                     f"{', '.join(c.CAMERA_FIELDS)}", param_hint="--set")
        changes[name] = value
    fields = row_fields({"code": code, "lon": camera.lon, "lat": camera.lat,
                          **{k: v for k, v in changes.items() if v.strip()}})
    if "ward" in changes and changes["ward"].strip():
        fields["ward"] = _ward_code(_wards(store), changes["ward"])
    typed = {k: (fields[k] if v.strip() else None) for k, v in changes.items()}
    store.execute(c.UpdateCamera(camera.code, tuple(sorted(typed.items())),
                                 expected_version), actor())
    click.echo(f"camera {code}: " + ", ".join(
        f"{k} = {urls.redact(str(v)) if v is not None else '(empty)'}"
        for k, v in sorted(typed.items())))


@click.command("retire-camera")
@click.argument("code")
@click.option("--reason", required=True, help="why (removed, broken, consent withdrawn)")
@click.pass_obj
@clear_errors
def retire_camera(obj: AdminContext, code: str, reason: str) -> None:
    """Take a camera out of service: off the map and the wall; its history stays."""
    obj.store().execute(c.RetireCamera(code, reason), actor())
    click.echo(f"camera {code} retired")


@click.command("set-camera-password")
@click.argument("code")
@click.option("--user", required=True, help="the camera account's user name")
@click.option("--password-stdin", is_flag=True, help="read the password from standard "
              "input (else a prompt)")
@click.option("--ref", help="credential reference (default: the camera's, else "
              "cam/<code>)")
@click.pass_obj
@clear_errors
def set_camera_password(obj: AdminContext, code: str, user: str, password_stdin: bool,
                        ref: str | None) -> None:
    """Store a camera's user and password in the keyring (or the encrypted file) and
    give the camera that credential reference. The password never reaches the
    database or the log."""
    store = obj.store()
    camera = _registered(store, code)
    ref = ref or camera.credential_ref or f"cam/{camera.code}"
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = str(click.prompt(f"password of {user} on camera {code}",
                                    hide_input=True, confirmation_prompt=True))
    if not password:
        refuse("no password given")
    try:
        creds = open_credentials()
        creds.set(ref, urls.Credentials(user, password))
    except CredentialError as exc:
        refuse(str(exc))
    if camera.credential_ref != ref:
        store.execute(c.UpdateCamera.of(camera.code, credential_ref=ref), actor())
    click.echo(f"credentials of camera {code} stored as '{ref}' in {creds.description}")


@click.command("camera-onvif")
@click.argument("code", required=False)
@click.option("--onvif-port", type=int, default=80, show_default=True,
              help="the device's ONVIF (HTTP) port")
@click.option("--discover", is_flag=True, help="list the ONVIF devices answering a "
              "WS-Discovery probe on this network instead")
@click.pass_obj
@clear_errors
def camera_onvif(obj: AdminContext, code: str | None, onvif_port: int, discover: bool) -> None:
    """Ask an ONVIF camera for its profiles' stream addresses (with its stored
    credentials) and store the largest as its main stream, the smallest as its
    sub-stream. Needs the optional extra: pip install 'gvcommand[onvif]'."""
    import asyncio

    try:
        if discover:
            for address in urls.discover_onvif():
                click.echo(address)
            return
        if code is None:
            raise click.UsageError("give a camera code (or --discover)")
        store: EventStore = obj.store()
        camera = _registered(store, code)
        if not camera.host:
            refuse(f"camera {code} has no host")
        if not camera.credential_ref:
            refuse(f"camera {code} has no stored credentials: set-camera-password first")
        found = open_credentials().get(str(camera.credential_ref))
        if found is None:
            refuse(f"no credentials stored under '{camera.credential_ref}'")
        profiles = asyncio.run(urls.onvif_profiles(str(camera.host), onvif_port, found))
    except (urls.OnvifUnavailable, urls.UrlError, CredentialError) as exc:
        refuse(str(exc))
    if not profiles:
        refuse(f"camera {code} reports no media profiles")
    for profile in profiles:
        size = f"{profile.width}x{profile.height}" if profile.width else "?"
        click.echo(f"{profile.token:<16} {size:>10}  {profile.uri}")
    main, sub = profiles[0].uri, (profiles[-1].uri if len(profiles) > 1 else None)
    changes = {k: v for k, v in (("main_url", main), ("sub_url", sub))
               if getattr(camera, k) != v}
    if changes:
        store.execute(c.UpdateCamera(camera.code, tuple(sorted(changes.items()))), actor())
    click.echo(f"camera {code}: main {main}" + (f", sub {sub}" if sub else ""))


class _Abort(DomainError):
    """Roll the import back (bad rows, or a dry run)."""


@dataclass
class _Outcome:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


def _registered(store: EventStore, code: str) -> Camera:
    with store.engine.connect() as conn:
        row = conn.execute(select(schema.cameras).where(schema.cameras.c.code == code)
                           ).mappings().first()
    if row is None:
        raise DomainError(f"camera {code} is not registered")
    return Camera.from_dict(dict(row))


def _wards(store: EventStore) -> dict[str, str]:
    """Folded code and name -> ward code."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(schema.wards.c.code, schema.wards.c.name)).all()
    out: dict[str, str] = {}
    for code, name in rows:
        out[fold(name)] = code
        out[fold(code)] = code
    return out


def _ward_code(wards: dict[str, str], text: str) -> str:
    found = wards.get(fold(text))
    if found is None:
        raise ValidationError(f"no ward named '{text}' (add it with add-ward, or leave the "
                              "ward empty)")
    return found


def _command_for(ws: Any, fields: dict[str, Any], wards: dict[str, str]
                 ) -> c.AddCamera | c.UpdateCamera | None:
    """The command that makes the registry say what the row says (None: it already does)."""
    fields = dict(fields)
    code = fields.pop("code")
    if "ward" in fields:
        fields["ward"] = _ward_code(wards, str(fields["ward"]))
    existing = ws.camera(code)
    if existing is None:
        return c.AddCamera(code=code, **{k: v for k, v in fields.items()
                                         if k in c.CAMERA_FIELDS})
    current = {k: getattr(existing, k) for k in c.CAMERA_FIELDS}
    changes = {k: v for k, v in fields.items()
               if k in c.CAMERA_FIELDS and _differs(current[k], v)}
    if not changes:
        return None
    return c.UpdateCamera.of(code, **changes)


def _differs(current: Any, new: Any) -> bool:
    if isinstance(current, float) and isinstance(new, int | float):
        # (an azimuth is stored modulo 360)
        return abs(current - float(new)) > 1e-9 and current != float(new) % 360
    return str(getattr(current, "value", current)) != str(getattr(new, "value", new))


COMMANDS = (camera_url, import_cameras, add_camera, edit_camera, retire_camera,
            set_camera_password, camera_onvif)
