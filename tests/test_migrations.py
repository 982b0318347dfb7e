from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from autolease import store
from autolease.metadata import metadata
from autolease.runtime import Runtime


class TestMigrations:
    def test_migrations_match_the_models(self, runtime: Runtime) -> None:
        with runtime.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert diff == []

    def test_downgrade_and_upgrade_round_trip(self, runtime: Runtime) -> None:
        store.downgrade(runtime.engine, "base")
        with runtime.engine.connect() as conn:
            assert not conn.dialect.has_table(conn, "application")
        store.upgrade(runtime.engine)
        with runtime.engine.connect() as conn:
            assert conn.dialect.has_table(conn, "application")
