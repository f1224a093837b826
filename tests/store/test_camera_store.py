"""Cameras through the real store (SQLite and PostgreSQL): the 0008 columns hold what a
replay of the log says after an add, an edit, a retirement and live views; a snapshot keeps
it; no column holds a secret."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from gvcommand.core import commands as c
from gvcommand.core import events as ev
from gvcommand.core.errors import ValidationError, VersionConflict
from gvcommand.core.model import Actor, CameraOwner, CameraVendor, Role, StreamKind
from gvcommand.core.state import replay
from gvcommand.store import schema
from gvcommand.store.event_store import EventStore

OPERATOR = Actor("lan", Role.OPERATOR, "C1")
SUPERVISOR = Actor("hung", Role.SUPERVISOR, "C2")
VIEW = "9d1c2b3a-4e5f-4a6b-8c7d-0e1f2a3b4c5d"


def test_camera_columns_project_as_a_replay_says(store: EventStore) -> None:
    store.execute(c.AddCamera("DH-01", "Chợ Hạnh Thông Tây", 106.657, 10.836,
                              CameraOwner.WARD, vendor=CameraVendor.DAHUA, host="10.1.2.3",
                              port=10554, channel=4, tz="Asia/Ho_Chi_Minh",
                              credential_ref="cam/DH-01"), SUPERVISOR)
    store.execute(c.AddCamera("TN-01", "Cửa hàng", 106.66, 10.84, CameraOwner.PRIVATE,
                              main_url="rtsp://127.0.0.1:8554/cam001"), SUPERVISOR)
    store.execute(c.UpdateCamera.of("DH-01", expected_version=1, channel=5, port=None),
                  SUPERVISOR)
    with pytest.raises(VersionConflict):
        store.execute(c.UpdateCamera.of("DH-01", expected_version=1, channel=6), SUPERVISOR)
    with pytest.raises(ValidationError):
        store.execute(c.UpdateCamera.of("TN-01", main_url="rtsp://u:secret@h/x"), SUPERVISOR)
    store.execute(c.StartLiveView("DH-01", VIEW, StreamKind.SUB), OPERATOR)
    store.execute(c.StopLiveView("DH-01", VIEW, "closed"), OPERATOR)
    store.execute(c.RetireCamera("TN-01", "Chủ cửa hàng rút camera"), SUPERVISOR)
    with store.engine.connect() as conn:
        rows = {r.code: r for r in conn.execute(select(schema.cameras))}
    assert (rows["DH-01"].vendor, rows["DH-01"].port, rows["DH-01"].channel,
            rows["DH-01"].version) == ("dahua", None, 5, 2)
    assert rows["TN-01"].active is False or rows["TN-01"].active == 0
    assert "secret" not in repr(rows)
    projected = store.projections()
    assert projected.comparable() == replay(store.iter_events()).comparable()
    views = store.events_of("camera_view:DH-01")
    assert [e.kind for e in views] == [ev.CAMERA_VIEW_STARTED, ev.CAMERA_VIEW_STOPPED]
    assert {e.payload["view_id"] for e in views} == {VIEW}
    store.ensure_snapshots(every=2)
    at = store.state_at()
    assert at.cameras["DH-01"].tz == "Asia/Ho_Chi_Minh" and not at.cameras["TN-01"].active


def test_upgrading_from_0007_keeps_cameras_as_the_log_says(store: EventStore) -> None:
    """Cameras registered before 0008 were locations without a stream: after the upgrade
    they are generic, channel 1, in service, as a replay of their events says."""
    from alembic import command as alembic_command

    from gvcommand.store.db import _alembic_config, current_revision, head_revision, write_tx

    store.execute(c.AddCamera("OLD-1", "Camera cũ", 106.66, 10.83, CameraOwner.WARD,
                              azimuth_deg=30.0, fov_deg=60.0, range_m=80.0), SUPERVISOR)
    with write_tx(store.engine) as conn:
        alembic_command.downgrade(_alembic_config(conn), "0007")
    assert current_revision(store.engine) == "0007"
    with write_tx(store.engine) as conn:
        alembic_command.upgrade(_alembic_config(conn), "head")
    assert current_revision(store.engine) == head_revision()
    cam = store.projections().cameras["OLD-1"]
    assert (cam.vendor, cam.channel, cam.active, cam.host, cam.azimuth_deg) == (
        CameraVendor.GENERIC, 1, True, None, 30.0)
    assert store.projections().comparable() == replay(store.iter_events()).comparable()
