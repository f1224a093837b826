"""Live-view audit: start and stop events pair up by view id into sessions with durations;
a stop without its start, and a start never stopped, are shown as such."""

from __future__ import annotations

from gvcommand.analysis.camera_audit import seconds_by_camera, view_sessions
from gvcommand.core import commands as c
from gvcommand.core.model import StreamKind
from tests.core._desk import OPERATOR, OPERATOR_2, SUPERVISOR, TICK_US, Desk

A = "aaaaaaaa-0000-4000-8000-000000000001"
B = "bbbbbbbb-0000-4000-8000-000000000002"
C = "cccccccc-0000-4000-8000-000000000003"


def test_sessions_pair_by_view_id_across_consoles() -> None:
    d = Desk()
    for code in ("CS-1", "CS-2"):
        d.run(c.AddCamera(code, code, 106.66, 10.83), SUPERVISOR)
    start_a = d.run(c.StartLiveView("CS-1", A, StreamKind.SUB, "vụ #7"), OPERATOR)[0]
    d.run(c.StartLiveView("CS-1", B, StreamKind.MAIN), OPERATOR_2)
    d.ts_us += 90_000_000  # a minute and a half later
    stop_a = d.run(c.StopLiveView("CS-1", A, "closed"), OPERATOR)[0]
    d.run(c.StartLiveView("CS-2", C, StreamKind.SUB), OPERATOR)  # never stopped
    d.run(c.StopLiveView("CS-1", B, "switched"), OPERATOR_2)
    d.run(c.StopLiveView("CS-1", B, "again"), OPERATOR_2)  # a repeated stop changes nothing
    sessions = view_sessions(d.log)
    assert [(s.camera, s.view_id, s.actor, s.console, s.stream) for s in sessions] == [
        ("CS-1", A, OPERATOR.name, OPERATOR.console, "sub"),
        ("CS-1", B, OPERATOR_2.name, OPERATOR_2.console, "main"),
        ("CS-2", C, OPERATOR.name, OPERATOR.console, "sub"),
    ]
    a, b, c_ = sessions
    assert a.duration_s() == (stop_a.ts_us - start_a.ts_us) / 1e6 > 90
    assert a.purpose == "vụ #7" and b.stop_reason == "switched"
    assert c_.stopped_us is None and c_.duration_s() is None
    totals = seconds_by_camera(sessions)
    assert set(totals) == {"CS-1"} and totals["CS-1"] > 180 - 10 * TICK_US / 1e6
    # reading from the middle of the log: the stop whose start came before
    later = view_sessions(d.log[-2:])
    assert later[0].started_us is None and later[0].stop_reason == "switched"
