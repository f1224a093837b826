"""Where a workstation keeps its camera walls (its QSettings): the named walls the officers
saved, the wall as it was at the last close, and the decode budget. An unreadable entry is
logged and skipped, never a reason not to start. Plain Python (no Qt): the settings are
anything with QSettings' ``value`` and ``setValue``."""

from __future__ import annotations

import json
import logging
from typing import Any, Protocol

from .budget import DecodeBudget
from .layout import SavedWall

log = logging.getLogger(__name__)

SETTINGS_SAVED = "camera_wall/saved"
SETTINGS_CURRENT = "camera_wall/current"
SETTINGS_BUDGET = "camera_wall/budget_sub_streams"


class Settings(Protocol):
    """What is used of ``QSettings``."""

    def value(self, key: str, /, defaultValue: Any = ...) -> Any: ...
    def setValue(self, key: str, value: Any, /) -> None: ...


class WallSettings:
    def __init__(self, settings: Settings | None) -> None:
        self.settings = settings

    def saved(self) -> dict[str, SavedWall]:
        if self.settings is None:
            return {}
        raw = self.settings.value(SETTINGS_SAVED, "{}")
        try:
            data = json.loads(str(raw))
        except ValueError:
            log.warning("saved camera walls are unreadable; starting with none")
            return {}
        walls: dict[str, SavedWall] = {}
        for name, body in data.items() if isinstance(data, dict) else ():
            try:
                walls[name] = SavedWall.from_json(name, json.dumps(body))
            except ValueError as exc:
                log.warning("saved camera wall %r skipped: %s", name, exc)
        return walls

    def save(self, wall: SavedWall) -> bool:
        if self.settings is None or not wall.name.strip():
            return False
        walls = self.saved()
        walls[wall.name] = wall
        self._write(walls)
        return True

    def delete(self, name: str) -> bool:
        walls = self.saved()
        if walls.pop(name, None) is None:
            return False
        self._write(walls)
        return True

    def _write(self, walls: dict[str, SavedWall]) -> None:
        assert self.settings is not None
        self.settings.setValue(SETTINGS_SAVED, json.dumps(
            {n: json.loads(w.to_json()) for n, w in walls.items()}, ensure_ascii=False))

    def last(self) -> SavedWall | None:
        """The wall as it was when the console last closed."""
        raw = self.settings.value(SETTINGS_CURRENT) if self.settings is not None else None
        if raw is None:
            return None
        try:
            return SavedWall.from_json("", str(raw))
        except ValueError as exc:
            log.warning("the last camera wall is unreadable: %s", exc)
            return None

    def set_last(self, wall: SavedWall) -> None:
        if self.settings is not None:
            self.settings.setValue(SETTINGS_CURRENT, wall.to_json())

    def budget(self) -> DecodeBudget:
        n = self.settings.value(SETTINGS_BUDGET) if self.settings is not None else None
        try:
            return DecodeBudget.of_sub_streams(float(n)) if n is not None else DecodeBudget()
        except (TypeError, ValueError):
            log.warning("decode budget setting %r is not a number: the default is used", n)
            return DecodeBudget()

    def set_budget(self, budget: DecodeBudget) -> None:
        if self.settings is not None:
            self.settings.setValue(SETTINGS_BUDGET, budget.sub_streams)
