"""Login throttling arithmetic (pure: the store and the clock are the caller's).

A counter counts failed logins of one key (a username or a client IP) in a fixed window.
The failure that reaches the rule's maximum locks the key for the rule's lockout; while
locked, every attempt is refused before any password is checked, the right one included.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Scope(StrEnum):
    USER = "user"
    IP = "ip"


@dataclass(frozen=True)
class ThrottleRule:
    max_failures: int
    window: timedelta
    lockout: timedelta


@dataclass(frozen=True)
class Count:
    failures: int
    window_started_at: datetime
    locked_until: datetime | None = None


def retry_after_s(count: Count | None, now: datetime) -> int:
    """Whole seconds until `count`'s key may try again; 0 when it is not locked."""
    if count is None or count.locked_until is None or count.locked_until <= now:
        return 0
    return math.ceil((count.locked_until - now).total_seconds())


def after_failure(count: Count | None, now: datetime, rule: ThrottleRule) -> Count:
    """The counter after one more failure at `now`: a new window when the last one is over,
    and a lock (with the count starting again) when the failure reaches the maximum."""
    if count is None or now - count.window_started_at >= rule.window:
        count = Count(0, now)
    failures = count.failures + 1
    if failures >= rule.max_failures:
        return Count(0, now, now + rule.lockout)
    return Count(failures, count.window_started_at, count.locked_until)
