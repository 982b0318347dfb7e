"""Cost of calling a provider through `kit.guard.ProviderGuard`.

Usage: python -m benchmarks.bench_provider_guard [--calls 500000] [--remote-calls 2000]

Timed (CPU time of this process, best of 5 rounds, per call):

* ``direct``: a local court-list look-up answering from memory, called as the stages did;
* ``guarded_local``: the same through a guard (breaker, no thread): the default wiring;
* ``guarded_remote``: the same declared ``remote = True``: one daemon thread and a wait per
  call (wall time; what a vendor client pays before its own network time).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from autolease.identity.providers.checks import CourtRecord
from autolease.kit.clock import SystemClock
from autolease.kit.guard import ProviderCallSettings, ProviderGuard
from benchmarks.common import emit, machine

RECORD = CourtRecord(False, False, False)
AT = datetime(2026, 11, 29, tzinfo=UTC)


def court_record(*, name: str, id_number: str, as_of: datetime) -> CourtRecord:
    return RECORD


def per_call(fn: Callable[[], object], calls: int, clock: Callable[[], float]) -> float:
    best = float("inf")
    for _ in range(5):
        start = clock()
        for _ in range(calls):
            fn()
        best = min(best, (clock() - start) / calls)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=500_000)
    parser.add_argument("--remote-calls", type=int, default=2_000)
    args = parser.parse_args()
    settings = ProviderCallSettings()
    local = ProviderGuard("court:local", remote=False, settings=settings, clock=SystemClock())
    remote = ProviderGuard("court:remote", remote=True, settings=settings, clock=SystemClock())
    kwargs: dict[str, Any] = {"name": "张三", "id_number": "110101199003071234", "as_of": AT}
    direct = per_call(lambda: court_record(**kwargs), args.calls, time.process_time)
    guarded = per_call(lambda: local.call(court_record, **kwargs), args.calls, time.process_time)
    threaded = per_call(
        lambda: remote.call(court_record, **kwargs), args.remote_calls, time.perf_counter
    )
    emit(
        "provider_guard",
        direct_ns=round(direct * 1e9),
        guarded_local_ns=round(guarded * 1e9),
        overhead_local_ns=round((guarded - direct) * 1e9),
        guarded_remote_us=round(threaded * 1e6, 1),
        machine=machine(),
    )


if __name__ == "__main__":
    main()
