"""Calls to external-data providers, bounded in time and behind a circuit breaker.

`ProviderGuard.call(fn, ...)` returns what the provider returns or raises `ProviderFailed`
with a `status` the stages turn into a reason code: ``timeout`` (no answer within the time
limit), ``unavailable`` (the provider raised) or ``circuit_open`` (refused without calling:
the provider failed `failure_threshold` times in a row and the cool-down has not passed). It
never lets a provider's exception through, so a failing provider refers an application
instead of failing the request.

Only a provider that declares ``remote = True`` (it does network I/O) is called on a thread
with a time limit: a local provider (an in-memory index, the default) answers in
microseconds, and a thread per call would cost more than the call. The thread is a daemon
and at most `max_in_flight` such calls run at once per guard (one more is refused as
``unavailable``), so a provider that hangs holds a bounded number of threads and never
delays shutdown; a remote client should still set its own socket time-outs, which free the
thread. The time limit bounds each call, and calls are made one after another.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from enum import StrEnum
from typing import Any, TypeVar, cast

from pydantic import BaseModel, Field

from autolease.kit.breaker import CircuitBreaker
from autolease.kit.clock import Clock

T = TypeVar("T")
log = logging.getLogger(__name__)


class ProviderCallSettings(BaseModel):
    """Limits of the calls to one kind of provider (``…__CALLS__TIMEOUT_MS`` and so on)."""

    timeout_ms: int = Field(default=300, ge=1)
    failure_threshold: int = Field(default=5, ge=1)
    cooldown_seconds: float = Field(default=30.0, gt=0)
    max_in_flight: int = Field(default=16, ge=1)


class FailureStatus(StrEnum):
    TIMEOUT = "timeout"
    UNAVAILABLE = "unavailable"
    CIRCUIT_OPEN = "circuit_open"


class ProviderFailed(Exception):
    """A provider gave no usable answer; `status` says how."""

    def __init__(self, provider: str, status: FailureStatus) -> None:
        super().__init__(f"{provider}: {status.value}")
        self.provider = provider
        self.status = status


def is_remote(provider: object) -> bool:
    """Whether a provider declares itself remote (``remote = True``); local by default."""
    return getattr(provider, "remote", False) is True


class ProviderGuard:
    """One provider's time limit and circuit breaker (see the module docstring)."""

    def __init__(
        self,
        name: str,
        *,
        remote: bool,
        settings: ProviderCallSettings,
        clock: Clock,
    ) -> None:
        self.name = name
        self.remote = remote
        self.timeout = settings.timeout_ms / 1000
        self.breaker = CircuitBreaker(
            failure_threshold=settings.failure_threshold,
            cooldown=timedelta(seconds=settings.cooldown_seconds),
            clock=clock,
        )
        self._slots = threading.BoundedSemaphore(settings.max_in_flight)

    def call(self, fn: Callable[..., T], /, **kwargs: Any) -> T:
        """``fn(**kwargs)``, or `ProviderFailed`."""
        if not self.breaker.allow():
            raise ProviderFailed(self.name, FailureStatus.CIRCUIT_OPEN)
        try:
            result = self._timed(fn, kwargs) if self.remote else fn(**kwargs)
        except ProviderFailed:
            self.breaker.failed()
            raise
        except Exception as err:
            self.breaker.failed()
            log.warning("provider %s failed: %s", self.name, err.__class__.__name__)
            raise ProviderFailed(self.name, FailureStatus.UNAVAILABLE) from err
        self.breaker.succeeded()
        return result

    def _timed(self, fn: Callable[..., T], kwargs: dict[str, Any]) -> T:
        if not self._slots.acquire(blocking=False):
            log.warning("provider %s: too many calls still running", self.name)
            raise ProviderFailed(self.name, FailureStatus.UNAVAILABLE)
        call = _Call(fn, kwargs, self._slots)
        threading.Thread(target=call.run, name=f"provider-{self.name}", daemon=True).start()
        if not call.done.wait(self.timeout):
            log.warning("provider %s: no answer within %.0f ms", self.name, self.timeout * 1000)
            raise ProviderFailed(self.name, FailureStatus.TIMEOUT)
        if call.error is not None:
            raise call.error
        return cast(T, call.result)


class _Call:
    """One call on its own thread; the slot is given back when the provider returns."""

    def __init__(
        self, fn: Callable[..., Any], kwargs: dict[str, Any], slots: threading.BoundedSemaphore
    ) -> None:
        self.fn, self.kwargs, self.slots = fn, kwargs, slots
        self.done = threading.Event()
        self.result: Any = None
        self.error: Exception | None = None

    def run(self) -> None:
        try:
            self.result = self.fn(**self.kwargs)
        except Exception as err:
            self.error = err
        finally:
            self.slots.release()
            self.done.set()
