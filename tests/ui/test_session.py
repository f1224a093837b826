"""The console session: the shared data is read once for every view that draws on it (and
again once when an import changes it), and background work comes back on the main thread,
or not at all when the widget that asked is gone."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import shapely
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from gvcommand.store.event_store import EventStore
from gvcommand.store.roads import RoadSegment, import_roads
from gvcommand.ui.main_window import MainWindow
from gvcommand.ui.session import ConsoleSession, caches

from .conftest import ADMIN
from .test_incidents import setup_area

WindowFactory = Callable[..., MainWindow]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often the session reads each kind of shared data from the database."""
    calls = {"roads": 0, "places": 0, "editions": 0}

    def counting(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def read(*args: Any, **kwargs: Any) -> Any:
            calls[name] += 1
            return real(*args, **kwargs)
        return read

    for name, function in (("roads", "load_roads"), ("places", "load_places"),
                           ("editions", "load_editions")):
        monkeypatch.setattr(caches, function, counting(name, getattr(caches, function)))
    return calls


def test_the_shared_data_is_read_once_for_every_view(
        qtbot: QtBot, make_window: WindowFactory, store: EventStore,
        counted: dict[str, int]) -> None:
    setup_area(store)  # wards (an edition) and a street
    window = make_window()
    assert window.edition is not None  # the map's wards
    assert [r[0] for r in window.map.roads.rows] == ["Quang Trung"]  # the map's streets
    qtbot.waitUntil(lambda: window.recommendations.graph is not None, timeout=5000)
    gazetteer = window.gazetteer()
    assert gazetteer.search("Quang Trung")  # the intake's streets
    assert counted == {"roads": 1, "places": 1, "editions": 1}

    # an import while the console runs: read again once, and every view has it
    line = shapely.LineString([(106.655, 10.835), (106.66, 10.835)])
    import_roads(store, name="mới", source_sha256="e" * 64, actor=ADMIN, segments=[
        RoadSegment("Lê Đức Thọ", "primary", 550.0, shapely.to_wkb(line))])
    qtbot.waitUntil(lambda: any(r.name == "Lê Đức Thọ" for r in window.session.caches.roads),
                    timeout=5000)
    qtbot.waitUntil(lambda: window.gazetteer().search("Le Duc Tho") != [], timeout=5000)
    qtbot.waitUntil(lambda: [r[0] for r in window.map.roads.rows] == ["Lê Đức Thọ"],
                    timeout=5000)
    assert counted == {"roads": 2, "places": 1, "editions": 1}


def test_results_come_back_on_the_main_thread_or_not_at_all(
        qtbot: QtBot, store: EventStore, session: ConsoleSession) -> None:
    main = threading.current_thread()
    seen: list[tuple[str, object, bool]] = []

    def note(tag: str) -> Callable[[object], None]:
        return lambda value: seen.append((tag, value, threading.current_thread() is main))

    worker: list[str] = []
    session.tasks.read(lambda: worker.append(threading.current_thread().name) or 42,
                       note("done"))
    session.tasks.read(lambda: 1 / 0, note("done"), note("failed"))
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=5000)
    assert worker and worker[0].startswith("gvcommand-read")  # off the main thread
    done = next(s for s in seen if s[0] == "done")
    failed = next(s for s in seen if s[0] == "failed")
    assert done[1:] == (42, True)
    assert isinstance(failed[1], ZeroDivisionError) and failed[2]

    # a widget that asked and was deleted before the answer: nothing reaches it
    gate = threading.Event()
    widget = QWidget()
    session.tasks.read(lambda: gate.wait(5) and "late", note("late"), owner=widget)
    widget.deleteLater()
    qtbot.waitUntil(lambda: not _alive(widget), timeout=2000)
    gate.set()
    other: list[object] = []
    session.tasks.read(lambda: "after", other.append)  # queued behind the late one
    qtbot.waitUntil(lambda: other == ["after"], timeout=5000)
    assert [s[0] for s in seen] == ["done", "failed"]


def test_a_write_runs_on_the_single_writer_in_its_turn(
        qtbot: QtBot, session: ConsoleSession, tmp_path: Path) -> None:
    order: list[str] = []
    names: list[str] = []
    for n in range(3):
        session.tasks.write(lambda n=n: (order.append(f"w{n}"),
                                         names.append(threading.current_thread().name)),
                            lambda _r: order.append("answered"))
    qtbot.waitUntil(lambda: order.count("answered") == 3, timeout=5000)
    assert [o for o in order if o != "answered"] == ["w0", "w1", "w2"]
    assert set(names) == {"gvcommand-console-writer"}


def _alive(obj: QObject) -> bool:
    from shiboken6 import Shiboken

    return bool(Shiboken.isValid(obj))


def test_nothing_starts_a_thread_after_the_session_stopped(
        qtbot: QtBot, session: ConsoleSession) -> None:
    session.stop()
    failed: list[BaseException] = []
    session.tasks.write(lambda: None, None, failed.append)
    session.tasks.read(lambda: None, None, failed.append)
    qtbot.waitUntil(lambda: len(failed) == 2, timeout=2000)
    assert all(isinstance(e, RuntimeError) and "closing" in str(e) for e in failed)
    assert not [t for t in threading.enumerate()
                if t.name == "gvcommand-console-writer" or t.name.startswith("gvcommand-read")]
