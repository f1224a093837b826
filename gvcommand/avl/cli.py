"""gvcommand-avl: the patrol-position service (Traccar Client / OsmAnd, OwnTracks).

It writes to the same database as the consoles (--db, else $GVCOMMAND_DB, else the embedded
SQLite database) and takes fixes only from devices registered with
``gvcommand-admin add-device``.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import os
import socket
import sys

import click

from ..core.errors import DomainError
from ..store import open_store
from ..store.db import StoreError
from ..store.url import UrlError

log = logging.getLogger("gvcommand.avl")
DEFAULT_PORT = 5055  # Traccar Client's default for OsmAnd


@click.group(help=__doc__)
@click.option("--db", metavar="URL", help="database URL (else $GVCOMMAND_DB, else the "
              "embedded SQLite database in the platform data directory)")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    from ..logsetup import configure_logging

    configure_logging(f"avl@{socket.gethostname()}",
                      level=os.environ.get("GVCOMMAND_LOG_LEVEL", "INFO"))
    ctx.obj = db


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=int,
              help="0: a free port, printed on stdout once it listens "
              "('listening on http://HOST:PORT/')")
@click.option("--mqtt", "mqtt_broker", metavar="HOST[:PORT]",
              help="also take OwnTracks over MQTT from this broker (owntracks/+/+)")
@click.option("--mqtt-user", help="user name at the broker")
@click.option("--mqtt-password-env", metavar="VAR",
              help="environment variable holding the broker password")
@click.option("--allow", "allow", multiple=True, metavar="CIDR",
              help="take HTTP fixes only from these networks (repeatable; default: any)")
@click.option("--max-age-hours", default=168.0, show_default=True,
              help="refuse fixes older than this (phones send what they buffered offline)")
@click.option("--retention-days", default=365.0, show_default=True,
              help="delete fixes older than this (0: keep all)")
@click.pass_obj
def serve(db: str | None, host: str, port: int, mqtt_broker: str | None,
          mqtt_user: str | None, mqtt_password_env: str | None, allow: tuple[str, ...],
          max_age_hours: float, retention_days: float) -> None:
    """Serve OsmAnd on / and OwnTracks on /owntracks; store fixes in batches."""
    from aiohttp import web

    from ..feeds.validate import Limits
    from .ingest import Ingest, Settings
    from .server import make_app

    try:
        networks = [ipaddress.ip_network(a, strict=False) for a in allow]
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--allow") from None
    try:
        store = open_store(db, upgrade=False)
    except (UrlError, StoreError, DomainError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    settings = Settings(limits=Limits(max_age_us=round(max_age_hours * 3.6e9)), allow=networks,
                        retention_days=retention_days or None)
    listener = None
    if port == 0:  # the kernel picks the port here, and whoever started us is told which
        try:
            listener = _listen(host)
        except OSError as exc:
            click.echo(f"error: cannot listen on {host}: {exc}", err=True)
            sys.exit(2)
        port = int(listener.getsockname()[1])
    ingest = Ingest(store.engine, settings)
    ingest.start()
    mqtt = None
    if mqtt_broker:
        from .mqtt import OwnTracksMqtt

        broker_host, _, broker_port = mqtt_broker.partition(":")
        password = os.environ.get(mqtt_password_env) if mqtt_password_env else None
        mqtt = OwnTracksMqtt(ingest, broker_host, int(broker_port or 1883),
                             username=mqtt_user, password=password)
        mqtt.start()
    log.info("gvcommand-avl on http://%s:%d (database %s)", host, port, store.url.display)
    if listener is not None:
        print(f"listening on http://{host}:{port}/", flush=True)
    try:
        # uvloop where it is installed (Linux): its transports write in C, about twice the
        # requests a second of the standard loop on the same core
        loop_factory = None
        with contextlib.suppress(ImportError):
            import uvloop

            loop_factory = uvloop.new_event_loop
        loop = loop_factory() if loop_factory else None
        web.run_app(make_app(ingest), host=None if listener is not None else host,
                    port=None if listener is not None else port, sock=listener, print=None,
                    access_log=None, handle_signals=True, loop=loop)
    finally:
        if mqtt is not None:
            mqtt.stop()
        ingest.stop()
        log.info("stopped: %s", dict(ingest.counts))


def _listen(host: str) -> socket.socket:
    """A listening socket on a free port of ``host`` (its first address)."""
    family, kind, proto, _name, address = socket.getaddrinfo(
        host, 0, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


@cli.command()
@click.option("--url", default=f"http://127.0.0.1:{DEFAULT_PORT}/", show_default=True,
              help="the gvcommand-avl service to send to")
@click.option("--interval", default=5.0, show_default=True, help="seconds between fixes")
@click.option("--duration", type=float, help="stop after this many seconds")
@click.pass_obj
def simulate(db: str | None, url: str, interval: float, duration: float | None) -> None:
    """Drive the units that have a simulated phone (devices sim-…) along the stored streets,
    sending real OsmAnd requests to the service."""
    from .simulate import Simulator, network_from_store

    try:
        store = open_store(db, upgrade=False)
        network = network_from_store(store.engine)
    except (UrlError, StoreError, DomainError, ValueError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    sim = Simulator(store.engine, network, url, interval_s=interval)
    log.info("simulating %d streets towards %s", len(network.roads), url)
    with contextlib.suppress(KeyboardInterrupt):
        sim.run(until=None if duration is None else sim.clock() + duration)
    log.info("simulator: %d fixes sent, %d failed", sim.sent, sim.failed)
