"""A backtest started from the console: its options, progress and, when done, its report.

``backtest_run`` keeps what was asked (book, the two policies, a row limit), who asked and
when, the progress (``decided`` of ``total`` applications), and at the end the summary
(`BacktestSummary.as_dict`) and the breakdowns by SP and by month, or the error.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from autolease.db import Base, UtcDateTime


class BacktestRun(Base):
    __tablename__ = "backtest_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    book: Mapped[str] = mapped_column(String(200))
    policy: Mapped[str] = mapped_column(String(160))
    against: Mapped[str] = mapped_column(String(160))
    row_limit: Mapped[int | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(10))  # queued | running | done | failed
    total: Mapped[int | None] = mapped_column()
    decided: Mapped[int] = mapped_column(default=0)
    started_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    error: Mapped[str | None] = mapped_column(String(500))
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    breakdown: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    __table_args__ = (Index("ix_backtest_run_created_at", "created_at"),)
