"""Sets of places (points of interest) in the core: the import command, its event, who may
run it, and the state (snapshots and replay) that knows them."""

from __future__ import annotations

import pytest

from gvcommand.core import commands as c
from gvcommand.core import events as ev
from gvcommand.core.errors import AlreadyExists, PermissionDenied, ValidationError
from gvcommand.core.state import State, replay

from ._desk import ADMIN, OPERATOR, SUPERVISOR, Desk

SRC, DIGEST = "a" * 64, "b" * 64


def places(name: str = "OSM 2018", **changes: object) -> c.ImportPlaces:
    fields: dict[str, object] = {"name": name, "source_sha256": SRC, "place_count": 331,
                                 "places_sha256": DIGEST}
    fields.update(changes)
    return c.ImportPlaces(**fields)  # type: ignore[arg-type]


def test_import_records_one_event_with_the_digests_and_survives_snapshots() -> None:
    desk = Desk()
    [event] = desk.run(places("  OSM 2018 "), ADMIN)
    assert event.kind == ev.PLACES_IMPORTED and event.subject == "place_set:OSM 2018"
    assert event.payload == {"name": "OSM 2018", "source_sha256": SRC, "place_count": 331,
                             "places_sha256": DIGEST}
    ev.check_payload(event.kind, event.payload)
    stored = desk.state.place_set("OSM 2018")
    assert stored is not None and (stored.place_count, stored.imported_seq) == (331, event.seq)
    again = State.from_snapshot(desk.state.to_snapshot()).place_set("OSM 2018")
    assert again == stored
    assert replay(desk.log).place_set("OSM 2018") == stored
    desk.check_log()


def test_a_name_is_taken_once() -> None:
    desk = Desk()
    desk.run(places(), ADMIN)
    err = desk.refuse(places(place_count=3), ADMIN, AlreadyExists).value
    assert "OSM 2018" in str(err)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"name": "  "}, "is required"),
        ({"source_sha256": "abc"}, "source digest"),
        ({"places_sha256": "B" * 64}, "places digest"),
        ({"place_count": 0}, "no places"),
        ({"place_count": True}, "no places"),
    ],
)
def test_bad_imports_are_refused(changes: dict[str, object], words: str) -> None:
    err = Desk().refuse(places(**changes), ADMIN, ValidationError).value  # type: ignore[arg-type]
    assert words in str(err)


@pytest.mark.parametrize("actor", [OPERATOR, SUPERVISOR])
def test_only_administrators_import_places(actor: object) -> None:
    Desk().refuse(places(), actor, PermissionDenied)  # type: ignore[arg-type]
