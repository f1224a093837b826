"""The composition root's start-up helpers: the cycle collector's pause while the console
starts."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from gvcommand.app import StartupGc


class _Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    was_enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


def test_paused_then_resumed_with_the_start_up_objects_frozen() -> None:
    gc.enable()
    startup = StartupGc()
    startup.pause()
    assert not gc.isenabled()
    startup.freeze_survivors()  # before the window is built
    assert gc.get_freeze_count() > 0
    window_part = _Cycle()  # made after the freeze (the window): still collectable
    gone = weakref.ref(window_part)
    del window_part
    startup.resume()
    assert gc.isenabled()
    startup.resume()  # twice (the first paint and the fallback timer): harmless
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    gc.collect()
    assert gone() is None
    assert gc.get_freeze_count() == frozen  # the frozen stay frozen, untouched


def test_collecting_inside_a_long_step_then_paused_again() -> None:
    gc.enable()
    startup = StartupGc()
    startup.pause()
    with startup.collecting():
        assert gc.isenabled()
    assert not gc.isenabled()
    startup.resume()
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_collector_switched_off_by_someone_else_stays_off() -> None:
    gc.disable()
    startup = StartupGc()
    startup.pause()
    with startup.collecting():
        assert not gc.isenabled()
    startup.freeze_survivors()  # nor is anything frozen behind their back
    startup.resume()
    assert not gc.isenabled() and gc.get_freeze_count() == 0
