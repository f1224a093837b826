"""Translated names for the domain's codes (roles, database modes).

The domain keeps Vietnamese labels of its own (``Role.label``) for reports and the admin CLI;
the window goes through Qt's translator instead, so that ``--lang en`` shows English too.
tests/ui check that the Vietnamese translations here say what the domain says.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ..core.model import Role
from ..store.url import DatabaseUrl


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
