"""autolease.kit.runs: closing failed and interrupted background runs (rows as plain objects)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from autolease.exceptions import Conflict
from autolease.kit import runs

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


@dataclass
class Row:
    created_at: datetime
    status: str = "running"
    error: str | None = None
    finished_at: datetime | None = None


def test_only_runs_older_than_the_timeout_are_interrupted() -> None:
    old = Row(NOW - timedelta(hours=1, seconds=1))
    young = Row(NOW - timedelta(minutes=59))
    runs.expire([old, young], NOW, timedelta(hours=1))
    assert (old.status, old.finished_at) == ("failed", NOW)
    assert old.error == runs.INTERRUPTED.format(minutes=60)
    assert (young.status, young.error, young.finished_at) == ("running", None, None)


def test_a_failure_keeps_its_reason_cut_to_500_characters() -> None:
    row = Row(NOW)
    runs.fail(row, "x" * 600, NOW)
    assert row.status == "failed"
    assert row.error == "x" * 500


def test_an_application_error_is_told_by_its_detail_anything_else_by_its_type() -> None:
    class Sessions:
        def __init__(self, row: Row) -> None:
            self.row = row

        def begin(self) -> Sessions:
            return self

        def __enter__(self) -> Sessions:
            return self

        def __exit__(self, *_: object) -> None:
            return None

        def get(self, _model: object, _run_id: int) -> Row:
            return self.row

    class Clock:
        def now(self) -> datetime:
            return NOW

    class Runtime:
        def __init__(self, row: Row) -> None:
            self.sessions, self.clock = Sessions(row), Clock()

    known, other = Row(NOW), Row(NOW)
    runs.fail_by_id(Runtime(known), Row, 1, Conflict("run 3 is running"))  # type: ignore[arg-type]
    runs.fail_by_id(Runtime(other), Row, 1, RuntimeError("boom"))  # type: ignore[arg-type]
    assert known.error == "run 3 is running"
    assert other.error == "RuntimeError: boom"
