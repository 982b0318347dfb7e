"""Tests for autolease.kit.guard: time limits (remote providers only) and the breaker."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

import pytest

from autolease.kit.clock import FixedClock
from autolease.kit.guard import (
    FailureStatus,
    ProviderCallSettings,
    ProviderFailed,
    ProviderGuard,
    is_remote,
)

START = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
LIMITS = ProviderCallSettings(timeout_ms=20, failure_threshold=2, cooldown_seconds=30)


class Provider:
    """Answers, raises or blocks until released, and records the threads it ran on."""

    def __init__(self, *, remote: bool = False, raises: bool = False, blocks: bool = False):
        self.remote = remote
        self.raises = raises
        self.release = threading.Event()
        if not blocks:
            self.release.set()
        self.threads: list[int] = []

    def answer(self, **kwargs: Any) -> dict[str, Any]:
        self.threads.append(threading.get_ident())
        self.release.wait(10)
        if self.raises:
            raise ConnectionError("refused")
        return kwargs


def guard(provider: Provider, clock: FixedClock, limits: ProviderCallSettings = LIMITS) -> Any:
    return ProviderGuard("bureau:test", remote=is_remote(provider), settings=limits, clock=clock)


def status_of(g: ProviderGuard, provider: Provider) -> FailureStatus:
    with pytest.raises(ProviderFailed) as caught:
        g.call(provider.answer, x=1)
    return caught.value.status


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


class TestLocal:
    def test_a_local_provider_answers_on_the_calling_thread(self, clock: FixedClock) -> None:
        provider = Provider()
        assert guard(provider, clock).call(provider.answer, x=1) == {"x": 1}
        assert provider.threads == [threading.get_ident()]

    def test_a_provider_is_local_unless_it_says_remote(self) -> None:
        assert not is_remote(object())
        assert not is_remote(Provider())
        assert is_remote(Provider(remote=True))

    def test_an_exception_becomes_unavailable(self, clock: FixedClock) -> None:
        provider = Provider(raises=True)
        g = guard(provider, clock)
        with pytest.raises(ProviderFailed) as caught:
            g.call(provider.answer)
        assert caught.value.status is FailureStatus.UNAVAILABLE
        assert isinstance(caught.value.__cause__, ConnectionError)


class TestRemote:
    def test_a_remote_provider_answers_from_another_thread(self, clock: FixedClock) -> None:
        provider = Provider(remote=True)
        assert guard(provider, clock).call(provider.answer, x=2) == {"x": 2}
        assert provider.threads != [threading.get_ident()]

    def test_a_slow_remote_provider_times_out(self, clock: FixedClock) -> None:
        provider = Provider(remote=True, blocks=True)
        try:
            assert status_of(guard(provider, clock), provider) is FailureStatus.TIMEOUT
        finally:
            provider.release.set()

    def test_a_remote_exception_becomes_unavailable(self, clock: FixedClock) -> None:
        provider = Provider(remote=True, raises=True)
        assert status_of(guard(provider, clock), provider) is FailureStatus.UNAVAILABLE

    def test_calls_beyond_max_in_flight_are_refused(self, clock: FixedClock) -> None:
        provider = Provider(remote=True, blocks=True)
        limits = LIMITS.model_copy(update={"max_in_flight": 1, "failure_threshold": 9})
        g = guard(provider, clock, limits)
        try:
            assert status_of(g, provider) is FailureStatus.TIMEOUT  # still running
            assert status_of(g, provider) is FailureStatus.UNAVAILABLE
            assert len(provider.threads) == 1
        finally:
            provider.release.set()


class TestBreaker:
    def test_it_opens_after_n_failures_and_stops_calling(self, clock: FixedClock) -> None:
        provider = Provider(raises=True)
        g = guard(provider, clock)
        assert [status_of(g, provider) for _ in range(3)] == [
            FailureStatus.UNAVAILABLE,
            FailureStatus.UNAVAILABLE,
            FailureStatus.CIRCUIT_OPEN,
        ]
        assert len(provider.threads) == 2

    def test_timeouts_count_as_failures(self, clock: FixedClock) -> None:
        provider = Provider(remote=True, blocks=True)
        g = guard(provider, clock)
        try:
            assert [status_of(g, provider) for _ in range(3)][-1] is FailureStatus.CIRCUIT_OPEN
        finally:
            provider.release.set()

    def test_it_recovers_after_the_cooldown(self, clock: FixedClock) -> None:
        provider = Provider(raises=True)
        g = guard(provider, clock)
        for _ in range(2):
            status_of(g, provider)
        provider.raises = False
        clock.advance(seconds=29)
        assert status_of(g, provider) is FailureStatus.CIRCUIT_OPEN
        clock.advance(seconds=1)
        assert g.call(provider.answer, x=3) == {"x": 3}
        assert g.call(provider.answer, x=4) == {"x": 4}
