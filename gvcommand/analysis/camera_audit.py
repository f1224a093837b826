"""Who watched which camera, when and for how long: the live-view audit events
(``camera_view.started`` / ``camera_view.stopped``) paired into sessions by their view id.

A session whose start lies before the events read has no start; one still open (or whose
console was lost before it could say stop) has no stop: reports show both as such rather
than guessing a duration.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..core import events as ev

VIEW_KINDS = (ev.CAMERA_VIEW_STARTED, ev.CAMERA_VIEW_STOPPED)


@dataclass(frozen=True, slots=True)
class ViewSession:
    camera: str
    view_id: str
    actor: str
    console: str
    stream: str | None  # None: the start was not among the events read
    purpose: str | None
    started_us: int | None
    stopped_us: int | None
    stop_reason: str | None
    playback_from_us: int | None = None

    def duration_s(self) -> float | None:
        """Seconds watched, when both ends are known."""
        if self.started_us is None or self.stopped_us is None:
            return None
        return (self.stopped_us - self.started_us) / 1e6


def view_sessions(events: Iterable[ev.StoredEvent]) -> list[ViewSession]:
    """Sessions in the order they started (those without a start first, by their stop)."""
    sessions: dict[str, ViewSession] = {}
    for e in events:
        if e.kind not in VIEW_KINDS:
            continue
        camera = ev.split_subject(e.subject)[1]
        p = e.payload
        key = f"{camera}\x00{p['view_id']}"
        if e.kind == ev.CAMERA_VIEW_STARTED:
            sessions[key] = ViewSession(camera, p["view_id"], e.actor, e.console, p["stream"],
                                        p.get("purpose"), e.ts_us, None, None,
                                        p.get("playback_from_us"))
            continue
        found = sessions.get(key)
        if found is None:
            sessions[key] = ViewSession(camera, p["view_id"], e.actor, e.console, None, None,
                                        None, e.ts_us, p["reason"])
        elif found.stopped_us is None:
            # a view its console left open by crashing ended when the console was last
            # seen (its restart recorded the stop later), not when it was closed on record
            ended = e.ts_us
            seen = p.get("last_seen_us")
            if isinstance(seen, int) and found.started_us is not None:
                ended = min(ended, max(seen, found.started_us))
            sessions[key] = replace(found, stopped_us=ended, stop_reason=p["reason"])
    return sorted(sessions.values(),
                  key=lambda s: (s.started_us if s.started_us is not None else -1,
                                 s.stopped_us or 0, s.view_id))


def seconds_by_camera(sessions: Iterable[ViewSession]) -> dict[str, float]:
    """Total seconds each camera was watched (sessions with both ends only)."""
    total: dict[str, float] = {}
    for s in sessions:
        d = s.duration_s()
        if d is not None:
            total[s.camera] = total.get(s.camera, 0.0) + d
    return total
