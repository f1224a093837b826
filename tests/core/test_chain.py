"""The hash chain: sealing, verification and tamper detection."""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gvcommand.core import events as ev
from gvcommand.core.events import (
    GENESIS_HASH,
    NewEvent,
    StoredEvent,
    canonical_json,
    event_hash,
    seal,
    verify_chain,
)

N = 50
T0 = 1_750_000_000_000_000
ACTORS = [("lan", "console-1"), ("minh", "console-2"), ("hung", "console-3")]


def _new_event(i: int) -> NewEvent:
    kinds = [ev.INCIDENT_NOTE_ADDED, ev.UNIT_EN_ROUTE, ev.WARD_ADDED, ev.INCIDENT_CREATED]
    return NewEvent(
        kinds[i % len(kinds)],
        ev.subject("incident", f"inc-{i % 7}"),
        {"text": f"Ghi chú số {i}: đối tượng bỏ chạy về hướng Phường {i % 17}", "n": i},
    )


def build_chain(n: int = N) -> list[StoredEvent]:
    chain: list[StoredEvent] = []
    prev = GENESIS_HASH
    for i in range(n):
        actor, console = ACTORS[i % len(ACTORS)]
        stored = seal(i + 1, T0 + i * 1_000_003, actor, console, _new_event(i), prev)
        chain.append(stored)
        prev = stored.hash
    return chain


CHAIN = build_chain()
HEAD = (CHAIN[-1].seq, CHAIN[-1].hash)


def _reseal(e: StoredEvent, **changes: object) -> StoredEvent:
    """A forged event whose own hash is recomputed after the change."""
    e = dataclasses.replace(e, **changes)  # type: ignore[arg-type]
    digest = event_hash(
        e.seq, e.ts_us, e.actor, e.console, e.kind, e.subject, e.payload_json, e.prev_hash
    )
    return dataclasses.replace(e, hash=digest)


def _tamper(e: StoredEvent, field: str) -> StoredEvent:
    changes: dict[str, object] = {
        "payload": {"payload_json": canonical_json({**e.payload, "text": "đã sửa"})},
        "payload_number": {"payload_json": canonical_json({**e.payload, "n": e.payload["n"] + 1})},
        "actor": {"actor": e.actor + "x"},
        "console": {"console": "console-evil"},
        "ts": {"ts_us": e.ts_us + 1},
        "kind": {"kind": ev.INCIDENT_STATUS_CHANGED},
        "subject": {"subject": ev.subject("incident", "other")},
        "hash": {"hash": "f" * 64},
    }[field]
    tampered = dataclasses.replace(e, **changes)  # type: ignore[arg-type]
    assert tampered != e
    return tampered


FIELDS = ["payload", "payload_number", "actor", "console", "ts", "kind", "subject", "hash"]


# --- a good chain ------------------------------------------------------------------------


def test_sealed_chain_verifies() -> None:
    report = verify_chain(CHAIN)
    assert report.ok
    assert (report.checked, report.head_seq, report.head_hash) == (N, N, CHAIN[-1].hash)
    assert report.first_bad_seq is None and report.reason is None
    assert verify_chain(CHAIN, expected_head=HEAD).ok


def test_chain_links() -> None:
    assert CHAIN[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(CHAIN):
        assert after.prev_hash == before.hash
    assert [e.seq for e in CHAIN] == list(range(1, N + 1))
    hashes = [e.hash for e in CHAIN]
    assert len(set(hashes)) == N
    assert all(len(h) == 64 and int(h, 16) >= 0 for h in hashes)


def test_empty_chain_is_ok_and_head_at_genesis() -> None:
    report = verify_chain([])
    assert report.ok
    assert (report.checked, report.head_seq, report.head_hash) == (0, 0, GENESIS_HASH)


def test_expected_head_earlier_than_the_end_is_ok() -> None:
    """Events appended after the head was recorded are not tampering."""
    assert verify_chain(CHAIN, expected_head=(30, CHAIN[29].hash)).ok


def test_expected_head_with_wrong_hash_for_a_middle_event() -> None:
    report = verify_chain(CHAIN, expected_head=(30, CHAIN[28].hash))
    assert not report.ok
    assert report.first_bad_seq == 30


def test_seal_payload_is_canonical_and_payload_reads_back() -> None:
    a = seal(1, T0, "lan", "c1", NewEvent("k", "s:1", {"b": 1, "a": "Gò Vấp"}), GENESIS_HASH)
    b = seal(1, T0, "lan", "c1", NewEvent("k", "s:1", {"a": "Gò Vấp", "b": 1}), GENESIS_HASH)
    assert a == b
    assert a.payload_json == '{"a":"Gò Vấp","b":1}'
    assert a.payload == {"a": "Gò Vấp", "b": 1}


# --- tampering ---------------------------------------------------------------------------


@given(index=st.integers(0, N - 1), field=st.sampled_from(FIELDS))
def test_changed_field_is_detected_at_that_event(index: int, field: str) -> None:
    chain = list(CHAIN)
    chain[index] = _tamper(chain[index], field)
    report = verify_chain(chain)
    assert not report.ok
    assert report.first_bad_seq == index + 1
    assert "altered" in (report.reason or "")
    assert report.head_seq == index  # the last good event
    assert report.head_hash == (CHAIN[index - 1].hash if index else GENESIS_HASH)


@given(index=st.integers(0, N - 1))
def test_changed_prev_hash_is_detected_at_that_event(index: int) -> None:
    chain = list(CHAIN)
    chain[index] = dataclasses.replace(chain[index], prev_hash="1" * 64)
    report = verify_chain(chain)
    assert (report.ok, report.first_bad_seq) == (False, index + 1)
    assert "does not link" in (report.reason or "")


@given(index=st.integers(0, N - 2), field=st.sampled_from(FIELDS[:-1]))
def test_resealed_event_is_detected_at_the_next_event(index: int, field: str) -> None:
    chain = list(CHAIN)
    changes = dataclasses.asdict(_tamper(chain[index], field))
    forged = _reseal(chain[index], **{k: v for k, v in changes.items() if k != "hash"})
    assert forged.hash != CHAIN[index].hash
    chain[index] = forged
    report = verify_chain(chain)
    assert not report.ok
    assert report.first_bad_seq == index + 2
    assert "does not link" in (report.reason or "")


@given(field=st.sampled_from(FIELDS[:-1]))
def test_resealed_head_needs_the_recorded_head(field: str) -> None:
    chain = list(CHAIN)
    changes = dataclasses.asdict(_tamper(chain[-1], field))
    chain[-1] = _reseal(chain[-1], **{k: v for k, v in changes.items() if k != "hash"})
    assert verify_chain(chain).ok  # undetectable from the chain alone
    report = verify_chain(chain, expected_head=HEAD)
    assert (report.ok, report.first_bad_seq) == (False, N)
    assert "head hash" in (report.reason or "")


@given(start=st.integers(0, N - 1))
def test_rewritten_tail_is_detected_with_the_recorded_head(start: int) -> None:
    """Rewrite every event from ``start`` on and recompute all hashes."""
    chain = list(CHAIN[:start])
    prev = chain[-1].hash if chain else GENESIS_HASH
    for e in CHAIN[start:]:
        forged = _reseal(e, prev_hash=prev, actor="ke-gian")
        chain.append(forged)
        prev = forged.hash
    assert verify_chain(chain).ok
    report = verify_chain(chain, expected_head=HEAD)
    assert not report.ok
    assert report.first_bad_seq == N
    assert "rewritten" in (report.reason or "")


@given(index=st.integers(1, N - 2))
def test_deleted_middle_event(index: int) -> None:
    chain = CHAIN[:index] + CHAIN[index + 1 :]
    report = verify_chain(chain)
    assert not report.ok
    assert report.first_bad_seq == index + 1
    assert f"event {index + 1} is missing" in (report.reason or "")


def test_deleted_first_event() -> None:
    report = verify_chain(CHAIN[1:])
    assert (report.ok, report.first_bad_seq, report.head_seq) == (False, 1, 0)
    assert "missing" in (report.reason or "")


@given(index=st.integers(1, N - 2))
def test_deleted_event_with_renumbered_successors(index: int) -> None:
    """Deleting an event and shifting the sequence numbers down breaks the hashes."""
    chain = CHAIN[:index] + [dataclasses.replace(e, seq=e.seq - 1) for e in CHAIN[index + 1 :]]
    report = verify_chain(chain)
    assert (report.ok, report.first_bad_seq) == (False, index + 1)


@given(data=st.data())
def test_swapped_events(data: st.DataObject) -> None:
    i = data.draw(st.integers(0, N - 2))
    j = data.draw(st.integers(i + 1, N - 1))
    chain = list(CHAIN)
    chain[i], chain[j] = chain[j], chain[i]
    report = verify_chain(chain)
    assert (report.ok, report.first_bad_seq) == (False, i + 1)


@given(data=st.data())
def test_swapped_contents_keeping_seq_numbers(data: st.DataObject) -> None:
    i = data.draw(st.integers(0, N - 2))
    j = data.draw(st.integers(i + 1, N - 1))
    chain = list(CHAIN)
    chain[i] = dataclasses.replace(CHAIN[j], seq=CHAIN[i].seq)
    chain[j] = dataclasses.replace(CHAIN[i], seq=CHAIN[j].seq)
    report = verify_chain(chain)
    assert (report.ok, report.first_bad_seq) == (False, i + 1)


@given(index=st.integers(0, N - 1))
def test_duplicated_event_is_detected(index: int) -> None:
    chain = [*CHAIN[: index + 1], CHAIN[index], *CHAIN[index + 1 :]]
    report = verify_chain(chain)
    assert (report.ok, report.first_bad_seq) == (False, index + 2)


@given(removed=st.integers(1, N))
def test_removed_tail_only_detected_with_expected_head(removed: int) -> None:
    chain = CHAIN[: N - removed]
    plain = verify_chain(chain)
    assert plain.ok
    assert plain.head_seq == N - removed
    report = verify_chain(chain, expected_head=HEAD)
    assert not report.ok
    assert report.first_bad_seq == N - removed + 1
    assert "removed from the end" in (report.reason or "")
    assert report.head_seq == N - removed


def test_first_of_two_tamperings_is_named() -> None:
    chain = list(CHAIN)
    chain[40] = _tamper(chain[40], "payload")
    chain[10] = _tamper(chain[10], "actor")
    assert verify_chain(chain).first_bad_seq == 11


# --- hashing and canonical JSON ----------------------------------------------------------


ARGS = (7, T0, "lan", "console-1", "incident.note_added", "incident:x", '{"a":1}', GENESIS_HASH)


@given(position=st.integers(0, len(ARGS) - 1))
def test_event_hash_depends_on_every_field(position: int) -> None:
    args = list(ARGS)
    original = event_hash(*ARGS)  # type: ignore[arg-type]
    value = args[position]
    args[position] = value + 1 if isinstance(value, int) else value + "x"
    assert event_hash(*args) != original  # type: ignore[arg-type]
    assert event_hash(*ARGS) == original  # type: ignore[arg-type]


def test_event_hash_separates_fields() -> None:
    """Moving text from one field to the next must change the hash."""
    base = list(ARGS)
    moved = list(ARGS)
    moved[2], moved[3] = "lanc", "onsole-1"
    assert event_hash(*base) != event_hash(*moved)  # type: ignore[arg-type]


def test_canonical_json_sorts_keys_without_spaces() -> None:
    value = {"b": [3, {"z": 1, "a": None}], "a": True, "Đ": "x"}
    text = canonical_json(value)
    assert text == '{"a":true,"b":[3,{"a":null,"z":1}],"Đ":"x"}'
    assert json.loads(text) == value
    assert canonical_json(dict(reversed(list(value.items())))) == text


def test_canonical_json_keeps_vietnamese_as_utf8() -> None:
    text = canonical_json({"ward": "Phường 10, quận Gò Vấp", "note": "Cướp giật"})
    assert "Phường 10, quận Gò Vấp" in text
    assert "Cướp giật" in text
    assert "\\u" not in text
    assert "ờ".encode() in text.encode("utf-8")


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_canonical_json_refuses_nan_and_infinity(bad: float) -> None:
    with pytest.raises(ValueError):
        canonical_json({"lon": bad})
    with pytest.raises(ValueError):
        seal(1, T0, "lan", "c", NewEvent("k", "s:1", {"x": [bad]}), GENESIS_HASH)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
        ),
        max_leaves=12,
    )
)
def test_canonical_json_round_trips_and_is_order_independent(value: object) -> None:
    text = canonical_json(value)
    assert json.loads(text) == value
    assert canonical_json(json.loads(text)) == text


# --- typed payloads ------------------------------------------------------------------------


def test_every_kind_has_a_payload_record() -> None:
    from gvcommand.core import events

    kinds = {v for k, v in vars(events).items() if k.isupper() and isinstance(v, str)
             and "." in v}
    assert kinds == set(events.PAYLOADS)


@pytest.mark.parametrize(
    ("kind", "payload", "message"),
    [
        ("unit.teleported", {}, "unknown event kind"),
        ("ward.added", {"code": "P1"}, "expected ['code', 'name']"),
        ("ward.added", {"code": "P1", "name": "Phường 1", "extra": 1}, "has keys"),
        ("incident.status_changed", {"to": "closed"}, "optionally ['reason']"),
    ],
)
def test_malformed_payloads_are_refused(kind: str, payload: dict, message: str) -> None:
    from gvcommand.core.events import MalformedEvent, check_payload

    with pytest.raises(MalformedEvent, match=re.escape(message)):
        check_payload(kind, payload)


def test_optional_keys_may_be_left_out() -> None:
    from gvcommand.core.events import check_payload

    check_payload("incident.status_changed", {"from": "new", "to": "dispatched"})
    check_payload("incident.status_changed", {"from": "new", "to": "cancelled", "reason": "x"})
    check_payload("user.login_succeeded", {})
