"""Wall layouts (which tile goes where, the shape a grid takes in its area, the tile an arrow
key moves to) and saved walls (a name → a layout and the camera of every tile). Plain Python
(no Qt): the wall widget puts tiles into a QGridLayout from these cells.

A wall has MAX_TILES slots; a layout shows the first ``len(cells)`` of them. Switching to a
smaller layout keeps the cameras of the slots it hides (paused), so switching back restores
the wall as it was.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Cell:
    row: int
    col: int
    row_span: int = 1
    col_span: int = 1


@dataclass(frozen=True, slots=True)
class Layout:
    key: str  # stored in saved walls and settings
    label: str  # on the toolbar button (the same in every language)
    grid: int  # the grid is grid × grid
    cells: tuple[Cell, ...]
    large: bool = False  # the first cell is the large one (it plays the main stream)

    @property
    def tiles(self) -> int:
        return len(self.cells)


def _grid(n: int) -> tuple[Cell, ...]:
    return tuple(Cell(r, c) for r in range(n) for c in range(n))


def _focus(n: int) -> tuple[Cell, ...]:
    """One large tile of (n-1)×(n-1) cells at the top left, the small ones down the right
    side and along the bottom (reading order: right column top-down, then the bottom row)."""
    big = n - 1
    right = tuple(Cell(r, big) for r in range(big))
    bottom = tuple(Cell(big, c) for c in range(n))
    return (Cell(0, 0, big, big), *right, *bottom)


LAYOUTS: dict[str, Layout] = {lay.key: lay for lay in (
    Layout("1", "1", 1, _grid(1), large=True),
    Layout("2x2", "2×2", 2, _grid(2)),
    Layout("3x3", "3×3", 3, _grid(3)),
    Layout("4x4", "4×4", 4, _grid(4)),
    Layout("1+5", "1+5", 3, _focus(3), large=True),
    Layout("1+7", "1+7", 4, _focus(4), large=True),
)}
DEFAULT_LAYOUT = "2x2"
MAX_TILES = max(lay.tiles for lay in LAYOUTS.values())


PICTURE_ASPECT = 16 / 9
NEAR_BEST = 0.95  # the layout's own grid is kept when its pictures are this close to the best


def arranged(lay: Layout, width: int, height: int) -> tuple[tuple[Cell, ...], int, int]:
    """The layout's cells in an area of ``width`` × ``height`` px, with its rows and columns.

    A plain grid keeps its number of tiles but takes the number of columns that shows the
    largest 16:9 pictures: 2×2 stays 2×2 on a wide wall, and becomes four in a column in a
    tall, narrow dock beside the map (where 2×2 would show four postage stamps). The layout's
    own grid wins when it is nearly as good. Focus layouts keep their shape."""
    canonical = (lay.cells, lay.grid, lay.grid)
    if lay.large or width <= 0 or height <= 0:
        return canonical
    n = lay.tiles

    def picture(cols: int) -> float:
        rows = math.ceil(n / cols)
        w, h = width / cols, height / rows
        return min(w, h * PICTURE_ASPECT) * min(h, w / PICTURE_ASPECT)

    options = [c for c in range(1, n + 1) if (math.ceil(n / c) - 1) * c < n]
    best = max(options, key=picture)
    if picture(lay.grid) >= NEAR_BEST * picture(best):
        return canonical
    rows = math.ceil(n / best)
    return tuple(Cell(i // best, i % best) for i in range(n)), rows, best


def neighbour(cells: Sequence[Cell], selected: int, drow: int, dcol: int) -> int:
    """The tile an arrow key moves the selection to from tile ``selected`` (one cell down
    ``drow`` rows and across ``dcol`` columns, from the far edge of a large tile); at the
    wall's edge it stays. A selection outside ``cells`` starts from the first tile."""
    here = cells[selected] if selected < len(cells) else cells[0]
    row = here.row + drow * (here.row_span if drow > 0 else 1)
    col = here.col + dcol * (here.col_span if dcol > 0 else 1)
    for i, cell in enumerate(cells):
        if cell.row <= row < cell.row + cell.row_span \
                and cell.col <= col < cell.col + cell.col_span:
            return i
    return selected


@dataclass(frozen=True, slots=True)
class SavedWall:
    """A named wall: its layout and the camera code of every slot (None for an empty one)."""

    name: str
    layout: str
    cameras: tuple[str | None, ...]

    def to_json(self) -> str:
        return json.dumps({"layout": self.layout, "cameras": list(self.cameras)},
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, name: str, text: str) -> SavedWall:
        """Read a stored wall; raises ValueError for one that is not a wall."""
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("a saved wall is a JSON object")
        layout = data.get("layout")
        cameras = data.get("cameras")
        if layout not in LAYOUTS:
            raise ValueError(f"unknown layout {layout!r}")
        if not isinstance(cameras, list) or len(cameras) > MAX_TILES or not all(
                c is None or isinstance(c, str) for c in cameras):
            raise ValueError("cameras must be a list of camera codes or nulls")
        return cls(name, layout, tuple(cameras))


def slots(cameras: Sequence[str | None]) -> list[str | None]:
    """``cameras`` padded (or cut) to MAX_TILES slots."""
    out = list(cameras[:MAX_TILES])
    return out + [None] * (MAX_TILES - len(out))
