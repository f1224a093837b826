"""What a camera wall tile says about its stream, in the officer's words: the badge, the colour
and border, the message across the frame and the decode budget's note (:func:`describe`), from
the player's state and detail — live, connecting, frozen since when, reconnecting, failed and
why, or reduced by the decode budget. No widget here: :mod:`.tile` paints it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QColor

from ...geo.editions import VIETNAM_TZ
from .. import theme
from .budget import Mode

# state colours: the same meaning as everywhere in the console
LIVE = QColor(theme.OK)
AMBER = QColor(theme.WARN)
RED = QColor(theme.ALARM)
ORANGE = QColor("#e07b30")
GREY = QColor(theme.MUTED)
BUDGET = QColor("#6d8fd6")  # a budget reduction is information, not a fault
# the tile's own paint: letterbox, text strips, a dimmed frame, the selection
BACK = QColor("#0d0f12")
STRIP = QColor(0, 0, 0, 170)
TEXT = QColor(theme.TEXT)
DIM = QColor(0, 0, 0, 140)
FOCUS = QColor(theme.ACCENT)


def clock(us: int) -> str:
    """hh:mm:ss in Vietnam time (the control room's clock)."""
    return dt.datetime.fromtimestamp(us / 1e6, VIETNAM_TZ).strftime("%H:%M:%S")


@dataclass(frozen=True, slots=True)
class Look:
    """What a tile says about its state: the badge, its colour, the border (None: none), a
    message across the middle (None: none) and whether the frame is dimmed."""

    badge: str
    colour: QColor
    border: QColor | None = None
    message: str | None = None
    dim: bool = False
    note: str | None = None  # what the decode budget did to the tile (above the badge)


def _tr(text: str) -> str:
    return QCoreApplication.translate("CameraTile", text)


# failure reasons the player names (gvcommand.video.relay.Failure), in the officer's words;
# anything else is shown as given
_REASONS = {
    "authentication failed": QT_TRANSLATE_NOOP("CameraTile", "wrong user name or password"),
    "camera unreachable": QT_TRANSLATE_NOOP("CameraTile",
                                            "camera unreachable (network or power)"),
    "stream not found on the camera": QT_TRANSLATE_NOOP("CameraTile",
                                                        "stream not found on the camera"),
    "unsupported codec": QT_TRANSLATE_NOOP("CameraTile", "video format not supported"),
    "malformed URL": QT_TRANSLATE_NOOP("CameraTile", "camera address is not valid"),
    "relay stopped": QT_TRANSLATE_NOOP("CameraTile", "stream relay stopped"),
    "no picture": QT_TRANSLATE_NOOP("CameraTile", "no picture from the camera"),
    "stream ended": QT_TRANSLATE_NOOP("CameraTile", "the camera ended the stream"),
    "video engine unavailable": QT_TRANSLATE_NOOP("CameraTile",
                                                  "video engine not installed (libVLC)"),
}


def reason_text(detail: str) -> str:
    """A failure reason in the officer's words; what follows a known reason (": hevc") is
    kept as its detail."""
    key = detail.strip().lower()
    for code, text in _REASONS.items():
        if key.startswith(code.lower()):
            rest = detail.strip()[len(code):].lstrip(":;,- ").strip().strip("()")
            # a codec's name ("hevc") says something to anyone; a sentence in the relay's
            # words stays in the tooltip
            return _tr(str(text)) + (f" ({rest})" if rest and " " not in rest else "")
    return detail


_ATTEMPT = re.compile(r"attempt (\d+), next try in ([\d.]+) s")
_TRYING = re.compile(r"attempt (\d+), trying now")
_NO_ANSWER = re.compile(r"no answer in ([\d.]+) s")


def split_detail(detail: str) -> tuple[str, str]:
    """The player's detail ("camera unreachable; attempt 2, next try in 4 s") as (the
    reason, the retry) in the officer's words; "last frame at …" is left out (the tile says
    it from the frame's own time, in Vietnam time)."""
    reason, retry = [], ""
    for part in (p.strip() for p in detail.split(";")):
        if not part or part.startswith("last frame at") or part in (
                "connecting", "stopped", "paused") or part.startswith("live "):
            continue
        if m := _ATTEMPT.fullmatch(part):
            retry = _tr("attempt {n}, next try in {s} s").format(n=m[1], s=m[2])
        elif m := _TRYING.fullmatch(part):
            retry = _tr("attempt {n}, trying now").format(n=m[1])
        elif m := _NO_ANSWER.fullmatch(part):
            reason.append(_tr("no answer in {s} s").format(s=m[1]))
        else:
            reason.append(reason_text(part))
    known = [r for r, part in zip(reason, _reason_parts(detail), strict=False)
             if _known(part)]
    # a known reason says it all; the relay's technical line stays in the tooltip
    return "; ".join(known or reason), retry


def _known(part: str) -> bool:
    key = part.strip().lower()
    return any(key.startswith(code.lower()) for code in _REASONS)


def _reason_parts(detail: str) -> list[str]:
    """The parts of ``detail`` that :func:`split_detail` turns into reasons, in order."""
    out = []
    for part in (p.strip() for p in detail.split(";")):
        if not part or part.startswith("last frame at") or part in (
                "connecting", "stopped", "paused") or part.startswith("live "):
            continue
        if _ATTEMPT.fullmatch(part) or _TRYING.fullmatch(part):
            continue
        out.append(part)
    return out


def describe(state: str, detail: str, last_frame_us: int | None, mode: Mode | None, *,
             still_at_us: int = 0, snapshot_period_s: float = 5.0) -> Look:
    """How a tile shows a player's state (``state`` is the StreamState name) under the
    budget's ``mode``."""
    note = {Mode.SUB_BUDGET: _tr("sub-stream (decode budget)"),
            Mode.SNAPSHOT: _tr("snapshot every {s} s (decode budget)").format(
                s=f"{snapshot_period_s:g}")}.get(mode) if mode is not None else None
    if mode is Mode.PAUSED:
        return Look(_tr("Paused: decode budget"), BUDGET, BUDGET,
                    _tr("Paused: decode budget\n(too many streams for this workstation)"),
                    dim=True)
    stream = _tr("main stream") if mode is Mode.MAIN else _tr("sub-stream")
    if mode is Mode.SNAPSHOT and state in ("CONNECTING", "LIVE", "STOPPED", "PAUSED"):
        # between snapshots, and while one is taken, the last one stays on the tile
        if still_at_us:
            return Look(_tr("Snapshot at {t}").format(t=clock(still_at_us)), BUDGET, BUDGET,
                        None, note=note)
        return Look(_tr("Taking a snapshot…"), BUDGET, BUDGET, _tr("Taking a snapshot…"),
                    note=note)
    if state == "LIVE":
        return Look("● " + _tr("LIVE") + " · " + stream, LIVE, None, None, note=note)
    why, retry = split_detail(detail)
    if state == "STALLED":
        at = clock(last_frame_us) if last_frame_us else "—"
        message = _tr("FROZEN\nlast frame at {t}").format(t=at)
        if retry:
            message += "\n" + _tr("reconnecting: {retry}").format(retry=retry)
        return Look(_tr("FROZEN — last frame at {t}").format(t=at), AMBER, AMBER,
                    message, dim=True, note=note)
    if state == "RECONNECTING":
        if last_frame_us:
            # the picture stopped and the camera is being called again: what the officer
            # sees is still a frozen frame, and since when matters most
            at = clock(last_frame_us)
            message = _tr("FROZEN\nlast frame at {t}").format(t=at) + "".join(
                f"\n{x}" for x in (why, retry and _tr("reconnecting: {retry}").format(
                    retry=retry)) if x)
            return Look(_tr("FROZEN — last frame at {t}").format(t=at), AMBER, ORANGE,
                        message, dim=True, note=note)
        badge = _tr("Reconnecting") + (f" — {retry}" if retry else "…")
        message = _tr("Reconnecting…") + "".join(f"\n{x}" for x in (why, retry) if x)
        return Look(badge, ORANGE, ORANGE, message, dim=True, note=note)
    if state == "FAILED":
        why = why or _tr("no picture")
        message = _tr("No picture\n{why}").format(why=why)
        if last_frame_us:
            message += "\n" + _tr("last frame at {t}").format(t=clock(last_frame_us))
        if retry:
            message += "\n" + retry
        return Look(_tr("FAILED: {why}").format(why=why), RED, RED, message, dim=True,
                    note=note)
    if state == "PAUSED":
        return Look(_tr("Paused"), GREY, None, None, dim=True, note=note)
    if state == "STOPPED":
        return Look(_tr("Stopped"), GREY, None, None, dim=True, note=note)
    return Look(_tr("Connecting…"), GREY, None, _tr("Connecting…"), note=note)
