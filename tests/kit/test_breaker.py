"""Tests for autolease.kit.breaker: the circuit breaker and its injected clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from autolease.kit.breaker import BreakerState, CircuitBreaker
from autolease.kit.clock import FixedClock

START = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


def breaker(clock: FixedClock, threshold: int = 3) -> CircuitBreaker:
    return CircuitBreaker(failure_threshold=threshold, cooldown=timedelta(seconds=30), clock=clock)


def fail(b: CircuitBreaker, times: int) -> None:
    for _ in range(times):
        assert b.allow()
        b.failed()


class TestClosed:
    def test_a_new_breaker_lets_calls_through(self, clock: FixedClock) -> None:
        b = breaker(clock)
        assert b.state is BreakerState.CLOSED
        assert b.allow()

    def test_fewer_failures_than_the_threshold_keep_it_closed(self, clock: FixedClock) -> None:
        b = breaker(clock)
        fail(b, 2)
        assert b.state is BreakerState.CLOSED

    def test_only_consecutive_failures_count(self, clock: FixedClock) -> None:
        b = breaker(clock)
        fail(b, 2)
        b.succeeded()
        fail(b, 2)
        assert b.state is BreakerState.CLOSED

    def test_the_threshold_must_be_positive(self, clock: FixedClock) -> None:
        with pytest.raises(ValueError, match="at least 1"):
            breaker(clock, threshold=0)


class TestOpen:
    def test_n_consecutive_failures_open_it(self, clock: FixedClock) -> None:
        b = breaker(clock)
        fail(b, 3)
        assert b.state is BreakerState.OPEN
        assert not b.allow()

    def test_it_stays_open_until_the_cooldown_has_passed(self, clock: FixedClock) -> None:
        b = breaker(clock)
        fail(b, 3)
        clock.advance(seconds=29.9)
        assert not b.allow()
        clock.advance(seconds=0.1)
        assert b.state is BreakerState.HALF_OPEN


class TestHalfOpen:
    def test_one_trial_call_goes_through_and_the_others_wait(self, clock: FixedClock) -> None:
        b = breaker(clock)
        fail(b, 3)
        clock.advance(seconds=30)
        assert b.allow()
        assert not b.allow()

    def test_a_successful_trial_closes_it(self, clock: FixedClock) -> None:
        b = breaker(clock)
        fail(b, 3)
        clock.advance(seconds=30)
        assert b.allow()
        b.succeeded()
        assert b.state is BreakerState.CLOSED
        assert b.allow()
        fail(b, 2)
        assert b.state is BreakerState.CLOSED  # the count started again

    def test_a_failed_trial_opens_it_for_another_cooldown(self, clock: FixedClock) -> None:
        b = breaker(clock)
        fail(b, 3)
        clock.advance(seconds=30)
        fail(b, 1)
        assert b.state is BreakerState.OPEN
        clock.advance(seconds=29)
        assert not b.allow()
        clock.advance(seconds=1)
        assert b.allow()
