"""Shared fixtures. The database is SQLite in a temp dir, or PostgreSQL when
AUTOLEASE_TEST_DATABASE_URL is set (CI reruns the `db` tests that way)."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from autolease import store
from autolease.app import create_app
from autolease.audit.models import AuditHead
from autolease.config import DatabaseSettings, SecuritySettings, Settings
from autolease.decision.service import forget_stored_versions
from autolease.kit.clock import FixedClock
from autolease.metadata import metadata
from autolease.runtime import Runtime, build_runtime

# Hundreds of short-lived apps share the test process: no gc.freeze() at each start-up.
os.environ.setdefault("AUTOLEASE_API__FREEZE_STARTUP_HEAP", "false")

START = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
TEST_KEYS = {
    "k1": base64.b64encode(b"1" * 32).decode(),
    "k2": base64.b64encode(b"2" * 32).decode(),
}
BLIND_KEY = base64.b64encode(b"b" * 32).decode()


def pytest_configure(config: pytest.Config) -> None:
    """PostgreSQL runs in one process: parallel workers would drop each other's schema."""
    if not os.environ.get("AUTOLEASE_TEST_DATABASE_URL"):
        return
    if config.getoption("numprocesses", default=None) or os.environ.get("PYTEST_XDIST_WORKER"):
        raise pytest.UsageError("run the tests on PostgreSQL in one process: pytest -n 0 …")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "runtime" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)


def make_settings(db_url: str, *, active_key: str = "k2") -> Settings:
    return Settings(
        environment="test",
        db=DatabaseSettings(url=db_url),
        security=SecuritySettings.model_validate(
            {"data_keys": TEST_KEYS, "active_key_id": active_key, "blind_index_key": BLIND_KEY}
        ),
    )


@pytest.fixture(scope="session")
def db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("AUTOLEASE_TEST_DATABASE_URL")
    if url:
        return url
    path: Path = tmp_path_factory.mktemp("db") / "autolease.db"
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def _runtime(db_url: str) -> Iterator[Runtime]:
    runtime = build_runtime(make_settings(db_url), clock=FixedClock(START))
    with runtime.engine.begin() as conn:
        metadata.drop_all(conn)
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    store.upgrade(runtime.engine)
    yield runtime
    runtime.close()


@pytest.fixture
def runtime(_runtime: Runtime) -> Runtime:
    """The shared runtime over an emptied database and a clock reset to START."""
    with _runtime.engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(delete(table))
        conn.execute(insert(AuditHead).values(id=1, seq=0, hash="0" * 64))
    forget_stored_versions(_runtime.engine)
    _runtime.clock = FixedClock(START)
    _runtime.ids = type(_runtime.ids)(_runtime.clock)
    return _runtime


@pytest.fixture
def clock(runtime: Runtime) -> FixedClock:
    assert isinstance(runtime.clock, FixedClock)
    return runtime.clock


@pytest.fixture
def session(runtime: Runtime) -> Iterator[Session]:
    s = runtime.sessions()
    try:
        yield s
    finally:
        s.rollback()
        s.close()


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime=runtime)) as c:
        yield c
