"""Background runs recorded in a table (console backtests, ring runs): closing one that failed,
or one left unfinished because its process ended.

A run row has ``status`` (queued | running | done | failed), ``error``, ``created_at`` and
``finished_at``; the caller's domain owns its table and what a run does.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from autolease.exceptions import AutoleaseError

if TYPE_CHECKING:
    from autolease.runtime import Runtime

INTERRUPTED = "interrupted: not finished within {minutes} minutes (its process ended?)"


def fail(row: Any, message: str, now: datetime) -> None:
    """Mark a run failed with its reason (at most 500 characters)."""
    row.status, row.error = "failed", message[:500]
    row.finished_at = now


def fail_by_id(runtime: Runtime, model: type[Any], run_id: int, exc: Exception) -> None:
    """Mark run `run_id` of table `model` failed by `exc`, in a transaction of its own: an
    application error by its detail, anything else by its type and text."""
    message = exc.detail if isinstance(exc, AutoleaseError) else f"{type(exc).__name__}: {exc}"
    with runtime.sessions.begin() as session:
        row = session.get(model, run_id)
        if row is not None:
            fail(row, message, runtime.clock.now())


def expire(unfinished: Iterable[Any], now: datetime, timeout: timedelta) -> None:
    """Fail the unfinished runs created before ``now - timeout`` as interrupted."""
    minutes = int(timeout.total_seconds() // 60)
    for row in unfinished:
        if row.created_at < now - timeout:
            fail(row, INTERRUPTED.format(minutes=minutes), now)
