"""The graph's look-ups use the indexes meant for them, with no statistics gathered (SQLite)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from autolease.fraud.repository import IDENTITY
from autolease.runtime import Runtime


def test_the_identity_of_a_neighbour_is_found_by_application_id(runtime: Runtime) -> None:
    if runtime.engine.dialect.name != "sqlite":
        pytest.skip("query plans are checked on SQLite (PostgreSQL plans by statistics)")
    sql = (
        "EXPLAIN QUERY PLAN SELECT l.application_id, (" + IDENTITY + ") AS identity"
        " FROM application_link l WHERE l.kind = 'phone' AND l.key_hash = 'x'"
    )
    with runtime.engine.connect() as conn:
        plan = " | ".join(str(row[-1]) for row in conn.execute(text(sql)))
    assert "ix_application_link_application_id_kind" in plan, plan
