"""Where an incident is, as the intake reads it: coordinates typed in WGS 84 (latitude,
longitude) or VN-2000 TM-3 (E, N in metres), and the names of the gazetteer's kinds."""

from __future__ import annotations

import functools
import math

from PySide6.QtCore import QCoreApplication

from ..geo import crs

tr = functools.partial(QCoreApplication.translate, "IncidentIntake")


def parse_coordinates(first: str, second: str, *, vn2000: bool) -> tuple[float, float]:
    """(lon, lat) of two typed numbers (a decimal comma is read too); ValueError in the
    officer's words for anything but two numbers, or a place outside Vietnam."""
    try:
        a = float(first.replace(",", ".").strip())
        b = float(second.replace(",", ".").strip())
    except ValueError:
        raise ValueError(tr("Coordinates must be two numbers.")) from None
    if vn2000:
        lon, lat = (float(v) for v in crs.to_wgs84(crs.VN2000_TM3_HCMC, a, b))
    else:
        lat, lon = a, b
    if not (math.isfinite(lon) and math.isfinite(lat)) or not crs.plausible_for_vietnam(
            lon, lat):
        raise ValueError(tr("These coordinates are not in Vietnam: check the order and the "
                            "coordinate system."))
    return lon, lat


def kind_label(kind: str) -> str:
    """A gazetteer entry's kind in the interface's language."""
    return {"street": tr("street"), "ward": tr("ward"), "complex_point": tr("complex point"),
            "poi": tr("place")}.get(kind, kind)
