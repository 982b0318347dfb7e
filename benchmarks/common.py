"""Helpers shared by benchmarks: JSON-line output, percentiles, machine facts."""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np


def emit(bench: str, **fields: Any) -> None:
    print(json.dumps({"bench": bench, **fields}, ensure_ascii=False, default=str), flush=True)


def percentiles_ms(samples_s: list[float]) -> dict[str, float]:
    arr = np.asarray(samples_s) * 1000
    return {
        "p50_ms": round(float(np.percentile(arr, 50)), 3),
        "p99_ms": round(float(np.percentile(arr, 99)), 3),
        "mean_ms": round(float(arr.mean()), 3),
        "n": int(arr.size),
    }


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def machine() -> dict[str, Any]:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "commit": commit,
    }


def rss_mb(pid: int | str = "self") -> float:
    """Current resident set size (VmRSS) of a process, in MB (Linux /proc)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        lines = status.read().splitlines()
    for line in lines:
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def load_average() -> list[float]:
    """The 1, 5 and 15-minute load averages (as `uptime` shows them)."""
    return [round(x, 2) for x in os.getloadavg()]


WORLDS = Path(__file__).resolve().parent / "out" / "worlds"


def bench_world(size: int, *, train: bool, seed: int = 11) -> Path:
    """A synthetic book of `size` applications (window ending this month) under
    ``benchmarks/out/worlds/w<size>/book``, with the demo's models in ``artifacts/`` when
    `train`; built once and reused (the end-to-end benchmarks' default data)."""
    from autolease.demo.book import DemoWorld, ensure_book, ensure_models

    root = WORLDS / f"w{size}"
    world = DemoWorld(root / "book", root / "artifacts")
    now = datetime.now(UTC)
    ensure_book(world, size=size, seed=seed, today=now.date())
    if train:
        ensure_models(world, now=now, report=lambda line: print(line, file=sys.stderr))
    return root
