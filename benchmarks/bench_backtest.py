"""Backtest throughput: a synthetic book through two policies, on pandas and on Dask.

Usage: python -m benchmarks.bench_backtest [--applications 1000000] [--data DIR]
       [--executors pandas,dask] [--workers 2] [--limit N]
       [--save-decisions FILE | --check-decisions FILE]

Without ``--data`` a book of ``--applications`` is generated (``autolease synth``) into a
temporary directory first (not timed). Each executor runs the full job: load and join the
book, stand-in model scores, identity + vehicle stages and both policies per application,
summary, with the CPU seconds it used and the load average before and after.

Decision identity check (before and after a performance change): run once with
``--limit 30000 --save-decisions ref.parquet`` on the old code, then with
``--limit 30000 --check-decisions ref.parquet`` on the new: the decision frames must be equal
(``assert_frame_equal``), every executor's. (The region-name LRU cache that
``--memoize-region-names`` used to try is now the default in ``identity.identifiers``.)
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd  # type: ignore[import-untyped]

from autolease.backtest.jobs import BacktestOptions, BacktestResult, run_backtest
from autolease.decision.files import load_one, packaged_root
from benchmarks.common import emit, load_average, machine, peak_rss_mb

P, Q = "origination/approve", "origination/approve-conservative"


def generate(n: int, out: Path) -> float:
    from autolease.synth.config import SynthConfig
    from autolease.synth.writer import write_book

    started = time.perf_counter()
    write_book(SynthConfig(n_applications=n, seed=20240101), out)
    return time.perf_counter() - started


def run(data: Path, executor: str, workers: int, limit: int | None) -> BacktestResult:
    options = BacktestOptions(
        data=data,
        policy=load_one(packaged_root(), P).document,
        against=load_one(packaged_root(), Q).document,
        executor="dask" if executor == "dask" else "pandas",
        workers=workers,
        limit=limit,
    )
    return run_backtest(options, timer=time.perf_counter)


def figures(
    result: BacktestResult, executor: str, workers: int, wall: float, cpu: float
) -> dict[str, Any]:
    p, q = result.summary.policies
    n = result.summary.n
    return {
        "executor": executor,
        "workers": workers,
        "applications": n,
        "wall_s": round(wall, 2),
        "applications_per_s": round(n / wall),
        "target_s": 60,
        "cpu_s": round(cpu, 1),
        "cpu_us_per_application": round(cpu / max(n, 1) * 1e6, 1),
        **result.timings,
        "approval_rate": {
            "policy": round(p.approval_rate, 4),
            "against": round(q.approval_rate, 4),
        },
        "swap_in": result.summary.swaps[0].stats.count,
        "swap_out": result.summary.swaps[1].stats.count,
    }


def check_decisions(decisions: pd.DataFrame, reference: Path) -> int:
    """Rows compared; raises (``assert_frame_equal``) when any decision differs."""
    expected = pd.read_parquet(reference)
    actual = decisions.reset_index(drop=True)
    pd.testing.assert_frame_equal(actual, expected, check_dtype=False)
    return len(expected)


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
    parser.add_argument("--save-decisions", type=Path, default=None)
    parser.add_argument("--check-decisions", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = args.data
        generated_s = None
        if data is None:
            data = Path(tmp) / "book"
            generated_s = round(generate(args.applications, data), 1)
        for executor in args.executors.split(","):
            load_before = load_average()
            cpu_before = _cpu_s()
            started = time.perf_counter()
            result = run(data, executor.strip(), args.workers, args.limit)
            wall = time.perf_counter() - started
            cpu = _cpu_s() - cpu_before
            checked = None
            if args.check_decisions is not None:
                checked = check_decisions(result.decisions, args.check_decisions)
            if args.save_decisions is not None:
                result.decisions.to_parquet(args.save_decisions, index=False)
            emit(
                "backtest",
                policy=P,
                against=Q,
                book_generated_s=generated_s,
                peak_rss_mb=peak_rss_mb(),
                **figures(result, executor.strip(), args.workers, wall, cpu),
                decisions_identical_rows=checked,
                load_average_before=load_before,
                load_average_after=load_average(),
                **machine(),
            )


if __name__ == "__main__":
    main()
