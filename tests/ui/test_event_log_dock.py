"""The event log dock: filters by time, user, kind, ward and incident; the CSV export of the
rows shown; the audit chain's state, checked off the main thread."""

from __future__ import annotations

import csv
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from gvcommand.core import commands as c
from gvcommand.core.model import Actor, Force, IncidentSource, IncidentType, Role, UnitStatus
from gvcommand.store.event_store import EventStore
from gvcommand.ui.event_log_dock import EventLogDock
from gvcommand.ui.event_log_model import EventLogModel
from gvcommand.ui.session import ConsoleSession

from .conftest import ADMIN

LAN = Actor("lan", Role.SUPERVISOR, "C1")
MINH = Actor("minh", Role.OPERATOR, "C2")


def _seed(store: EventStore) -> None:
    store.execute_many([c.AddWard("P1", "Phường 1"), c.AddWard("P3", "Phường 3"),
                        c.AddUnit("363-01", Force.TO_363, "P1"),
                        c.AddUnit("363-02", Force.TO_363, "P3")], ADMIN)
    store.execute(c.CreateIncident("inc-a", IncidentType.FIGHT, 2, 106.66, 10.84,
                                   IncidentSource.PHONE, "P1"), LAN)       # #1
    store.execute(c.CreateIncident("inc-b", IncidentType.THEFT, 3, 106.67, 10.83,
                                   IncidentSource.PATROL, "P3"), MINH)     # #2
    store.execute(c.DispatchUnit("inc-a", "363-01"), LAN)
    store.execute(c.DispatchUnit("inc-b", "363-02"), MINH)
    store.execute(c.SetUnitStatus("363-02", UnitStatus.EN_ROUTE), MINH)


def _dock(qtbot: QtBot, store: EventStore, session: ConsoleSession) -> EventLogDock:
    model = EventLogModel()
    model.append_events(store.iter_events())
    dock = EventLogDock(model, session)
    model.setParent(dock)
    qtbot.addWidget(dock)
    return dock


def _seqs(dock: EventLogDock) -> list[int]:
    return [e.seq for e in dock.proxy.events()]


def test_filters_by_user_kind_ward_incident_and_time(
        qtbot: QtBot, store: EventStore, session: ConsoleSession) -> None:
    _seed(store)
    dock = _dock(qtbot, store, session)
    events = list(store.iter_events())
    assert dock.count_label.text() == f"{len(events)}/{len(events)} sự kiện"

    dock.actor_combo.refresh()
    assert dock.actor_combo.findData("minh") > 0
    dock.actor_combo.setCurrentIndex(dock.actor_combo.findData("minh"))
    assert _seqs(dock) == [e.seq for e in events if e.actor == "minh"]
    dock.actor_combo.setCurrentIndex(0)

    dock.kind_combo.refresh()
    found = dock.kind_combo.findData("unit.dispatched")
    assert dock.kind_combo.itemText(found) == "Điều động tổ (unit.dispatched)"
    dock.kind_combo.setCurrentIndex(found)
    assert [e.subject for e in dock.proxy.events()] == ["unit:363-01", "unit:363-02"]
    dock.kind_combo.setCurrentIndex(0)

    # ward P3: the ward itself, its unit's addition, incident #2 and its unit's status changes
    dock.ward_source = lambda: {"P1": "Phường 1", "P3": "Phường 3"}
    dock.ward_combo.refresh()
    assert dock.ward_combo.itemText(dock.ward_combo.findData("P3")) == "Phường 3 (P3)"
    dock.ward_combo.setCurrentIndex(dock.ward_combo.findData("P3"))
    shown = dock.proxy.events()
    assert {e.subject for e in shown} == {"ward:P3", "unit:363-02", "incident:inc-b"}
    dock.ward_combo.setCurrentIndex(0)

    qtbot.keyClicks(dock.incident_edit, "#1")
    assert {e.subject for e in dock.proxy.events()} == {"incident:inc-a", "unit:363-01"}
    assert all(e.kind != "unit.added" for e in dock.proxy.events())
    dock.incident_edit.clear()

    dock.since_edit.setDateTime(dock.since_edit.dateTime().addYears(-1))
    dock.time_check.setChecked(True)
    assert len(_seqs(dock)) == len(events)  # everything happened within the last hour
    dock.until_edit.setDateTime(dock.since_edit.dateTime().addDays(1))
    assert _seqs(dock) == []
    assert dock.count_label.text() == f"0/{len(events)} sự kiện"


def test_incidents_created_before_the_rows_shown_are_looked_up(
    qtbot: QtBot, store: EventStore, session: ConsoleSession
) -> None:
    _seed(store)
    model = EventLogModel()
    late = [e for e in store.iter_events() if e.kind != "incident.created"]
    model.append_events(late)
    model.incident_lookup = lambda i: {"inc-a": (1, "P1"), "inc-b": (2, "P3")}.get(i)
    dock = EventLogDock(model, session)
    model.setParent(dock)
    qtbot.addWidget(dock)
    qtbot.keyClicks(dock.incident_edit, "2")
    assert {e.subject for e in dock.proxy.events()} == {"incident:inc-b", "unit:363-02"}


def test_export_writes_the_rows_shown_with_vietnamese_headers(
    qtbot: QtBot, store: EventStore, session: ConsoleSession, tmp_path: Path
) -> None:
    _seed(store)
    dock = _dock(qtbot, store, session)
    qtbot.keyClicks(dock.incident_edit, "1")
    path = tmp_path / "nhat-ky.csv"
    assert dock.export_csv(path) == len(dock.proxy.events()) == 4
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == ["STT", "Thời gian", "Người thực hiện", "Máy trạm", "Sự kiện",
                       "Đối tượng", "Phường", "Vụ việc", "Chi tiết"]
    assert [r[4] for r in rows[1:]] == ["incident.created", "unit.dispatched",
                                        "incident.unit_assigned", "incident.status_changed"]
    assert {r[6] for r in rows[1:]} == {"P1"} and {r[7] for r in rows[1:]} == {"1"}
    assert len(rows[1][1]) == len("2026-11-28 21:00:00")


def test_chain_state_verified_then_broken_at_the_altered_event(
    qtbot: QtBot, store: EventStore, session: ConsoleSession
) -> None:
    _seed(store)
    dock = _dock(qtbot, store, session)
    dock.show()
    assert dock.chain_label.text() == "● Chuỗi kiểm toán: chưa kiểm tra"
    with qtbot.waitSignal(dock.verified, timeout=10_000) as ok:
        assert dock.start_verify()
        assert dock.verifying and not dock.verify_button.isEnabled()
        assert not dock.start_verify(), "one check at a time"
    head = store.head()[0]
    assert ok.args[0].ok
    assert dock.chain_label.text() == f"● Chuỗi kiểm toán: toàn vẹn đến sự kiện {head}"
    assert dock.verify_button.isEnabled()

    with store.engine.begin() as conn:  # an intruder with full rights (guards dropped)
        conn.execute(text("DROP TRIGGER IF EXISTS events_no_update"))
        conn.execute(text("UPDATE events SET actor = 'someone-else' WHERE seq = 5"))
    with qtbot.waitSignal(dock.verified, timeout=10_000) as broken:
        qtbot.mouseClick(dock.verify_button, Qt.MouseButton.LeftButton)
    assert not broken.args[0].ok
    assert dock.chain_label.text() == "● Chuỗi kiểm toán: BỊ PHÁ VỠ tại sự kiện 5"
    assert "altered" in dock.chain_label.toolTip()


def test_search_reads_the_whole_period_from_the_database(
    qtbot: QtBot, store: EventStore, session: ConsoleSession
) -> None:
    _seed(store)
    everything = list(store.iter_events())
    model = EventLogModel(cap=3)  # the console keeps only the latest few
    model.append_events(everything)
    dock = EventLogDock(model, session)
    model.setParent(dock)
    qtbot.addWidget(dock)
    assert not dock.search_button.isEnabled(), "a period must be chosen first"
    dock.since_edit.setDateTime(dock.since_edit.dateTime().addDays(-1))
    dock.time_check.setChecked(True)
    assert dock.search_button.isEnabled()
    dock.actor_combo.refresh()
    qtbot.mouseClick(dock.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dock.showing_history, timeout=10_000)
    assert dock.showing_history and not dock.live_button.isHidden()
    assert _seqs(dock) == [e.seq for e in everything]
    assert dock.count_label.text() == f"{len(everything)}/{len(everything)} sự kiện"
    dock.actor_combo.refresh()  # the users of the period found, not only of the live rows
    dock.actor_combo.setCurrentIndex(dock.actor_combo.findData("quantri"))
    assert _seqs(dock) == [e.seq for e in everything if e.actor == "quantri"]
    qtbot.mouseClick(dock.live_button, Qt.MouseButton.LeftButton)
    assert not dock.showing_history and dock.live_button.isHidden()
    assert dock.proxy.sourceModel() is model
