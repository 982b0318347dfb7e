from __future__ import annotations

from datetime import UTC, datetime, timedelta

from autolease.auth.throttle import Count, ThrottleRule, after_failure, retry_after_s

T0 = datetime(2026, 12, 1, tzinfo=UTC)
RULE = ThrottleRule(max_failures=3, window=timedelta(minutes=15), lockout=timedelta(minutes=5))


def test_the_maximum_failure_locks_and_starts_the_count_again() -> None:
    count = None
    for minute in range(2):
        count = after_failure(count, T0 + timedelta(minutes=minute), RULE)
    assert count == Count(2, T0)
    locked = after_failure(count, T0 + timedelta(minutes=2), RULE)
    assert locked == Count(0, T0 + timedelta(minutes=2), T0 + timedelta(minutes=7))
    assert retry_after_s(locked, T0 + timedelta(minutes=2, seconds=0.5)) == 300
    assert retry_after_s(locked, T0 + timedelta(minutes=7)) == 0


def test_a_new_window_forgets_old_failures() -> None:
    count = after_failure(Count(2, T0), T0 + timedelta(minutes=15), RULE)
    assert count == Count(1, T0 + timedelta(minutes=15))


def test_nothing_counted_is_not_locked() -> None:
    assert retry_after_s(None, T0) == 0
    assert retry_after_s(Count(2, T0), T0) == 0
