"""The console's live state offers the cameras in service: a retired camera leaves the map
and the wall as soon as its event arrives."""

from __future__ import annotations

from pathlib import Path

from gvcommand.core import commands as c
from gvcommand.core.model import Actor, CameraVendor, Role
from gvcommand.store import open_store
from gvcommand.ui.session import LiveState

SUPERVISOR = Actor("hung", Role.SUPERVISOR, "C1")


def test_retired_cameras_leave_the_live_list(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path}/live.sqlite", upgrade=True)
    try:
        for code in ("CS-001", "CS-002"):
            store.execute(c.AddCamera(code, code, 106.66, 10.83, vendor=CameraVendor.GENERIC,
                                      main_url=f"rtsp://127.0.0.1:8554/{code}"), SUPERVISOR)
        live = LiveState(store)
        assert [cam.code for cam in live.cameras()] == ["CS-001", "CS-002"]
        seen: list[frozenset[str]] = []
        live.changed.connect(seen.append)
        result = store.execute(c.RetireCamera("CS-001", "Hỏng"), SUPERVISOR)
        live.apply_events(result.events)
        assert seen == [frozenset({"camera"})]
        assert [cam.code for cam in live.cameras()] == ["CS-002"]
        assert live.state.cameras["CS-001"].active is False  # still known, for the log
    finally:
        store.engine.dispose()
