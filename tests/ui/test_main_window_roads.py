"""The main window draws the newest road network: at start, and live when an administrator
imports another one (the change feed brings the import event)."""

from __future__ import annotations

from collections.abc import Callable

import shapely
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from gvcommand.core.model import Actor, Role
from gvcommand.map import style
from gvcommand.store.event_store import EventStore
from gvcommand.store.roads import RoadSegment, import_roads
from gvcommand.ui.main_window import MainWindow

WindowFactory = Callable[..., MainWindow]
ROAD_ADMIN = Actor("quantri", Role.ADMIN, "admin-console")
LAT = 10.8387


def network(store: EventStore, name: str, street: str, lon: float) -> None:
    line = shapely.LineString([(lon - 0.01, LAT), (lon + 0.01, LAT)])
    import_roads(store, name=name, source_sha256="c" * 64, actor=ROAD_ADMIN, segments=[
        RoadSegment(street, "primary", 2185.0, shapely.to_wkb(line))])


def road_colour_at(window: MainWindow, lon: float) -> bool:
    image = window.grab().toImage()
    p = window.map.mapTo(window, window.map.lonlat_to_widget(lon, LAT))
    colours = [QColor(image.pixel(p.x(), p.y() + d)) for d in (-1, 0, 1)]
    major = QColor(style.ROAD_PALETTES["dark"]["major"])
    return any(abs(c.red() - major.red()) + abs(c.green() - major.green())
               + abs(c.blue() - major.blue()) <= 30 for c in colours)


def test_roads_at_start_and_when_a_newer_network_comes(
    qtbot: QtBot, make_window: WindowFactory, store: EventStore
) -> None:
    network(store, "OSM 2018", "Quang Trung", 106.675)
    window = make_window()
    window.map.set_view(106.680, LAT, 2400)
    assert [r[0] for r in window.map.roads.rows] == ["Quang Trung"]
    assert road_colour_at(window, 106.672)
    network(store, "Sở GTVT 2025", "Phan Văn Trị", 106.690)
    qtbot.waitUntil(lambda: [r[0] for r in window.map.roads.rows] == ["Phan Văn Trị"],
                    timeout=3000)
    assert road_colour_at(window, 106.688)
    assert not road_colour_at(window, 106.672)
