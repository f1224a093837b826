"""Road networks in the core: the import command, its event, who may run it, and the state
that knows which network is the newest (the one every console draws)."""

from __future__ import annotations

import math

import pytest

from gvcommand.core import commands as c
from gvcommand.core import events as ev
from gvcommand.core.errors import AlreadyExists, PermissionDenied, ValidationError
from gvcommand.core.state import State, replay

from ._desk import ADMIN, OPERATOR, SUPERVISOR, Desk

SRC, GEO = "a" * 64, "b" * 64


def network(name: str = "OSM 2018", **changes: object) -> c.ImportRoadNetwork:
    fields: dict[str, object] = {"name": name, "source_sha256": SRC, "segment_count": 1506,
                                 "length_km": 310.84, "geometry_sha256": GEO}
    fields.update(changes)
    return c.ImportRoadNetwork(**fields)  # type: ignore[arg-type]


def test_import_records_one_event_with_the_digests() -> None:
    desk = Desk()
    [event] = desk.run(network("  OSM 2018 "), ADMIN)
    assert event.kind == ev.ROAD_NETWORK_IMPORTED
    assert event.subject == "road_network:OSM 2018"
    assert event.payload == {"name": "OSM 2018", "source_sha256": SRC, "segment_count": 1506,
                             "length_km": 310.84, "geometry_sha256": GEO}
    ev.check_payload(event.kind, event.payload)
    stored = desk.state.road_network("OSM 2018")
    assert stored is not None
    assert (stored.segment_count, stored.length_km, stored.imported_seq) == (1506, 310.84,
                                                                             event.seq)
    desk.check_log()


def test_the_newest_network_is_current() -> None:
    desk = Desk()
    assert desk.state.current_road_network() is None
    desk.run(network("OSM 2018"), ADMIN)
    desk.run(network("Sở GTVT 2025", segment_count=2400), ADMIN)
    current = desk.state.current_road_network()
    assert current is not None and current.name == "Sở GTVT 2025"
    again = replay(desk.log).current_road_network()
    assert again is not None and again.name == "Sở GTVT 2025"


def test_a_name_is_taken_once() -> None:
    desk = Desk()
    desk.run(network(), ADMIN)
    err = desk.refuse(network(segment_count=3), ADMIN, AlreadyExists).value
    assert "OSM 2018" in str(err)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"name": "  "}, "name is required"),
        ({"name": "x" * 101}, "too long"),
        ({"source_sha256": "abc"}, "source digest"),
        ({"geometry_sha256": "B" * 64}, "geometry digest"),
        ({"segment_count": 0}, "no road segments"),
        ({"length_km": 0.0}, "positive"),
        ({"length_km": math.nan}, "positive"),
        ({"length_km": math.inf}, "positive"),
    ],
)
def test_bad_imports_are_refused(changes: dict[str, object], words: str) -> None:
    err = Desk().refuse(network(**changes), ADMIN, ValidationError).value  # type: ignore[arg-type]
    assert words in str(err)


@pytest.mark.parametrize("actor", [OPERATOR, SUPERVISOR])
def test_only_administrators_import_roads(actor: object) -> None:
    Desk().refuse(network(), actor, PermissionDenied)  # type: ignore[arg-type]


def test_snapshots_keep_the_networks() -> None:
    desk = Desk()
    desk.run(network(), ADMIN)
    again = State.from_snapshot(desk.state.to_snapshot())
    assert again.road_networks == desk.state.road_networks
    # snapshots written before road networks existed read as none
    old = desk.state.to_snapshot()
    del old["road_networks"]
    assert State.from_snapshot(old).road_networks == {}


def test_the_payload_record_is_checked() -> None:
    with pytest.raises(ev.MalformedEvent):
        ev.check_payload(ev.ROAD_NETWORK_IMPORTED, {"name": "x"})
