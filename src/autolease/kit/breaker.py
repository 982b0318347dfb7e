"""A circuit breaker with an injected clock (pure).

Closed: calls go through; `failure_threshold` consecutive failures open it. Open: calls are
refused until `cooldown` has passed, then it is half-open: one trial call goes through (others
are still refused) and its success closes the breaker, its failure opens it again.

Written here rather than taken from pybreaker or circuitbreaker: pybreaker holds one lock
around the whole call (a slow provider would queue every request's call behind it) and reads
`datetime.now` itself, circuitbreaker reads `time.monotonic` itself and registers every
breaker in a process-wide monitor, and aiobreaker/purgatory are for asyncio while providers
are called synchronously. The lock here only guards the few state changes, never the call.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from enum import StrEnum

from autolease.kit.clock import Clock


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    """Counts consecutive failures; see the module docstring for the states."""

    def __init__(self, *, failure_threshold: int, cooldown: timedelta, clock: Clock) -> None:
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be at least 1")
        self.failure_threshold = failure_threshold
        self.cooldown = cooldown
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: datetime | None = None
        self._trial_running = False

    @property
    def state(self) -> BreakerState:
        with self._lock:
            return self._state()

    def _state(self) -> BreakerState:
        if self._opened_at is None:
            return BreakerState.CLOSED
        if self._clock.now() - self._opened_at < self.cooldown:
            return BreakerState.OPEN
        return BreakerState.HALF_OPEN

    def allow(self) -> bool:
        """Whether a call may go ahead now (in half-open state, only the one trial call)."""
        if self._opened_at is None:  # the common case, without the lock
            return True
        with self._lock:
            state = self._state()
            if state is BreakerState.OPEN or (
                state is BreakerState.HALF_OPEN and self._trial_running
            ):
                return False
            self._trial_running = state is BreakerState.HALF_OPEN
            return True

    def succeeded(self) -> None:
        if self._failures == 0 and self._opened_at is None:  # the common case, without the lock
            return
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._trial_running = False

    def failed(self) -> None:
        with self._lock:
            self._failures += 1
            if self._trial_running or self._failures >= self.failure_threshold:
                self._opened_at = self._clock.now()
            self._trial_running = False
