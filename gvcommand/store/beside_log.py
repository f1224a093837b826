"""Data kept beside the log (road segments, places): each set is recorded by an import event
that carries its row count and one SHA-256 over its rows; the rows live in tables of their own.
`check_sets` compares what is stored with what was imported."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import select

from . import schema as s
from .event_store import EventStore


def check_sets(
    store: EventStore,
    *,
    what: str,  # how problems name a set: "road network", "places"
    rows_word: str,  # and its rows: "segments", "places"
    event_kind: str,
    stored: Mapping[str, Any],  # the sets' records by name
    load_rows: Callable[[str], Sequence[Any]],
    digest: Callable[[Sequence[Any]], str],
    count_key: str,
    digest_key: str,
    record_of: Callable[[Any], tuple[Any, ...]],  # (digest, count, seq, …) of a set's record
    payload_of: Callable[[dict[str, Any], int], tuple[Any, ...]],  # the same from its import
) -> list[str]:
    """Problems found: a set missing or never imported, rows missing, added or altered, a
    set's record that differs from its import event."""
    problems: list[str] = []
    with store.engine.connect() as conn:
        imports = conn.execute(
            select(s.events.c.seq, s.events.c.payload)
            .where(s.events.c.kind == event_kind)
            .order_by(s.events.c.seq)
        ).all()
    recorded: set[str] = set()
    for seq, payload_json in imports:
        p = json.loads(payload_json)
        name = p["name"]
        recorded.add(name)
        record = stored.get(name)
        if record is None:
            problems.append(f"{what} {name}: missing (imported by event {seq})")
            continue
        rows = load_rows(name)
        if len(rows) != p[count_key]:
            problems.append(f"{what} {name}: {len(rows)} {rows_word} stored, {p[count_key]} "
                            f"imported (event {seq})")
        elif digest(rows) != p[digest_key]:
            problems.append(f"{what} {name}: {rows_word} were altered after their import "
                            f"(event {seq})")
        if record_of(record) != payload_of(p, seq):
            problems.append(f"{what} {name}: its record differs from its import (event {seq})")
    problems += [f"{what} {n}: was never imported" for n in sorted(set(stored) - recorded)]
    return problems
