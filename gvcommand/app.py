"""The desktop console's composition root: arguments, logging, database, login, window."""

from __future__ import annotations

import argparse
import contextlib
import gc
import logging
import os
import socket
import sys
import time
from collections.abc import Iterator, Sequence

from sqlalchemy import select

from .core import events as ev
from .core.centre_time import CENTRE_TZ_NAME
from .core.commands import CreateUser
from .core.errors import AlreadyExists
from .core.model import Actor, Role
from .logsetup import configure_logging, set_log_user
from .store import open_store, schema
from .store.db import StoreError
from .store.event_store import EventStore
from .store.snapshotter import Snapshotter
from .store.url import ENV_VAR, UrlError, default_sqlite_path, resolve

log = logging.getLogger("gvcommand.app")

EXIT_OK = 0
EXIT_START_FAILED = 2
CONSOLE_ENV_VAR = "GVCOMMAND_CONSOLE"
DEMO_USER = "demo"
DEMO_DISPLAY_NAME = "Cán bộ trực (demo)"
AFTER_START_LATEST_MS = 10_000  # work that waits for the first map paint waits no longer


class StartupGc:
    """Python's cycle collector, paused while the console starts.

    A start allocates ~100k long-lived objects (modules, classes, Qt wrappers) and next to no
    cyclic garbage, yet the collector scans them in hundreds of young and two full passes:
    ~0.1 s of a 1.2 s start here. It resumes once the map is painted, and runs as usual
    through anything long or waiting on a person (generating the demo data, the login
    dialog). What was imported before the window is built lives as long as the process:
    ``freeze_survivors`` moves it out of the collector's sight for good (gc.freeze); the
    window's own objects are not frozen, since a language switch replaces the window.
    """

    def __init__(self) -> None:
        self.paused = False

    def pause(self) -> None:
        if gc.isenabled():  # a collector someone else switched off stays theirs
            gc.disable()
            self.paused = True

    def resume(self) -> None:
        if self.paused:
            self.paused = False
            gc.enable()

    def freeze_survivors(self) -> None:
        if self.paused:
            gc.freeze()

    @contextlib.contextmanager
    def collecting(self) -> Iterator[None]:
        """Collect as usual inside the block; paused again after it if it was before."""
        was_paused = self.paused
        self.resume()
        try:
            yield
        finally:
            if was_paused:
                self.pause()


STARTUP_GC = StartupGc()


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="gvcommand",
        description="Command and dispatch console of the Gò Vấp district police centre.",
    )
    parser.add_argument(
        "--db", metavar="URL",
        help=f"database URL: sqlite:///PATH or postgresql+psycopg://USER@HOST:PORT/DB "
             f"(default: ${ENV_VAR}, else an embedded SQLite database for this user)")
    parser.add_argument("--demo", action="store_true",
                        help="log in as the demo user without a password (SQLite only)")
    parser.add_argument(
        "--console", metavar="NAME",
        default=os.environ.get(CONSOLE_ENV_VAR) or socket.gethostname(),
        help=f"name of this workstation in the log (default: ${CONSOLE_ENV_VAR}, else the "
             "host name)")
    parser.add_argument("--lang", choices=("vi", "en"), default=None,
                        help="interface language (default: the last one chosen, else vi)")
    parser.add_argument("--theme", choices=("dark", "light"), default=None,
                        help="colour theme (default: the last one chosen, else dark)")
    parser.add_argument("--basemap", metavar="URL|FILE",
                        help="base map: an XYZ tile URL with {z}/{x}/{y} (cached on disk) or "
                             "an .mbtiles file (offline)")
    parser.add_argument("--basemap-attribution", metavar="TEXT", default="",
                        help="attribution shown on the map for --basemap")
    parser.add_argument("--demo-days", metavar="DAYS", type=int, default=365,
                        help="days of generated incidents when the demo database is first "
                             "filled (default: 365)")
    parser.add_argument("--no-simulation", action="store_true",
                        help="demo: do not start the simulated patrols (gvcommand-avl serve "
                             "and simulate)")
    parser.add_argument("--quit-after", metavar="SECONDS", type=float, default=None,
                        help=argparse.SUPPRESS)  # for smoke tests: close cleanly after N s
    return parser.parse_args(argv)


def fail(message: str) -> int:
    """Say why the console cannot start, on stderr (and in the log file), before any window."""
    log.error("cannot start: %s", message)
    print(f"gvcommand: {message}", file=sys.stderr)
    return EXIT_START_FAILED


def demo_database_url() -> str:
    """The demo's own database, next to (never the same as) the embedded default."""
    return f"sqlite:///{default_sqlite_path().with_name('demo.sqlite')}"


def open_database(url: str | None, *, demo: bool) -> EventStore:
    """Open the store: the embedded SQLite database is ours to create and upgrade, a shared
    PostgreSQL database is the administrator's (``gvcommand-admin init``).

    The demo logs in without a password, so it runs on a database of its own and refuses
    any database that has real users: a demo must never open a door into real data.
    """
    if demo and not url and not os.environ.get(ENV_VAR):
        url = demo_database_url()
    target = resolve(url)
    if demo and not target.is_sqlite:
        raise UrlError(
            f"--demo works only on an embedded SQLite database, not on {target.display}: "
            "demo logins without a password have no place in a shared centre database"
        )
    store = open_store(url, upgrade=target.is_sqlite)
    if demo:
        with store.engine.connect() as conn:
            real = conn.execute(
                select(schema.users.c.name).where(schema.users.c.name != DEMO_USER).limit(3)
            ).scalars().all()
        if real:
            store.engine.dispose()
            raise UrlError(
                f"--demo refuses {target.display}: it has real users ({', '.join(real)}); "
                "run the demo without --db (it uses a database of its own)"
            )
    return store


def demo_login(store: EventStore, console: str) -> Actor:
    """Make sure the demo user exists and record its (password-less) login."""
    system = Actor("system:demo", Role.ADMIN, console)
    with contextlib.suppress(AlreadyExists):  # a demo database already used before
        store.execute(CreateUser(DEMO_USER, Role.SUPERVISOR, DEMO_DISPLAY_NAME), system)
    actor = Actor(DEMO_USER, Role.SUPERVISOR, console)
    store.record(actor, [ev.NewEvent(ev.USER_LOGIN_SUCCEEDED, ev.subject("user", DEMO_USER),
                                     {"method": "demo"})])
    return actor


def prepare_demo(store: EventStore, days: int) -> None:
    """Fill a new demo database with generated data (first start only, ~6 s for a year)."""
    with store.engine.connect() as conn:
        # the demo imports its boundary editions last: present means seeded; a demo database
        # from an older version may still lack the streets or the simulated phones
        if all(conn.execute(select(column).limit(1)).first() is not None for column in (
                schema.boundary_editions.c.name, schema.road_networks.c.name,
                schema.devices.c.device_id)):
            return
    from .demo.seed import seed_demo  # generating needs numpy and shapely: only when it runs

    shown = ""

    def progress(phase: str, done: int, total: int) -> None:
        nonlocal shown
        line = f"gvcommand: preparing the demo data (first start only): {phase} {done}/{total}"
        if line != shown:
            print(f"\r{line}", end="", file=sys.stderr, flush=True)
            shown = line

    with STARTUP_GC.collecting():  # ~6 s and a million objects: not a pause's business
        summary = seed_demo(store, days=days, progress=progress)
        if shown:
            print(file=sys.stderr)
        if not summary.already_seeded:
            log.info("demo data generated: %s", "; ".join(summary.lines()))
            store.ensure_snapshots()  # so that every later start rebuilds its state in a blink


def main(argv: Sequence[str] | None = None) -> int:
    STARTUP_GC.pause()
    try:
        return _main(argv)
    finally:
        STARTUP_GC.resume()


CENTRE_TZ = CENTRE_TZ_NAME  # the control room's clock: reports, tiles, logs, the status bar


def use_centre_time(environ: dict[str, str] | os._Environ[str] = os.environ) -> bool:
    """Show the centre's time everywhere, whatever zone the workstation's system is set to
    (a machine installed with UTC would otherwise show the status bar and the event log 7 h
    off the camera tiles and the shift reports, which are in Vietnam time). A TZ the
    administrator set explicitly is kept. Returns whether it was set here."""
    if environ.get("TZ"):
        return False
    environ["TZ"] = CENTRE_TZ
    if hasattr(time, "tzset"):  # not on Windows, whose consoles run in the centre's zone
        time.tzset()
    return True


def _main(argv: Sequence[str] | None) -> int:
    args = parse_args(argv)
    use_centre_time()  # before Qt and the log read the local time
    log_file = configure_logging(args.console)
    log.info("gvcommand starting on console %s (log %s)", args.console, log_file)
    try:
        store = open_database(args.db, demo=args.demo)
        if args.demo:
            prepare_demo(store, args.demo_days)
    except (UrlError, StoreError) as exc:
        return fail(str(exc))
    log.info("database: %s %s", store.url.mode_label, store.url.display)
    try:
        return _run_gui(args, store)
    finally:
        store.engine.dispose()


def _run_gui(args: argparse.Namespace, store: EventStore) -> int:
    # Qt is imported here, after the checks above, so a wrong URL fails fast and windowless.
    from PySide6.QtCore import QSettings, Qt, QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QDialog

    from .console_run import ConsoleRun, TerminationWatcher, close_orphaned_views
    from .map.basemap import BasemapError
    from .resource_files import resource
    from .ui.i18n import DEFAULT_LANGUAGE, install_translator
    from .ui.shell import SETTINGS_LANGUAGE, Shell
    from .ui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName("gvcommand")
    app.setApplicationName("gvcommand")
    app.setApplicationDisplayName("gvcommand")
    app.setWindowIcon(QIcon(str(resource("icons", "gvcommand.svg"))))
    settings = QSettings("gvcommand", "gvcommand")
    language = args.lang or str(settings.value(SETTINGS_LANGUAGE, DEFAULT_LANGUAGE))
    # the login dialog speaks the console's language too; the shell takes over afterwards
    login_translator = install_translator(app, language if language in ("vi", "en") else "vi")
    apply_theme(app, args.theme or "dark")

    # SIGTERM, SIGINT, SIGHUP (logout, shutdown): the same path as closing the window
    shell = None
    terminated: list[str] = []

    def _on_terminate(name: str) -> None:
        log.info("%s received: the console closes", name)
        terminated.append(name)
        for widget in app.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()  # the login dialog: as if cancelled
        if shell is not None:
            shell.shutdown()  # no question about waiting commands: nobody is there to answer
        app.quit()

    watcher = TerminationWatcher(app)
    watcher.requested.connect(_on_terminate)

    if args.quit_after is not None:
        def _quit() -> None:
            log.info("--quit-after %.1f s: closing", args.quit_after)
            for widget in app.topLevelWidgets():
                widget.close()
            app.quit()

        QTimer.singleShot(int(args.quit_after * 1000), _quit)

    display_name = ""
    try:
        if args.demo:
            actor = demo_login(store, args.console)
            display_name = DEMO_DISPLAY_NAME
        else:
            from .ui.login_dialog import LoginDialog  # and argon2: not for the demo

            dialog = LoginDialog(store, args.console)
            with STARTUP_GC.collecting():  # an officer typing: no hurry
                accepted = dialog.exec() == LoginDialog.DialogCode.Accepted
            if not accepted or dialog.session is None:
                log.info("login cancelled")
                watcher.close()
                return EXIT_OK
            actor = dialog.session.actor
            display_name = dialog.session.user.display_name
    except StoreError as exc:
        watcher.close()
        return fail(str(exc))
    set_log_user(actor.name)
    log.info("logged in as %s (%s)%s", actor.name, actor.role.value,
             " in demo mode" if args.demo else "")

    if login_translator is not None:
        app.removeTranslator(login_translator)
    run = ConsoleRun(actor.console)
    if run.acquire():
        close_orphaned_views(store, actor, run.last_seen_us())
    else:
        log.warning("another run of console %s is open on this workstation: its camera views "
                    "are left as they are", actor.console)
    run.start_heartbeat(app)

    STARTUP_GC.freeze_survivors()
    shell = Shell(app, store, actor, display_name=display_name, demo=args.demo,
                  settings=settings, language=args.lang, theme=args.theme,
                  basemap=args.basemap, basemap_attribution=args.basemap_attribution)
    snapshots = Snapshotter(store)  # keeps replay to any time fast
    try:
        window = shell.start()
    except BasemapError as exc:
        run.stop()
        watcher.close()
        return fail(str(exc))

    patrols = None
    if args.demo and not args.no_simulation:
        from .avl.demo_processes import DemoAvl

        patrols = DemoAvl(store.url.sqlalchemy_url)
    cameras = None
    if args.demo:
        from .video.demo_cameras import DemoCameras

        cameras = DemoCameras()  # the demo cameras' loopback RTSP server

    def after_first_paint() -> None:  # both ways may call it: the second does nothing
        STARTUP_GC.resume()
        snapshots.start()
        if patrols is not None and not patrols.processes:
            patrols.start()  # the simulated patrols' phones and the service they report to
        if cameras is not None and not cameras.started:
            cameras.start()  # off the GUI thread

    # the officer sees the map first: the snapshot writer's replay waits until it is painted
    # (or a while, for a window that does not paint, e.g. started minimised)
    window.first_map_paint.connect(after_first_paint, Qt.ConnectionType.SingleShotConnection)
    QTimer.singleShot(AFTER_START_LATEST_MS, after_first_paint)
    try:
        code = app.exec()
    finally:
        shell.shutdown()
        players = sys.modules.get("gvcommand.video.player")
        if players is not None:  # any camera stream still running: its relay ends with us
            players.close_all()
        snapshots.stop()
        if patrols is not None:
            patrols.stop()
        if cameras is not None:
            cameras.stop()
        run.stop()
        watcher.close()
        set_log_user(None)
    if terminated:
        code = EXIT_OK  # ended as asked: a clean end, whatever the loop returned
    log.info("gvcommand stopped (exit code %d)", code)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
