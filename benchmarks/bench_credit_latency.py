"""Credit scoring speed: one application in-process (p50/p99) and batch rows per second.

Models of each kind are trained on a synthetic book (``autolease.synth``, the same path as
``autolease credit train-book``). Single-application latency times `CreditStage.run` on real
pipeline contexts (demo sample applications after the identity and vehicle stages): feature
computation, encoding, PD, score, grade and the top three reasons. Batch throughput times
`CreditModel.score_batch` on one core (LightGBM ``num_threads=1``; numpy is single-threaded
for these operations), with and without per-row reasons.

Batch mode scores ``--batch-rows`` rows (the book's rows repeated) without reasons and
``--reason-rows`` rows with the top three reasons, best of three runs each. For gradient
boosting and the blend the reasons are TreeSHAP (``pred_contrib``) and the log-odds come from
the same pass (see `BoosterModel.explain`).

Wall-clock figures include time the process waits for a core; ``cpu_*`` is the thread's own
CPU time for the same calls (the two differ when other work shares the machine).

Usage: .venv/bin/python -m benchmarks.bench_credit_latency [--mode both|single|batch]
    [--applications 3000] [--batch-rows 200000] [--reason-rows 50000] [--book-size 20000]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import pandas as pd

from autolease.credit import features as declared
from autolease.credit.book import book_frame
from autolease.credit.encoding import encode
from autolease.credit.model import CreditModel
from autolease.credit.service import read_book
from autolease.credit.stage import CreditStage
from autolease.credit.training import TrainOptions, fit_credit_model
from autolease.demo.samples import sample_application
from autolease.identity.stage import IdentityStage
from autolease.origination.facts import build_facts
from autolease.origination.pipeline import DecisionContext
from autolease.origination.schemas import ApplicationCreate
from autolease.vehicle.stage import VehicleStage
from benchmarks.common import emit, machine, percentiles_ms

AS_OF = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
TODAY = date(2026, 11, 29)


def train_models(book_size: int) -> tuple[dict[str, CreditModel], pd.DataFrame]:
    from autolease.synth.config import SynthConfig
    from autolease.synth.writer import write_book

    with tempfile.TemporaryDirectory() as tmp:
        write_book(SynthConfig(n_applications=book_size, seed=11), Path(tmp))
        frame = book_frame(read_book(Path(tmp)))
    schema = declared.schema()
    x = encode(frame.features, schema)
    models = {}
    for kind in ("scorecard", "gbm", "blend"):
        result = fit_credit_model(
            x,
            frame.y,
            schema,
            TrainOptions(kind=kind),  # type: ignore[arg-type]
            labels=declared.labels(),
            monotone=declared.monotone(),
        )
        models[kind] = result.model.with_ref(f"credit_{kind}", "bench")
    return models, frame.features


def contexts(n: int) -> list[DecisionContext]:
    rng = random.Random(5)
    out = []
    while len(out) < n:
        body = ApplicationCreate.model_validate(sample_application(rng, TODAY))
        ctx = DecisionContext(build_facts(body, sp_grade="B"), as_of=AS_OF, business_date=TODAY)
        IdentityStage().run(ctx)
        VehicleStage().run(ctx)
        out.append(ctx)
    return out


def single(model: CreditModel, ctxs: list[DecisionContext], warmup: int = 200) -> dict[str, float]:
    stage = CreditStage(model, top_reasons=3)
    wall, cpu = [], []
    for i, ctx in enumerate(ctxs):
        fresh = DecisionContext(ctx.facts, ctx.as_of, ctx.business_date, dict(ctx.features))
        started, started_cpu = time.perf_counter(), time.thread_time()
        stage.run(fresh)
        elapsed, elapsed_cpu = time.perf_counter() - started, time.thread_time() - started_cpu
        if i >= warmup:
            wall.append(elapsed)
            cpu.append(elapsed_cpu)
    cpu_stats = percentiles_ms(cpu)
    return {
        **percentiles_ms(wall),
        "cpu_p50_ms": cpu_stats["p50_ms"],
        "cpu_p99_ms": cpu_stats["p99_ms"],
    }


def batch(model: CreditModel, frame: pd.DataFrame, rows: int, top: int) -> dict[str, float]:
    reps = int(np.ceil(rows / len(frame)))
    big = pd.concat([frame] * reps, ignore_index=True).head(rows)
    model.score_batch(big.head(1000), top=top)
    wall, cpu = [], []
    for _ in range(3):
        started, started_cpu = time.perf_counter(), time.thread_time()
        model.score_batch(big, top=top)
        wall.append(time.perf_counter() - started)
        cpu.append(time.thread_time() - started_cpu)
    x = encode(big, model.schema)
    started = time.perf_counter()
    model.score_encoded(x, top=top)
    encoded_only = time.perf_counter() - started
    return {
        "rows": rows,
        "seconds_best_of_3": round(min(wall), 3),
        "rows_per_s": round(rows / min(wall)),
        "rows_per_s_cpu": round(rows / min(cpu)),
        "rows_per_s_pre_encoded": round(rows / encoded_only),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=("both", "single", "batch"), default="both")
    parser.add_argument("--applications", type=int, default=3000)
    parser.add_argument("--batch-rows", type=int, default=200_000)
    parser.add_argument("--reason-rows", type=int, default=50_000)
    parser.add_argument("--book-size", type=int, default=20_000)
    args = parser.parse_args()
    emit("credit_latency_machine", **machine())
    models, frame = train_models(args.book_size)
    ctxs = contexts(args.applications + 200) if args.mode != "batch" else []
    for kind, model in models.items():
        if args.mode != "batch":
            emit("credit_single_application", model=kind, **single(model, ctxs))
        if args.mode == "single":
            continue
        for top, rows in ((0, args.batch_rows), (3, args.reason_rows)):
            emit("credit_batch", model=kind, reasons=top, **batch(model, frame, rows, top))


if __name__ == "__main__":
    main()
