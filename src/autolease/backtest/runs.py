"""Backtests started from the console: record the request, run it, keep its progress and
report. The run itself is `backtest.jobs.run_backtest` (the same as the CLI's), in this
process on one worker; `start` never commits, `execute` uses its own short transactions.
A run left queued or running longer than `RUN_TIMEOUT` was cut off with its process:
`expire_stale` marks it failed when the runs are read.

The books offered are synthetic books (`autolease synth`) under the configured folder
(`web.books_dir`: each subfolder with a ``manifest.json``) and the demo's book.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from autolease.audit import service as audit_service
from autolease.audit.service import Actor
from autolease.backtest.exceptions import BacktestInvalid
from autolease.backtest.records import BacktestRun
from autolease.decision import repository as decision_repository
from autolease.decision.files import load_all, policy_root
from autolease.decision.jdm import PolicyDocument
from autolease.exceptions import FieldError
from autolease.kit import runs as background

if TYPE_CHECKING:
    from autolease.config import Settings
    from autolease.runtime import Runtime

MANIFEST = "manifest.json"
POLICY_PREFIX = "origination/"
PROGRESS_EVERY_S = 0.5
RUN_TIMEOUT = timedelta(hours=1)  # a console backtest of 1M applications takes minutes


def available_books(settings: Settings) -> dict[str, Path]:
    """Name → folder of every book the console offers, by name."""
    from autolease.demo.book import world_of

    found: dict[str, Path] = {}
    root = settings.web.books_dir
    if root is not None and root.is_dir():
        if (root / MANIFEST).is_file():
            found[root.name] = root
        for folder in sorted(p for p in root.iterdir() if (p / MANIFEST).is_file()):
            found[folder.name] = folder
    demo = world_of(settings).book_dir
    if (demo / MANIFEST).is_file():
        found.setdefault(demo.name, demo)
    return found


def policy_choices(session: Session, policies_dir: Path | None) -> list[str]:
    """The origination policies a backtest can compare: each file's key, and every stored
    ``key@version``."""
    files = [f.document.key for f in load_all(policy_root(policies_dir))]
    stored = [r.key + "@" + r.version for r in decision_repository.policy_versions(session)]
    return sorted(k for k in {*files, *stored} if k.startswith(POLICY_PREFIX))


def document(session: Session, policies_dir: Path | None, spec: str, field: str) -> PolicyDocument:
    """The policy of a choice: ``key`` (the file) or ``key@version`` (the store)."""
    key, _, version = spec.partition("@")
    if version:
        row = decision_repository.policy_version(session, key, version)
        if row is not None:
            from autolease.decision.service import stored_document

            return stored_document(row)
    else:
        files = {f.document.key: f.document for f in load_all(policy_root(policies_dir))}
        if key in files:
            return files[key]
    raise BacktestInvalid(
        f"no policy {spec!r}",
        errors=[FieldError(field, "choice", f"no policy {spec!r}", f"没有这个策略：{spec}")],
    )


def start(
    session: Session,
    *,
    book: str,
    policy: str,
    against: str,
    limit: int | None,
    books: dict[str, Path],
    policies_dir: Path | None,
    actor: Actor,
) -> BacktestRun:
    """Record a backtest to run (checked first: the book is offered, both policies exist,
    the limit is positive); audited ``backtest.started``."""
    if book not in books:
        raise BacktestInvalid(
            f"no book {book!r}",
            errors=[FieldError("book", "choice", "not an offered book", "不是可选的样本库")],
        )
    if limit is not None and limit < 1:
        raise BacktestInvalid(
            "limit must be positive",
            errors=[FieldError("limit", "range", "must be at least 1", "必须大于0")],
        )
    document(session, policies_dir, policy, "policy")
    document(session, policies_dir, against, "against")
    row = BacktestRun(
        book=book,
        policy=policy,
        against=against,
        row_limit=limit,
        status="queued",
        decided=0,
        started_by=actor.name,
        created_at=actor.at,
    )
    session.add(row)
    session.flush()
    audit_service.log(
        session,
        actor,
        "backtest.started",
        entity_type="backtest",
        entity_id=str(row.id),
        payload={"book": book, "policy": policy, "against": against, "limit": limit},
    )
    return row


def expire_stale(session: Session, now: datetime, timeout: timedelta = RUN_TIMEOUT) -> None:
    """Fail the runs queued or running since before ``now - timeout`` (a page view writes only
    when there is one)."""
    unfinished = select(BacktestRun).where(BacktestRun.status.in_(("queued", "running")))
    background.expire(session.scalars(unfinished), now, timeout)


def runs(session: Session, limit: int = 50) -> Sequence[BacktestRun]:
    return session.scalars(select(BacktestRun).order_by(BacktestRun.id.desc()).limit(limit)).all()


def execute(runtime: Runtime, run_id: int, books: dict[str, Path]) -> None:
    """Run a recorded backtest to its end, keeping its progress and then its report or its
    error in the store. Meant for a background task after the request committed."""
    from autolease.backtest.jobs import BacktestOptions, run_backtest
    from autolease.decision.settings import decision_settings

    policies_dir = decision_settings(runtime.settings).policies_dir
    with runtime.sessions.begin() as session:
        row = session.get(BacktestRun, run_id)
        if row is None or row.status != "queued":
            return
        row.status = "running"
        options = BacktestOptions(
            data=books[row.book],
            policy=document(session, policies_dir, row.policy, "policy"),
            against=document(session, policies_dir, row.against, "against"),
            workers=1,
            processes=False,
            limit=row.row_limit,
            chunk_rows=2_000,
            ltv_basis=runtime.settings.vehicle.ltv_basis,
        )
    progress = _Progress(runtime, run_id)
    try:
        result = run_backtest(
            options, timer=time.perf_counter, on_progress=progress.add, on_total=progress.total
        )
        _finish(runtime, run_id, result, options)
    except Exception as exc:  # any failure ends the run with its reason, never silently
        traceback.print_exc()
        background.fail_by_id(runtime, BacktestRun, run_id, exc)


class _Progress:
    """Writes the decided count at most every `PROGRESS_EVERY_S` seconds."""

    def __init__(self, runtime: Runtime, run_id: int, clock: Callable[[], float] = time.monotonic):
        self.runtime, self.run_id, self.clock = runtime, run_id, clock
        self.decided, self.written_at = 0, 0.0

    def total(self, n: int) -> None:
        self._write(total=n)

    def add(self, n: int) -> None:
        self.decided += n
        if self.clock() - self.written_at >= PROGRESS_EVERY_S:
            self._write()

    def _write(self, total: int | None = None) -> None:
        self.written_at = self.clock()
        with self.runtime.sessions.begin() as session:
            row = session.get(BacktestRun, self.run_id)
            if row is not None:
                row.decided = self.decided
                if total is not None:
                    row.total = total


def _finish(runtime: Runtime, run_id: int, result: object, options: object) -> None:
    from autolease.backtest.book import load_book, sp_codes
    from autolease.backtest.breakdown import breakdown
    from autolease.backtest.jobs import BacktestOptions, BacktestResult

    assert isinstance(result, BacktestResult)
    assert isinstance(options, BacktestOptions)
    book = load_book(options.data, limit=options.limit)
    book = book.merge(sp_codes(options.data), on="application_id", how="left")
    groups = breakdown(result.decisions, book)
    with runtime.sessions.begin() as session:
        row = session.get(BacktestRun, run_id)
        if row is None:
            return
        row.status, row.decided = "done", len(result.decisions)
        row.total = row.total or len(result.decisions)
        row.summary = {**result.summary.as_dict(), "timings": result.timings}
        row.breakdown = groups
        row.finished_at = runtime.clock.now()
