"""Backtest throughput: a synthetic book through two policies, on pandas and on Dask.

Usage: python -m benchmarks.bench_backtest [--applications 1000000] [--data DIR]
       [--executors pandas,dask] [--workers 2] [--memoize-region-names]

Without ``--data`` a book of ``--applications`` is generated (``autolease synth``) into a
temporary directory first (not timed). Each executor runs the full job: load and join the
book, stand-in model scores, identity + vehicle stages and both policies per application,
summary, with the CPU seconds it used. ``--memoize-region-names`` wraps
``identity.identifiers._region_name`` in an LRU cache (in the workers too): a what-if for a
proposed identity change, never the default.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from autolease.backtest.jobs import BacktestOptions, run_backtest
from autolease.decision.files import load_one, packaged_root
from benchmarks.common import emit, machine, peak_rss_mb

P, Q = "origination/approve", "origination/approve-conservative"


def generate(n: int, out: Path) -> float:
    from autolease.synth.config import SynthConfig
    from autolease.synth.writer import write_book

    started = time.perf_counter()
    write_book(SynthConfig(n_applications=n, seed=20240101), out)
    return time.perf_counter() - started


def memoize_region_names() -> None:
    from functools import lru_cache

    from autolease.identity import identifiers

    identifiers._region_name = lru_cache(maxsize=8192)(identifiers._region_name)  # type: ignore[method-assign]


def run(
    data: Path, executor: str, workers: int, limit: int | None, memoize: bool
) -> dict[str, Any]:
    options = BacktestOptions(
        data=data,
        policy=load_one(packaged_root(), P).document,
        against=load_one(packaged_root(), Q).document,
        executor="dask" if executor == "dask" else "pandas",
        workers=workers,
        limit=limit,
        worker_setup=memoize_region_names if memoize else None,
    )
    cpu_before = _cpu_s()
    started = time.perf_counter()
    result = run_backtest(options, timer=time.perf_counter)
    wall = time.perf_counter() - started
    cpu = _cpu_s() - cpu_before
    p, q = result.summary.policies
    return {
        "executor": executor,
        "workers": workers,
        "applications": result.summary.n,
        "wall_s": round(wall, 2),
        "applications_per_s": round(result.summary.n / wall),
        "target_s": 60,
        "cpu_s": round(cpu, 1),
        **result.timings,
        "approval_rate": {
            "policy": round(p.approval_rate, 4),
            "against": round(q.approval_rate, 4),
        },
        "swap_in": result.summary.swaps[0].stats.count,
        "swap_out": result.summary.swaps[1].stats.count,
    }


def _cpu_s() -> float:
    """CPU seconds of this process and of its children that have exited and been reaped.

    On a shared machine wall time depends on the neighbours; CPU seconds say what the job
    itself costs (an idle 2-core machine needs about ``cpu_s / 2`` for the parallel part).
    """
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--executors", default="pandas,dask")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--memoize-region-names", action="store_true")
    args = parser.parse_args()
    if args.memoize_region_names:
        memoize_region_names()
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data
        generated_s = None
        if data is None:
            data = Path(tmp) / "book"
            generated_s = round(generate(args.applications, data), 1)
        for executor in args.executors.split(","):
            figures = run(
                data, executor.strip(), args.workers, args.limit, args.memoize_region_names
            )
            emit(
                "backtest",
                policy=P,
                against=Q,
                book_generated_s=generated_s,
                memoized_region_names=args.memoize_region_names,
                peak_rss_mb=peak_rss_mb(),
                **figures,
                **machine(),
            )


if __name__ == "__main__":
    main()
