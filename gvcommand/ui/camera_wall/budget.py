"""The camera wall's decode budget: how many pixels a second this workstation may decode, and
which tiles fall back when a layout asks for more.

Plain Python (no Qt): the wall asks :meth:`DecodeBudget.plan` what each tile may do and shows
the answer on the tile, so a tile that gets less than it asked for always says so — never a
silent frame loss.

Costs are nominal: a sub-stream is 640×360 at 25 fps (5.76 Mpx/s), a main stream 1920×1080 at
25 fps (51.84 Mpx/s). Measured on this platform (ARCHITECTURE: 2 cores), 16 sub-streams take
~85 % CPU, so the default budget is 16 sub-streams' worth (92.16 Mpx/s), which is also exactly
one main stream plus seven sub-streams (the 1 large + 7 layout).

Falling back goes in stages over the whole wall, least important tile first (the focused or
large tile is the most important, then the tiles in reading order):

1. main stream → sub-stream ("sub-stream (budget)"),
2. sub-stream → a snapshot every few seconds (play until the first frame, then stop),
3. snapshot → paused ("paused: decode budget").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

SUB_PX_S = 640 * 360 * 25
MAIN_PX_S = 1920 * 1080 * 25
DEFAULT_SUB_STREAMS = 16
DEFAULT_BUDGET_PX_S = DEFAULT_SUB_STREAMS * SUB_PX_S
SNAPSHOT_PERIOD_S = 5.0
SNAPSHOT_PLAY_S = 1.0
"""How long a snapshot decodes, on average: until the first frame, which a camera sends at
its next keyframe (0.5–1 s here); the play is cut at 3 s whatever happens."""


class Want(StrEnum):
    """What a tile asks for."""

    MAIN = "main"
    SUB = "sub"


class Mode(StrEnum):
    """What a tile is given."""

    MAIN = "main"
    SUB = "sub"  # asked for the sub-stream and got it
    SUB_BUDGET = "sub-budget"  # asked for the main stream, got the sub-stream
    SNAPSHOT = "snapshot"
    PAUSED = "paused"

    @property
    def stream(self) -> str | None:
        """The stream played in this mode ("main"/"sub"), or None when nothing plays."""
        if self is Mode.MAIN:
            return "main"
        if self in (Mode.SUB, Mode.SUB_BUDGET, Mode.SNAPSHOT):
            return "sub"
        return None

    @property
    def reduced(self) -> bool:
        """True when the budget gave the tile less than it asked for."""
        return self in (Mode.SUB_BUDGET, Mode.SNAPSHOT, Mode.PAUSED)


@dataclass(frozen=True, slots=True)
class Request:
    """One tile that wants to decode: ``key`` identifies it to the caller. A camera without
    a sub-stream of its own (a generic camera with one address) plays its main stream for
    "sub": give it ``sub_px_s=MAIN_PX_S``."""

    key: int
    want: Want
    sub_px_s: float = SUB_PX_S
    main_px_s: float = MAIN_PX_S


def cost(mode: Mode, *, snapshot_period_s: float = SNAPSHOT_PERIOD_S,
         sub_px_s: float = SUB_PX_S, main_px_s: float = MAIN_PX_S) -> float:
    """Pixels a second a tile in ``mode`` decodes, on average."""
    if mode is Mode.MAIN:
        return float(main_px_s)
    if mode in (Mode.SUB, Mode.SUB_BUDGET):
        return float(sub_px_s)
    if mode is Mode.SNAPSHOT:
        return sub_px_s * min(1.0, SNAPSHOT_PLAY_S / snapshot_period_s)
    return 0.0


_FALLBACK = {Mode.MAIN: Mode.SUB_BUDGET, Mode.SUB: Mode.SNAPSHOT, Mode.SUB_BUDGET: Mode.SNAPSHOT,
             Mode.SNAPSHOT: Mode.PAUSED}
_STAGES: tuple[frozenset[Mode], ...] = (
    frozenset({Mode.MAIN}), frozenset({Mode.SUB, Mode.SUB_BUDGET}), frozenset({Mode.SNAPSHOT}))


@dataclass(frozen=True, slots=True)
class DecodeBudget:
    """A workstation's decode budget in pixels a second (``px_s``)."""

    px_s: float = DEFAULT_BUDGET_PX_S
    snapshot_period_s: float = SNAPSHOT_PERIOD_S

    @classmethod
    def of_sub_streams(cls, n: float, snapshot_period_s: float = SNAPSHOT_PERIOD_S
                       ) -> DecodeBudget:
        """A budget of ``n`` sub-streams' worth (how the setting is shown to officers)."""
        return cls(max(0.0, n) * SUB_PX_S, snapshot_period_s)

    @property
    def sub_streams(self) -> float:
        return self.px_s / SUB_PX_S

    def total(self, modes: dict[int, Mode], requests: Sequence[Request] = ()) -> float:
        """Pixels a second of ``modes`` (nominal stream sizes unless ``requests`` say)."""
        sizes = {r.key: r for r in requests}
        total = 0.0
        for key, mode in modes.items():
            r = sizes.get(key)
            total += cost(mode, snapshot_period_s=self.snapshot_period_s,
                          sub_px_s=r.sub_px_s if r else SUB_PX_S,
                          main_px_s=r.main_px_s if r else MAIN_PX_S)
        return total

    def plan(self, requests: Sequence[Request]) -> dict[int, Mode]:
        """The mode of every requested tile; ``requests`` in order of importance, the most
        important first. Within a stage, the least important tile falls back first."""
        modes = {r.key: Mode.MAIN if r.want is Want.MAIN else Mode.SUB for r in requests}
        order = [r.key for r in reversed(requests)]  # least important first
        # the small tolerance lets a layout that fits exactly (1 main + 7 sub) fit
        limit = self.px_s * (1 + 1e-9)
        for stage in _STAGES:
            for key in order:
                if self.total(modes, requests) <= limit:
                    return modes
                if modes[key] in stage:
                    modes[key] = _FALLBACK[modes[key]]
        return modes
