"""Injected time. Code that needs "now" takes a `Clock`; tests pass a `FixedClock`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

CHINA_TZ = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """Wall clock in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that only moves when told to.

    >>> c = FixedClock(datetime(2026, 1, 1, tzinfo=UTC)); c.advance(seconds=5); c.now().second
    5
    """

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at

    def now(self) -> datetime:
        return self._at

    def advance(self, **delta: float) -> None:
        self._at += timedelta(**delta)


def business_date(at: datetime) -> date:
    """The calendar date in China for an instant (ages and terms are counted in local dates)."""
    return at.astimezone(CHINA_TZ).date()
