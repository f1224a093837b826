"""Migration 0003 in the store: incidents' occurred_us, complex points' projection, grants."""

from __future__ import annotations

import os

import pytest
from alembic import command as alembic_command
from sqlalchemy import select
from sqlalchemy.engine import make_url

from gvcommand.core import commands as c
from gvcommand.core.errors import NotFound
from gvcommand.core.model import ComplexPointStatus, IncidentSource, IncidentType
from gvcommand.core.state import replay
from gvcommand.store import open_store
from gvcommand.store import schema as s
from gvcommand.store.db import _alembic_config, current_revision, head_revision, write_tx
from gvcommand.store.event_store import EventStore

from .conftest import ADMIN, OPERATOR, SUPERVISOR, PgServer, seed

POINT = c.AddComplexPoint("DPT-01", "Cổng chợ Hạnh Thông Tây", 106.6571, 10.8362, "P1",
                          "Cướp giật buổi tối")


def _incident(ident: str, occurred_us: int | None) -> c.CreateIncident:
    return c.CreateIncident(ident, IncidentType.THEFT, 3, 106.66, 10.83, IncidentSource.REPORT,
                            ward="P1", occurred_us=occurred_us)


def test_complex_points_are_projected(store: EventStore) -> None:
    seed(store)
    store.execute(POINT, ADMIN)
    store.execute(c.SetComplexPointStatus("DPT-01", ComplexPointStatus.RESOLVED, "Ổn định",
                                          expected_version=1), SUPERVISOR)
    point = store.projections().complex_point("DPT-01")
    assert point is not None
    assert (point.status, point.note, point.version, point.ward) == (
        ComplexPointStatus.RESOLVED, "Ổn định", 2, "P1")
    with pytest.raises(NotFound):
        store.execute(c.SetComplexPointStatus("DPT-99", ComplexPointStatus.RESOLVED, "x"),
                      SUPERVISOR)
    assert replay(store.iter_events()).comparable() == store.projections().comparable()


def test_occurred_us_is_projected(store: EventStore) -> None:
    seed(store)
    store.execute_many([_incident("then", 1_700_000_000_000_000), _incident("now", None)],
                       OPERATOR)
    state = store.projections()
    then, now = state.incident("then"), state.incident("now")
    assert then is not None and now is not None
    assert then.occurred_us == 1_700_000_000_000_000 < then.created_us
    assert now.occurred_us == now.created_us
    assert replay(store.iter_events()).comparable() == state.comparable()
    with store.engine.connect() as conn:  # the column is indexed for "what happened when"
        found = conn.execute(select(s.incidents.c.id).where(
            s.incidents.c.occurred_us < 1_700_000_000_000_001)).scalars().all()
    assert found == ["then"]


def test_upgrading_from_0002_keeps_projections_equal_to_the_log(store: EventStore) -> None:
    """Incidents recorded before 0003 happened when they were recorded, as a replay says."""
    seed(store)
    store.execute(_incident("old", None), OPERATOR)
    with write_tx(store.engine) as conn:
        alembic_command.downgrade(_alembic_config(conn), "0002")
    assert current_revision(store.engine) == "0002"
    with write_tx(store.engine) as conn:
        alembic_command.upgrade(_alembic_config(conn), "head")
    assert current_revision(store.engine) == head_revision()
    old = store.projections().incident("old")
    assert old is not None and old.occurred_us == old.created_us > 0
    assert replay(store.iter_events()).comparable() == store.projections().comparable()


@pytest.mark.postgres
def test_app_role_may_write_complex_points(pg_server: PgServer) -> None:
    url = make_url(pg_server.fresh())
    role = f"gv_test_cp_{os.getpid()}"
    with pg_server.admin_conn() as conn:
        conn.execute(f'DROP ROLE IF EXISTS "{role}"')
        conn.execute(f'CREATE ROLE "{role}" LOGIN IN ROLE {s.APP_ROLE}')
    st: EventStore | None = None
    try:
        st = open_store(url.set(username=role, password=None)
                        .render_as_string(hide_password=False), upgrade=False)
        seed(st)
        st.execute(POINT, SUPERVISOR)
        st.execute(c.SetComplexPointStatus("DPT-01", ComplexPointStatus.RESOLVED, "Ổn định"),
                   SUPERVISOR)
        st.execute(_incident("x", 1_700_000_000_000_000), OPERATOR)
        assert st.projections().complex_points["DPT-01"].status is ComplexPointStatus.RESOLVED
    finally:
        if st is not None:
            st.engine.dispose()
        pg_server.drop(url.render_as_string(hide_password=False))
        with pg_server.admin_conn() as conn:
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')
