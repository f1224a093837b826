"""The wall's decode budget: which tiles fall back, in which order, and what they get."""

from __future__ import annotations

import pytest

from gvcommand.ui.camera_wall.budget import (
    DEFAULT_BUDGET_PX_S,
    MAIN_PX_S,
    SUB_PX_S,
    DecodeBudget,
    Mode,
    Request,
    Want,
    cost,
)


def subs(n: int, start: int = 0) -> list[Request]:
    return [Request(k, Want.SUB) for k in range(start, start + n)]


def test_the_default_fits_sixteen_sub_streams_or_one_main_and_seven() -> None:
    budget = DecodeBudget()
    assert budget.px_s == DEFAULT_BUDGET_PX_S == 16 * SUB_PX_S
    assert set(budget.plan(subs(16)).values()) == {Mode.SUB}
    plan = budget.plan([Request(0, Want.MAIN), *subs(7, 1)])
    assert plan == {0: Mode.MAIN, **{k: Mode.SUB for k in range(1, 8)}}


def test_a_main_stream_falls_back_to_the_sub_stream_first() -> None:
    # 1 large + 7 would fit; a 4×4 with its first tile on the main stream does not
    plan = DecodeBudget().plan([Request(0, Want.MAIN), *subs(15, 1)])
    assert plan[0] is Mode.SUB_BUDGET
    assert all(plan[k] is Mode.SUB for k in range(1, 16))


def test_two_mains_the_less_important_one_falls_back() -> None:
    budget = DecodeBudget.of_sub_streams(9 + 1 + 2)  # one main + 3 subs' worth
    plan = budget.plan([Request(0, Want.MAIN), Request(1, Want.MAIN), *subs(2, 2)])
    assert plan == {0: Mode.MAIN, 1: Mode.SUB_BUDGET, 2: Mode.SUB, 3: Mode.SUB}


def test_then_sub_streams_become_snapshots_from_the_end_of_the_wall() -> None:
    budget = DecodeBudget.of_sub_streams(8)
    plan = budget.plan(subs(16))
    assert [plan[k] for k in range(16)] == [Mode.SUB] * 6 + [Mode.SNAPSHOT] * 10
    assert budget.total(plan) <= budget.px_s
    # one snapshot every 5 s decodes about a fifth of a sub-stream
    assert cost(Mode.SNAPSHOT) == pytest.approx(SUB_PX_S / 5)


def test_then_snapshots_are_paused_and_the_most_important_tile_is_last_to_go() -> None:
    budget = DecodeBudget.of_sub_streams(0.5)
    plan = budget.plan([Request(0, Want.MAIN), *subs(3, 1)])
    assert plan[0] is Mode.SNAPSHOT  # main → sub → snapshot, never paused while it fits
    assert [plan[k] for k in (1, 2, 3)] == [Mode.SNAPSHOT, Mode.PAUSED, Mode.PAUSED]
    assert budget.total(plan) <= budget.px_s
    nothing = DecodeBudget.of_sub_streams(0).plan(subs(4))
    assert set(nothing.values()) == {Mode.PAUSED}


def test_modes_say_which_stream_they_play_and_whether_they_are_reduced() -> None:
    assert Mode.MAIN.stream == "main" and not Mode.MAIN.reduced
    assert Mode.SUB.stream == "sub" and not Mode.SUB.reduced
    assert Mode.SUB_BUDGET.stream == "sub" and Mode.SUB_BUDGET.reduced
    assert Mode.SNAPSHOT.stream == "sub" and Mode.SNAPSHOT.reduced
    assert Mode.PAUSED.stream is None and Mode.PAUSED.reduced
    assert cost(Mode.MAIN) == MAIN_PX_S == 9 * SUB_PX_S
    assert DecodeBudget.of_sub_streams(16).sub_streams == pytest.approx(16)


def test_a_camera_without_a_sub_stream_costs_its_main_stream_in_a_grid() -> None:
    budget = DecodeBudget()  # 16 sub-streams' worth
    requests = [Request(0, Want.SUB, sub_px_s=MAIN_PX_S), *subs(15, 1)]
    plan = budget.plan(requests)
    # 9 + 15 = 24 > 16: snapshots from the end until it fits (the main-only camera's
    # "sub-stream" cannot fall back to anything cheaper but a snapshot)
    assert plan[0] is Mode.SUB
    assert budget.total(plan, requests) <= budget.px_s
    assert [plan[k] for k in range(1, 16)].count(Mode.SNAPSHOT) == 10

