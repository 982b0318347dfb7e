"""The 0002_product migration creates exactly what the product models declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from autolease.db import Base
from autolease.product import models
from autolease.runtime import Runtime

TABLES = {models.LeaseProductRecord.__tablename__, models.LeaseProductVersion.__tablename__}


def _mine(diff: tuple[object, ...] | list[object]) -> bool:
    text = repr(diff)
    return any(f"'{name}'" in text for name in TABLES)


class TestProductMigration:
    def test_matches_the_models(self, runtime: Runtime) -> None:
        with runtime.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert [d for d in diff if _mine(d)] == []
        with runtime.engine.connect() as conn:
            assert all(conn.dialect.has_table(conn, name) for name in TABLES)
