"""SQLite write-ahead log: checkpointed by a background thread, not inside commits."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import text

from autolease.config import DatabaseSettings
from autolease.db import create_engine_for


def wait_until(condition, seconds: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_commits_leave_pages_in_the_log_and_the_thread_moves_them(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    engine = create_engine_for(DatabaseSettings(url=f"sqlite:///{db}"))
    with engine.begin() as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one() == 10_000
        conn.execute(text("CREATE TABLE t (blob TEXT)"))
    size_before = db.stat().st_size
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (:b)"), [{"b": "x" * 4000} for _ in range(500)])
    assert (tmp_path / "w.db-wal").stat().st_size > 1_000_000
    assert wait_until(lambda: db.stat().st_size > size_before + 1_000_000)
    engine.dispose()


def test_disposing_the_engine_stops_its_checkpointer(tmp_path: Path) -> None:
    def checkpointers() -> int:
        return sum(1 for t in threading.enumerate() if t.name == "sqlite-wal")

    before = checkpointers()
    engine = create_engine_for(DatabaseSettings(url=f"sqlite:///{tmp_path / 'x.db'}"))
    assert checkpointers() == before + 1
    engine.dispose()
    assert wait_until(lambda: checkpointers() == before)


def test_an_in_memory_database_has_no_checkpointer() -> None:
    before = sum(1 for t in threading.enumerate() if t.name == "sqlite-wal")
    engine = create_engine_for(DatabaseSettings(url="sqlite:///:memory:"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar_one() == 1
    assert sum(1 for t in threading.enumerate() if t.name == "sqlite-wal") == before
    engine.dispose()
