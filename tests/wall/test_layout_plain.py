"""The wall's layouts without Qt: which cells each layout has, the shape a grid takes in its
area, where an arrow key moves the selection, and saved walls read back."""

from __future__ import annotations

import pytest

from gvcommand.ui.camera_wall.layout import (
    LAYOUTS,
    MAX_TILES,
    Cell,
    SavedWall,
    arranged,
    neighbour,
    slots,
)


def test_plain_grids_fill_their_cells_in_reading_order() -> None:
    for key, n in (("1", 1), ("2x2", 2), ("3x3", 3), ("4x4", 4)):
        lay = LAYOUTS[key]
        assert lay.grid == n and lay.tiles == n * n
        assert lay.cells == tuple(Cell(r, c) for r in range(n) for c in range(n))
    assert LAYOUTS["1"].large and not LAYOUTS["2x2"].large
    assert MAX_TILES == 16


@pytest.mark.parametrize("key,n", [("1+5", 3), ("1+7", 4)])
def test_focus_layouts_have_one_large_tile_then_the_right_column_then_the_bottom_row(
        key: str, n: int) -> None:
    lay = LAYOUTS[key]
    assert lay.large and lay.grid == n and lay.tiles == 2 * n
    big, *small = lay.cells
    assert big == Cell(0, 0, n - 1, n - 1)
    assert small == [Cell(r, n - 1) for r in range(n - 1)] + [Cell(n - 1, c) for c in range(n)]
    # every cell of the n×n grid is covered exactly once
    covered = [(r, c) for cell in lay.cells for r in range(cell.row, cell.row + cell.row_span)
               for c in range(cell.col, cell.col + cell.col_span)]
    assert sorted(covered) == [(r, c) for r in range(n) for c in range(n)]


def test_a_grid_keeps_its_shape_on_a_wide_wall() -> None:
    for key, n in (("2x2", 2), ("3x3", 3), ("4x4", 4)):
        cells, rows, cols = arranged(LAYOUTS[key], 1600, 900)
        assert (rows, cols) == (n, n) and cells == LAYOUTS[key].cells


def test_a_grid_takes_the_shape_of_a_narrow_or_low_area() -> None:
    # a tall narrow dock beside the map: four in a column (each 280×157, not 140×79)
    cells, rows, cols = arranged(LAYOUTS["2x2"], 280, 640)
    assert (rows, cols) == (4, 1)
    assert cells == tuple(Cell(r, 0) for r in range(4))
    # a long low strip: four in a row
    cells, rows, cols = arranged(LAYOUTS["2x2"], 1600, 240)
    assert (rows, cols) == (1, 4) and [c.col for c in cells] == [0, 1, 2, 3]
    # nine in a tall strip: three columns would be stamps, so fewer columns
    cells, rows, cols = arranged(LAYOUTS["3x3"], 400, 1600)
    assert cols < 3 and rows * cols >= 9 and len(cells) == 9


def test_focus_layouts_and_empty_areas_keep_their_own_cells() -> None:
    for key in ("1", "1+5", "1+7"):
        assert arranged(LAYOUTS[key], 280, 900) == (LAYOUTS[key].cells, LAYOUTS[key].grid,
                                                    LAYOUTS[key].grid)
    assert arranged(LAYOUTS["2x2"], 0, 0) == (LAYOUTS["2x2"].cells, 2, 2)


def test_the_layouts_own_grid_wins_when_it_is_nearly_as_good() -> None:
    # 875×1000: a column's pictures are 444×250, 2×2's 437×246 (97 %): 2×2 stays
    assert arranged(LAYOUTS["2x2"], 875, 1000)[1:] == (2, 2)
    # 800×1000: 2×2's are 400×225, 81 % of a column's 444×250: a column
    assert arranged(LAYOUTS["2x2"], 800, 1000)[1:] == (4, 1)


def test_arrow_keys_move_to_the_neighbouring_cell_and_stop_at_the_edge() -> None:
    cells = LAYOUTS["3x3"].cells
    assert neighbour(cells, 0, 0, 1) == 1
    assert neighbour(cells, 1, 1, 0) == 4
    assert neighbour(cells, 2, 0, 1) == 2  # the right edge
    assert neighbour(cells, 0, -1, 0) == 0  # the top edge
    assert neighbour(cells, 8, 0, -1) == 7


def test_arrow_keys_leave_a_large_tile_from_its_far_edge() -> None:
    cells = LAYOUTS["1+7"].cells  # the large tile is 3×3 at the top left
    assert neighbour(cells, 0, 0, 1) == 1  # to the right column's first tile
    assert neighbour(cells, 0, 1, 0) == 4  # down to the bottom row's first tile
    assert neighbour(cells, 1, 1, 0) == 2
    assert neighbour(cells, 1, 0, -1) == 0  # back onto the large tile
    assert neighbour(cells, 5, -1, 0) == 0  # up from under it


def test_a_selection_outside_the_layout_starts_from_the_first_tile() -> None:
    cells = LAYOUTS["2x2"].cells
    assert neighbour(cells, 9, 0, 1) == 1
    assert neighbour(cells, 9, 0, -1) == 9  # nowhere to go: it stays


def test_a_saved_wall_reads_back_and_refuses_what_is_not_a_wall() -> None:
    wall = SavedWall("Chợ Gò Vấp — ca đêm", "1+5", ("C05", None, "C07"))
    again = SavedWall.from_json(wall.name, wall.to_json())
    assert again == wall
    for bad in ('[]', '{"layout": "5x5", "cameras": []}', '{"layout": "2x2", "cameras": [1]}',
                '{"layout": "2x2", "cameras": "C01"}',
                '{"layout": "2x2", "cameras": ' + str(["C"] * 17).replace("'", '"') + '}'):
        with pytest.raises(ValueError):
            SavedWall.from_json("x", bad)


def test_slots_pad_or_cut_to_the_wall() -> None:
    assert slots(["C01"]) == ["C01"] + [None] * 15
    assert slots([f"C{i}" for i in range(20)]) == [f"C{i}" for i in range(16)]
