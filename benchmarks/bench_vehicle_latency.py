"""Valuation speed in-process: one valuation (p50/p99) and batch throughput on one core.

Usage: python -m benchmarks.bench_vehicle_latency [--data-dir DIR]
       [--calls 5000] [--batch 200000]

The model is the default-config valuation trained on the six UK brand files (the same one
``bench_vehicle_valuation`` reports), with LightGBM ``num_threads=1`` for prediction. Timed:

* ``single``: ``LgbmValuer.value(ValuationInput)`` — building the feature row, three boosters,
  calibration and ordering — over ``--calls`` calls after a warm-up;
* ``single_stage``: the whole vehicle stage (VIN decode, brand check, history, valuation,
  residual at the term, LTV) on a sample application, same count;
* ``batch``: ``value_frame`` over a canonical frame of ``--batch`` rows (feature matrix and the
  three boosters), rows per second on one core; and ``predict_matrix`` alone.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd  # type: ignore[import-untyped]

from autolease.demo.samples import sample_application
from autolease.origination.facts import build_facts
from autolease.origination.pipeline import DecisionContext
from autolease.origination.schemas import ApplicationCreate
from autolease.vehicle.columns import canonical_frame, parse_mapping
from autolease.vehicle.features import ValuationInput
from autolease.vehicle.history import EmptyHistoryProvider
from autolease.vehicle.stage import VehicleStage
from autolease.vehicle.valuation import LgbmValuer, TrainConfig, add_derived, frame_matrix, train
from benchmarks.common import emit, machine, percentiles_ms

BRANDS = ("audi", "bmw", "ford", "merc", "vauxhall", "vw")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    default_dir = Path(__file__).resolve().parents[2] / "shared" / "data" / "vehicle"
    parser.add_argument("--data-dir", type=Path, default=default_dir)
    parser.add_argument("--calls", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=200_000)
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")

    raw = pd.concat(
        [pd.read_csv(args.data_dir / "uk_used_cars" / f"{b}.csv") for b in BRANDS],
        ignore_index=True,
    )
    frame, _ = canonical_frame(
        raw, parse_mapping("mileage_km=mileage*1.609344"), reference_year=2020
    )
    model = train(frame, TrainConfig(num_threads=2))
    valuer = LgbmValuer(model.encoding, model.boosters, ref="bench@0", num_threads=1)
    trees = {k: b.num_trees() for k, b in model.boosters.items()}
    emit(
        "vehicle_latency",
        section="machine",
        trees=trees,
        features=list(valuer.features),
        load_average=os.getloadavg(),
        **machine(),
    )

    rng = np.random.default_rng(0)
    rows = frame.sample(args.calls, replace=True, random_state=1).to_dict("records")
    items = [
        ValuationInput(r["brand"], r["model"], float(r["age_years"]), float(r["mileage_km"]),
                       fuel=r["fuel"], transmission=r["transmission"], engine_l=r["engine_l"])
        for r in rows
    ]  # fmt: skip
    for item in items[:200]:
        valuer.value(item)
    samples, cpu = [], []
    for item in items:
        started, cpu_started = time.perf_counter(), time.process_time()
        valuer.value(item)
        samples.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    emit("vehicle_latency", section="single", **percentiles_ms(samples), cpu=_cpu(cpu))

    stage = VehicleStage(valuer=valuer, history=EmptyHistoryProvider())
    pyrng = random.Random(7)
    today = datetime(2026, 11, 29, tzinfo=UTC)
    facts = [
        build_facts(
            ApplicationCreate.model_validate(sample_application(pyrng, today.date())), sp_grade="B"
        )
        for _ in range(min(args.calls, 1000))
    ]
    for f in facts[:100]:
        stage.run(DecisionContext(f, as_of=today, business_date=today.date()))
    samples, cpu = [], []
    for i in range(args.calls):
        ctx = DecisionContext(facts[i % len(facts)], as_of=today, business_date=today.date())
        started, cpu_started = time.perf_counter(), time.process_time()
        stage.run(ctx)
        samples.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    emit("vehicle_latency", section="single_stage", **percentiles_ms(samples), cpu=_cpu(cpu))

    batch = frame.sample(args.batch, replace=True, random_state=int(rng.integers(1 << 30)))
    batch = batch.reset_index(drop=True)
    valuer.value_frame(batch.head(1000))
    started, cpu_started = time.perf_counter(), time.process_time()
    valuer.value_frame(batch)
    total = time.perf_counter() - started
    total_cpu = time.process_time() - cpu_started
    x = frame_matrix(add_derived(batch), valuer.encoding)
    started = time.perf_counter()
    valuer.predict_matrix(x)
    predict = time.perf_counter() - started
    emit(
        "vehicle_latency",
        section="batch",
        rows=args.batch,
        threads=1,
        valuations_per_s=round(args.batch / total),
        valuations_per_cpu_s=round(args.batch / total_cpu),
        predict_only_per_s=round(args.batch / predict),
        load_average=os.getloadavg(),
    )


def _cpu(samples: list[float]) -> dict[str, float]:
    """Per-call CPU time (process_time): what the call costs, without other processes' noise.

    process_time ticks coarsely on some kernels, so the p50 can read 0; the mean is exact.
    """
    arr = np.asarray(samples) * 1000
    return {
        "p99_ms": round(float(np.percentile(arr, 99)), 3),
        "mean_ms": round(float(arr.mean()), 4),
    }


if __name__ == "__main__":
    main()
