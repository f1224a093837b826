"""The shift report's figures, from the event log: what came in during a shift, how fast it
was answered, what is still open at its end, and how the units spent their time.

Everything is computed as it stood at the end of the shift (events after it are not read),
from the state at its start (snapshot + replay) and the events within it. Rendering (PDF,
CSV) lives elsewhere; this module is plain Python on top of the store.

Response intervals, per incident received in the shift (received = recorded in the log):
  received → dispatched, dispatched → en route, en route → on scene, and received → on
  scene, each from the first time the incident reached that state. The 90th percentile is
  the linear interpolation between order statistics (numpy's default, R type 7).
"""

from __future__ import annotations

import csv
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import Protocol

from ..core import events as ev
from ..core.centre_time import CENTRE_TZ
from ..core.model import Incident, IncidentStatus, UnitStatus
from ..core.state import UNIT_KIND_STATUS, State

VIETNAM_TZ = CENTRE_TZ
SHIFT_BOUNDARIES = (time(6, 0), time(18, 0))  # day shift 06–18, night shift 18–06

# (key, from state, to state, Vietnamese label)
INTERVALS = (
    ("received_dispatched", "received", IncidentStatus.DISPATCHED, "Tiếp nhận → Điều động"),
    ("dispatched_en_route", IncidentStatus.DISPATCHED, IncidentStatus.EN_ROUTE,
     "Điều động → Đang đến"),
    ("en_route_on_scene", IncidentStatus.EN_ROUTE, IncidentStatus.ON_SCENE,
     "Đang đến → Có mặt"),
    ("received_on_scene", "received", IncidentStatus.ON_SCENE, "Tiếp nhận → Có mặt"),
)
UNIT_STATUS_LABELS = {
    UnitStatus.AVAILABLE: "Sẵn sàng",
    UnitStatus.DISPATCHED: "Đã điều động",
    UnitStatus.EN_ROUTE: "Đang đến",
    UnitStatus.ON_SCENE: "Có mặt",
    UnitStatus.OUT_OF_SERVICE: "Ngừng hoạt động",
    UnitStatus.OFF_DUTY: "Hết ca",
}
NO_WARD = "(không rõ phường)"


class EventLog(Protocol):
    """What the report reads of the event store (analysis does not import the store)."""

    def seq_at(self, ts_us: int) -> int: ...

    def state_at(self, *, seq: int | None = None, ts_us: int | None = None) -> State: ...

    def iter_events(self, after_seq: int = 0, upto_seq: int | None = None,
                    batch: int = ...) -> Iterator[ev.StoredEvent]: ...


@dataclass(frozen=True, slots=True)
class IntervalStats:
    count: int
    median_s: float | None
    p90_s: float | None


@dataclass(frozen=True, slots=True)
class OpenIncident:
    number: int
    type: str
    ward: str | None
    status: str
    received_us: int


@dataclass(slots=True)
class ShiftReport:
    start_us: int
    end_us: int
    include_exercise: bool
    by_type: dict[str, int] = field(default_factory=dict)  # incident type label → count
    by_ward: dict[str, int] = field(default_factory=dict)  # ward code → count
    ward_names: dict[str, str] = field(default_factory=dict)
    intervals: dict[str, IntervalStats] = field(default_factory=dict)
    open_incidents: list[OpenIncident] = field(default_factory=list)
    unit_time_s: dict[str, dict[UnitStatus, float]] = field(default_factory=dict)
    received: int = 0
    exercises_left_out: int = 0
    # call sign → seconds on a drill (diễn tập) left out of ``unit_time_s`` (none when
    # ``include_exercise``): a unit on a drill all shift is not in the table at all
    exercise_unit_time_left_out_s: dict[str, float] = field(default_factory=dict)
    as_of_us: int = 0  # the end of the shift, or the time of the report if earlier

    @property
    def hours(self) -> float:
        return (self.end_us - self.start_us) / 3.6e9


def shift_bounds(day: datetime, *, night: bool = False,
                 boundaries: tuple[time, time] = SHIFT_BOUNDARIES,
                 tz: tzinfo = VIETNAM_TZ) -> tuple[datetime, datetime]:
    """The day (or night) shift that starts on ``day``'s date, as aware datetimes."""
    first, second = boundaries
    date = day.date()
    if not night:
        return (datetime.combine(date, first, tz), datetime.combine(date, second, tz))
    return (datetime.combine(date, second, tz),
            datetime.combine(date + timedelta(days=1), first, tz))


def percentile(values: list[float], q: float) -> float | None:
    """Linear interpolation between order statistics (numpy's default)."""
    if not values:
        return None
    data = sorted(values)
    pos = (len(data) - 1) * q
    low = int(pos)
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (pos - low)


def _stats(values: list[float]) -> IntervalStats:
    if not values:
        return IntervalStats(0, None, None)
    return IntervalStats(len(values), statistics.median(values), percentile(values, 0.9))


def build(store: EventLog, start_us: int, end_us: int, *, include_exercise: bool = False,
          now_us: int | None = None) -> ShiftReport:
    """The report of the shift [start_us, end_us) from the store's log; a shift not over
    yet is reported as it stands ``now_us``."""
    if end_us <= start_us:
        raise ValueError("the shift must end after it starts")
    start_seq = store.seq_at(start_us - 1)
    end_seq = store.seq_at(end_us - 1)
    initial = store.state_at(seq=start_seq)
    return compute(initial, store.iter_events(start_seq, end_seq), start_us, end_us,
                   include_exercise=include_exercise, now_us=now_us)


def compute(initial: State, events: Iterable[ev.StoredEvent], start_us: int, end_us: int,
            *, include_exercise: bool = False, now_us: int | None = None) -> ShiftReport:
    """The report from the state at the shift's start and the events within it (in order).

    Units' times run to the end of the shift, or to ``now_us`` if that comes first (the
    future is not counted)."""
    report = ShiftReport(start_us, end_us, include_exercise)
    report.as_of_us = end_us if now_us is None else max(start_us, min(end_us, now_us))
    report.ward_names = {w.code: w.name for w in initial.wards.values()}
    incidents: dict[str, Incident] = {i.id: i for i in initial.incidents.values()}
    received_in_shift: set[str] = set()
    reached: dict[str, dict[object, int]] = defaultdict(dict)  # incident → state → first time
    units: dict[str, tuple[UnitStatus, int]] = {
        u.call_sign: (u.status, start_us) for u in initial.units.values()}
    on_drill: set[str] = {u.call_sign for u in initial.units.values() if u.exercise}
    unit_time: dict[str, Counter[UnitStatus]] = defaultdict(Counter)
    drill_time: Counter[str] = Counter()

    def spend(call_sign: str, status: UnitStatus, seconds_us: int) -> None:
        if call_sign in on_drill and not include_exercise:
            drill_time[call_sign] += seconds_us
        else:
            unit_time[call_sign][status] += seconds_us

    for e in events:
        if e.ts_us >= end_us:
            break
        if e.ts_us < start_us:
            continue
        ident = ev.split_subject(e.subject)[1]
        if e.kind == ev.WARD_ADDED:
            report.ward_names[ident] = e.payload["name"]
        elif e.kind == ev.INCIDENT_CREATED:
            incidents[ident] = Incident.from_dict(
                {**e.payload, "created_us": e.ts_us, "status_since_us": e.ts_us,
                 "created_by": e.actor})
            received_in_shift.add(ident)
            reached[ident]["received"] = e.ts_us
        elif e.kind == ev.INCIDENT_STATUS_CHANGED and ident in incidents:
            to = IncidentStatus(e.payload["to"])
            incidents[ident].status = to
            reached[ident].setdefault(to, e.ts_us)
        elif e.kind == ev.UNIT_ADDED:
            units[ident] = (UnitStatus.AVAILABLE, e.ts_us)
            if e.payload.get("exercise"):
                on_drill.add(ident)
        elif e.kind in ev.UNIT_STATUS_KINDS:
            status, since = units.get(ident, (UnitStatus.AVAILABLE, start_us))
            spend(ident, status, e.ts_us - since)
            units[ident] = (UNIT_KIND_STATUS[e.kind], e.ts_us)
        elif e.kind == ev.UNIT_EXERCISE_CHANGED:
            # the time so far belongs to what the unit was until now
            status, since = units.get(ident, (UnitStatus.AVAILABLE, start_us))
            spend(ident, status, e.ts_us - since)
            units[ident] = (status, e.ts_us)
            (on_drill.add if e.payload["exercise"] else on_drill.discard)(ident)
    for call_sign, (status, since) in units.items():
        spend(call_sign, status, max(0, report.as_of_us - since))

    def counted(inc: Incident) -> bool:
        return include_exercise or not inc.exercise

    kept = [incidents[i] for i in sorted(received_in_shift) if counted(incidents[i])]
    report.exercises_left_out = len(received_in_shift) - len(kept)
    report.received = len(kept)
    report.by_type = dict(Counter(i.type.label for i in kept).most_common())
    by_ward = Counter(i.ward or NO_WARD for i in kept)
    report.by_ward = dict(sorted(by_ward.items(), key=lambda kv: (-kv[1], kv[0])))
    for key, origin, target, _label in INTERVALS:
        values = []
        for inc in kept:
            times = reached[inc.id]
            if origin in times and target in times and times[target] >= times[origin]:
                values.append((times[target] - times[origin]) / 1e6)
        report.intervals[key] = _stats(values)
    report.open_incidents = sorted(
        (OpenIncident(i.number, i.type.label, i.ward, i.status.label, i.created_us)
         for i in incidents.values() if not i.status.terminal and counted(i)),
        key=lambda o: o.number)
    report.unit_time_s = {
        cs: {status: unit_time[cs][status] / 1e6 for status in UnitStatus
             if unit_time[cs][status] > 0}
        for cs in sorted(unit_time)}
    report.exercise_unit_time_left_out_s = {
        cs: drill_time[cs] / 1e6 for cs in sorted(drill_time) if drill_time[cs] > 0}
    return report


# --- CSV -------------------------------------------------------------------------------------


def local(ts_us: int) -> datetime:
    return datetime.fromtimestamp(ts_us / 1e6, VIETNAM_TZ)


def minutes(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds / 60:.1f}"


def write_csv(report: ShiftReport, path: str | Path) -> None:
    """Sections one after another, each with its Vietnamese header row; UTF-8 with a BOM so
    that Excel reads the diacritics, and a comma decimal point avoided (minutes as 12.5)."""
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(["Báo cáo ca trực", local(report.start_us).strftime("%Y-%m-%d %H:%M"),
                      local(report.end_us).strftime("%Y-%m-%d %H:%M")])
        out.writerow(["Tổng số vụ việc tiếp nhận", report.received])
        if report.as_of_us < report.end_us:
            out.writerow(["Ca chưa kết thúc, số liệu tính đến",
                          local(report.as_of_us).strftime("%Y-%m-%d %H:%M")])
        if not report.include_exercise:
            out.writerow(["Vụ diễn tập không tính", report.exercises_left_out])
            if report.exercise_unit_time_left_out_s:
                out.writerow(["Thời gian diễn tập của tổ không tính (phút)",
                              *[f"{cs} {minutes(s)}" for cs, s
                                in report.exercise_unit_time_left_out_s.items()]])
        out.writerow([])
        out.writerow(["Loại vụ việc", "Số vụ"])
        out.writerows(report.by_type.items())
        out.writerow([])
        out.writerow(["Mã phường", "Phường", "Số vụ"])
        for code, n in report.by_ward.items():
            out.writerow([code, report.ward_names.get(code, code), n])
        out.writerow([])
        out.writerow(["Khoảng thời gian phản ứng", "Số vụ", "Trung vị (phút)",
                      "Phân vị 90 (phút)"])
        for key, _origin, _target, label in INTERVALS:
            stats = report.intervals[key]
            out.writerow([label, stats.count, minutes(stats.median_s), minutes(stats.p90_s)])
        out.writerow([])
        out.writerow(["Vụ việc còn mở lúc hết ca", "Loại", "Phường", "Trạng thái",
                      "Tiếp nhận lúc"])
        for o in report.open_incidents:
            out.writerow([f"#{o.number}", o.type, o.ward or "", o.status,
                          local(o.received_us).strftime("%Y-%m-%d %H:%M")])
        out.writerow([])
        out.writerow(["Tổ tuần tra", *[f"{UNIT_STATUS_LABELS[s]} (phút)" for s in UnitStatus]])
        for call_sign, times in report.unit_time_s.items():
            out.writerow([call_sign, *[minutes(times.get(s, 0.0)) for s in UnitStatus]])
