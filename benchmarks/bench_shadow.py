"""Shadow scoring: what a challenger credit model adds to a decision (target ≤ 1 ms p99).

Two gradient-boosting PD models (different seeds) are trained on one synthetic book with the
declared features. The credit stage runs on the same pipeline contexts (demo sample
applications after the identity and vehicle stages) with the champion alone and with the
champion plus the challenger in shadow, alternating per application in one run, so both
see the same machine load. The figure is the p99 of the stage with the challenger minus
the p99 without, in wall time and in the thread's CPU time (steadier on shared cores).

Usage: .venv/bin/python -m benchmarks.bench_shadow [--applications 3000] [--book-size 8000]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from autolease.credit import features as declared
from autolease.credit.book import book_frame
from autolease.credit.encoding import encode
from autolease.credit.model import CreditModel
from autolease.credit.service import read_book
from autolease.credit.stage import CreditStage
from autolease.credit.training import TrainOptions, fit_credit_model
from autolease.origination.pipeline import DecisionContext
from benchmarks.bench_credit_latency import contexts
from benchmarks.common import emit, machine, percentiles_ms


def two_models(book_size: int) -> tuple[CreditModel, CreditModel]:
    from autolease.synth.config import SynthConfig
    from autolease.synth.writer import write_book

    with tempfile.TemporaryDirectory() as tmp:
        write_book(SynthConfig(n_applications=book_size, seed=11), Path(tmp))
        frame = book_frame(read_book(Path(tmp)))
    schema = declared.schema()
    x = encode(frame.features, schema)
    fitted = [
        fit_credit_model(
            x, frame.y, schema, TrainOptions(kind="gbm", seed=seed),
            labels=declared.labels(), monotone=declared.monotone(),
        ).model.with_ref("credit_gbm", f"bench{seed}")
        for seed in (1, 2)
    ]  # fmt: skip
    return fitted[0], fitted[1]


def timed(stage: CreditStage, ctx: DecisionContext) -> tuple[float, float]:
    """Wall and thread CPU seconds of one stage run (CPU is steady when cores are shared)."""
    fresh = DecisionContext(ctx.facts, ctx.as_of, ctx.business_date, dict(ctx.features))
    started, started_cpu = time.perf_counter(), time.thread_time()
    stage.run(fresh)
    return time.perf_counter() - started, time.thread_time() - started_cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=3000)
    parser.add_argument("--book-size", type=int, default=8000)
    args = parser.parse_args()
    emit("shadow_machine", **machine())
    champion, challenger = two_models(args.book_size)
    alone = CreditStage(champion, top_reasons=3)
    shadowed = CreditStage(champion, top_reasons=3, challenger=challenger)
    warmup = 200
    without: list[tuple[float, float]] = []
    with_shadow: list[tuple[float, float]] = []
    for i, ctx in enumerate(contexts(args.applications + warmup)):
        if i % 2:  # alternate the order, so neither run always goes first
            shadow_s, alone_s = timed(shadowed, ctx), timed(alone, ctx)
        else:
            alone_s, shadow_s = timed(alone, ctx), timed(shadowed, ctx)
        if i >= warmup:
            without.append(alone_s)
            with_shadow.append(shadow_s)
    for clock, column in (("wall", 0), ("cpu", 1)):
        base = percentiles_ms([t[column] for t in without])
        shadow = percentiles_ms([t[column] for t in with_shadow])
        emit(
            "shadow_scoring",
            clock=clock,
            without=base,
            with_challenger=shadow,
            added_p50_ms=round(shadow["p50_ms"] - base["p50_ms"], 3),
            added_p99_ms=round(shadow["p99_ms"] - base["p99_ms"], 3),
            target_added_p99_ms=1.0,
        )


if __name__ == "__main__":
    main()
