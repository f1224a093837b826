"""Translated names for the domain's codes (roles, database modes).

The domain keeps Vietnamese labels of its own (``Role.label``) for reports and the admin CLI;
the window goes through Qt's translator instead, so that ``--lang en`` shows English too.
tests/ui check that the Vietnamese translations here say what the domain says.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from ..core.model import Role

if TYPE_CHECKING:
    from .session import DatabaseUrl


def role_label(role: Role) -> str:
    names = {
        Role.OPERATOR: QCoreApplication.translate("Roles", "Operator"),
        Role.SUPERVISOR: QCoreApplication.translate("Roles", "Supervisor"),
        Role.ADMIN: QCoreApplication.translate("Roles", "Administrator"),
        Role.AUDITOR: QCoreApplication.translate("Roles", "Auditor"),
    }
    return names[role]


def database_mode_label(url: DatabaseUrl) -> str:
    if url.is_sqlite:
        return QCoreApplication.translate("Database", "SQLite (embedded)")
    return QCoreApplication.translate("Database", "PostgreSQL (shared)")


def poi_kind_label(kind: str) -> str:
    """The kind of a point of interest (an OSM value such as "marketplace") in the
    interface's language; a kind not listed here is shown as it was imported."""
    names = {
        "marketplace": QCoreApplication.translate("PlaceKinds", "market"),
        "school": QCoreApplication.translate("PlaceKinds", "school"),
        "kindergarten": QCoreApplication.translate("PlaceKinds", "kindergarten"),
        "university": QCoreApplication.translate("PlaceKinds", "university"),
        "college": QCoreApplication.translate("PlaceKinds", "college"),
        "hospital": QCoreApplication.translate("PlaceKinds", "hospital"),
        "clinic": QCoreApplication.translate("PlaceKinds", "clinic"),
        "pharmacy": QCoreApplication.translate("PlaceKinds", "pharmacy"),
        "police": QCoreApplication.translate("PlaceKinds", "police station"),
        "place_of_worship": QCoreApplication.translate("PlaceKinds", "place of worship"),
        "fuel": QCoreApplication.translate("PlaceKinds", "fuel station"),
        "bank": QCoreApplication.translate("PlaceKinds", "bank"),
        "atm": QCoreApplication.translate("PlaceKinds", "ATM"),
        "post_office": QCoreApplication.translate("PlaceKinds", "post office"),
        "cafe": QCoreApplication.translate("PlaceKinds", "café"),
        "restaurant": QCoreApplication.translate("PlaceKinds", "restaurant"),
        "hotel": QCoreApplication.translate("PlaceKinds", "hotel"),
        "supermarket": QCoreApplication.translate("PlaceKinds", "supermarket"),
        "convenience": QCoreApplication.translate("PlaceKinds", "convenience store"),
        "department_store": QCoreApplication.translate("PlaceKinds", "shopping centre"),
        "mall": QCoreApplication.translate("PlaceKinds", "shopping centre"),
        "park": QCoreApplication.translate("PlaceKinds", "park"),
        "bus_station": QCoreApplication.translate("PlaceKinds", "bus station"),
        "townhall": QCoreApplication.translate("PlaceKinds", "ward office"),
        "dormitory": QCoreApplication.translate("PlaceKinds", "dormitory"),
        "place": QCoreApplication.translate("PlaceKinds", "place"),
    }
    return names.get(kind, kind.replace("_", " "))
