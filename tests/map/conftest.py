"""Fixtures for map tests: offscreen Qt, a canvas of 800×600, and 16 box-shaped wards over
Gò Vấp in a 4×4 grid (shapely boxes, WGS 84)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt
import gc
import json
import sys
from collections.abc import Callable, Iterator

import pytest
import shapely
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gvcommand.core.model import (
    Camera,
    Force,
    Incident,
    IncidentSource,
    IncidentType,
    Unit,
    UnitStatus,
)
from gvcommand.geo.editions import BoundaryEdition, WardBoundary
from gvcommand.map.canvas import MapCanvas

from .._screenshots import screenshot_path

# the offscreen platform says this when a shown widget's minimum size changes; it is the
# test platform talking, not the code
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/map" in str(item.path):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(scope="session")
def qapp_args(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The same 1920×1080 offscreen screen as tests/ui uses: the QApplication is created once
    per session by whichever directory runs first, and the default 800×800 screen would clamp
    the main window tests' geometry."""
    args = [sys.argv[0]]
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        config = tmp_path_factory.mktemp("qpa") / "screen.json"
        config.write_text(json.dumps({"screens": [{
            "name": "control-room", "x": 0, "y": 0, "width": 1920, "height": 1080,
            "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
        args += ["-platform", f"offscreen:configfile={config}"]
    return args


LON0, LAT0 = 106.640, 10.820  # south-west corner of the grid
STEP = 0.012  # about 1.3 km
NOW_US = 1_780_000_000_000_000
HOUR_US = 3_600_000_000


def ward_code(i: int, j: int) -> str:
    return f"P{i * 4 + j + 1:02d}"


def ward_centre(i: int, j: int) -> tuple[float, float]:
    return LON0 + (j + 0.5) * STEP, LAT0 + (i + 0.5) * STEP


def grid_edition() -> BoundaryEdition:
    wards = tuple(
        WardBoundary(ward_code(i, j), f"Phường {i * 4 + j + 1}",
                     shapely.box(LON0 + j * STEP, LAT0 + i * STEP,
                                 LON0 + (j + 1) * STEP, LAT0 + (i + 1) * STEP))
        for i in range(4) for j in range(4))
    return BoundaryEdition("lưới thử", dt.date(2025, 7, 1), None, wards)


def incident(n: int, lon: float, lat: float, *, created_us: int = NOW_US,
             type_: IncidentType = IncidentType.SNATCH_THEFT, priority: int = 2) -> Incident:
    return Incident(f"i{n}", n, type_, priority, lon, lat, IncidentSource.PHONE,
                    created_us=created_us, address=f"{n} Quang Trung")


def unit(call_sign: str, force: Force = Force.TO_363,
         status: UnitStatus = UnitStatus.AVAILABLE) -> Unit:
    return Unit(call_sign, force, status=status)


def camera(code: str, lon: float, lat: float, azimuth: float = 0.0) -> Camera:
    return Camera(code, f"Camera {code}", lon, lat, azimuth_deg=azimuth, fov_deg=60.0,
                  range_m=150.0)


def pixel(image: QImage, x: int, y: int) -> QColor:
    return QColor(image.pixel(x, y))


def near(colour: QColor, expected: str | QColor, tolerance: int = 40) -> bool:
    e = QColor(expected)
    return (abs(colour.red() - e.red()) + abs(colour.green() - e.green())
            + abs(colour.blue() - e.blue())) <= tolerance


def delete_now() -> None:
    """Delete what was deleteLater()'d, now and on this (the GUI) thread, then collect the
    garbage here too.

    pytest-qt closes a test's widgets with deleteLater(), which processEvents() outside an
    event loop does not carry out: the widget would die whenever a later test spins an event
    loop, or, if its Python wrapper is garbage first, wherever the garbage collector happens to
    run, e.g. in a tile-server or database thread; Qt objects deleted from another thread warn
    ("Timers cannot be stopped from another thread") and crash."""
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


@pytest.fixture
def canvas(qtbot: QtBot, qapp: QApplication) -> Iterator[MapCanvas]:
    c = MapCanvas()
    qtbot.addWidget(c)  # closed and deleteLater()'d by pytest-qt before this fixture ends
    c.resize(800, 600)
    c.show()
    qtbot.waitExposed(c)
    yield c
    delete_now()


@pytest.fixture
def grab(qapp: QApplication) -> Callable[[MapCanvas, str], QImage]:
    """Grab the canvas as the officer sees it; also saved as gv_map_<name>.png in
    $GVCOMMAND_SCREENSHOTS (tests/conftest.py)."""

    def do(c: MapCanvas, name: str) -> QImage:
        qapp.processEvents()
        image = c.grab().toImage()
        image.save(screenshot_path(f"gv_map_{name}.png"))
        return image

    return do
