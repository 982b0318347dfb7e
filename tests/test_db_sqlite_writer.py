"""SQLite: the threads of one process take turns at writing (no busy-handler sleeps)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from autolease.config import DatabaseSettings
from autolease.db import create_engine_for


def engine_at(tmp_path: Path):  # type: ignore[no-untyped-def]
    engine = create_engine_for(DatabaseSettings(url=f"sqlite:///{tmp_path / 'w.db'}"))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (who TEXT)"))
    return engine


def test_a_second_writer_waits_on_the_lock_not_inside_sqlite(tmp_path: Path) -> None:
    engine = engine_at(tmp_path)
    first_in, order = threading.Event(), []
    release_first = threading.Event()

    @event.listens_for(engine, "before_cursor_execute")
    def _log(_c: Any, _cur: Any, statement: str, *_: Any) -> None:
        if statement.startswith("BEGIN") and threading.current_thread().name == "second":
            order.append("second issues BEGIN")

    def first() -> None:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES ('first')"))
            first_in.set()
            release_first.wait(5)
            order.append("first commits")

    def second() -> None:
        first_in.wait(5)
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES ('second')"))

    threads = [threading.Thread(target=first), threading.Thread(target=second, name="second")]
    for t in threads:
        t.start()
    first_in.wait(5)
    time.sleep(0.3)  # time for the second writer to reach its BEGIN, were it not held back
    release_first.set()
    for t in threads:
        t.join(10)
    assert order == ["first commits", "second issues BEGIN"]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar_one() == 2
    engine.dispose()


def test_a_connection_that_commits_and_goes_on_does_not_wait_for_itself(tmp_path: Path) -> None:
    engine = engine_at(tmp_path)
    done = threading.Event()

    def work() -> None:
        with engine.connect() as conn:
            conn.execute(text("INSERT INTO t VALUES ('a')"))
            conn.commit()
            conn.execute(text("INSERT INTO t VALUES ('b')"))
            conn.rollback()
            conn.execute(text("INSERT INTO t VALUES ('c')"))
            conn.commit()
        done.set()

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(10)
    assert done.is_set(), "the connection waited on its own writer lock"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT who FROM t ORDER BY who")).scalars().all() == ["a", "c"]
    engine.dispose()


def test_a_failed_transaction_leaves_the_lock_free(tmp_path: Path) -> None:
    engine = engine_at(tmp_path)
    with pytest.raises(OperationalError, match="nowhere"), engine.begin() as conn:
        conn.execute(text("INSERT INTO nowhere VALUES (1)"))
    finished = threading.Event()

    def write() -> None:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES ('after')"))
        finished.set()

    worker = threading.Thread(target=write)
    worker.start()
    worker.join(10)
    assert finished.is_set()
    engine.dispose()
