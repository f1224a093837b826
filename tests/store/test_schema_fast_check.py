"""The schema check at start-up without Alembic when the schema is already the newest one, and
the full check (create, upgrade, refuse) in every other case."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import text

from gvcommand.store import db, open_store
from gvcommand.store.db import SchemaOutdated, SchemaTooNew, head_revision, scripts_head
from gvcommand.store.event_store import EventStore


def test_the_scripts_head_is_alembics_head() -> None:
    assert scripts_head() == head_revision()


def test_a_current_schema_is_checked_without_importing_alembic(store: EventStore,
                                                               db_url: str) -> None:
    store.engine.dispose()
    probe = textwrap.dedent(f"""
        import sys
        from gvcommand.store import open_store
        store = open_store({db_url!r}, upgrade=False)
        store.head()
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("alembic", "mako")))
    """)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.strip() == "[]", done.stderr


def _stamp(store: EventStore, revision: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": revision})
    store.engine.dispose()


@pytest.mark.parametrize("upgrade", [False, True])
def test_a_newer_schema_is_still_refused_by_name(store: EventStore, db_url: str,
                                                 upgrade: bool) -> None:
    _stamp(store, "9999_from_a_newer_program")
    with pytest.raises(SchemaTooNew, match="9999_from_a_newer_program"):
        open_store(db_url, upgrade=upgrade)


def test_an_older_schema_is_not_taken_for_the_newest(store: EventStore, db_url: str) -> None:
    # stamped one revision back, a console that may not upgrade must say so, not open it
    _stamp(store, "0001")
    with pytest.raises(SchemaOutdated, match="0001"):
        open_store(db_url, upgrade=False)


def test_scripts_that_cannot_be_read_plainly_leave_it_to_alembic(
    store: EventStore, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.engine.dispose()
    monkeypatch.setattr(db, "scripts_head", lambda: None)
    again = open_store(db_url, upgrade=False)
    try:
        assert again.head()[0] >= 0
    finally:
        again.engine.dispose()
