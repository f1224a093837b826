"""Places imported into the database are found by the intake's gazetteer, named with their
kind in the interface's language; an import by another console reaches an open console."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from gvcommand.store.event_store import EventStore
from gvcommand.store.places import StoredPlace, import_places
from gvcommand.ui.main_window import MainWindow

from .conftest import ADMIN
from .test_incidents import setup_area

WindowFactory = Callable[..., MainWindow]


def test_imported_places_are_found_without_accents_with_their_kind(
    qtbot: QtBot, make_window: WindowFactory, store: EventStore
) -> None:
    setup_area(store)
    import_places(store, name="OSM", source_sha256="d" * 64, actor=ADMIN, places=[
        StoredPlace("Chợ Hạnh Thông Tây", "marketplace", 106.648, 10.828),
        StoredPlace("Chùa Pháp Hoa", "place_of_worship", 106.659, 10.831),
    ])
    window = make_window(start=False)
    intake = window.open_intake()
    qtbot.keyClicks(intake.search_edit, "cho hanh thong")
    first = intake.search_results.item(0)
    assert first.text() == "Chợ Hạnh Thông Tây  ·  chợ"  # the kind in Vietnamese
    qtbot.keyClick(intake.search_edit, Qt.Key.Key_Return)
    assert intake.location == (106.648, 10.828)
    assert intake.ward_label.text() == "Hạnh Thông"
    intake.reject()


def test_places_imported_while_the_console_runs_are_found_next_time(
    qtbot: QtBot, make_window: WindowFactory, store: EventStore
) -> None:
    setup_area(store)
    window = make_window()
    intake = window.open_intake()
    qtbot.keyClicks(intake.search_edit, "chua phap hoa")
    assert intake.search_results.item(0).data(Qt.ItemDataRole.UserRole) is None  # not found
    intake.reject()
    import_places(store, name="OSM", source_sha256="d" * 64, actor=ADMIN, places=[
        StoredPlace("Chùa Pháp Hoa", "place_of_worship", 106.659, 10.831)])
    qtbot.waitUntil(lambda: window.live.state.place_set("OSM") is not None, timeout=5000)
    # the console reads the new places once the log says they came (its shared caches)
    qtbot.waitUntil(lambda: any(p.name == "Chùa Pháp Hoa" for p in window.session.caches.places),
                    timeout=5000)
    intake = window.open_intake()
    intake.search_edit.clear()
    qtbot.keyClicks(intake.search_edit, "chua phap hoa")
    assert intake.search_results.item(0).text().startswith("Chùa Pháp Hoa")
    intake.reject()
