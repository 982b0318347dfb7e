"""Benchmark of `autolease synth`: time and peak memory of a 1M-application book, and
byte-identity of two runs with the same seed. Prints JSON lines.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_synth.py [--applications 1000000]

Each generation runs in its own child process (`python -m autolease.synth`), so the peak RSS
is that child's alone (`os.wait4` rusage; ru_maxrss is KiB on Linux).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def emit(payload: dict[str, Any]) -> None:
    print(json.dumps(payload, sort_keys=True), flush=True)


def generate(n: int, seed: int, out: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "autolease.synth", "--applications", str(n),
               "--seed", str(seed), "--out", str(out)]  # fmt: skip
    log = out.with_suffix(".log")
    began = time.perf_counter()
    with log.open("w+b") as sink:
        child = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - began
        sink.seek(0)
        stdout = sink.read().decode()
    log.unlink()
    if child.returncode != 0:
        raise SystemExit(f"generation failed ({child.returncode}): {stdout}")
    rows = json.loads(stdout.strip().splitlines()[-1])["rows"]
    size = sum(p.stat().st_size for p in out.iterdir())
    return {"wall_s": round(wall, 2), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 2), "rows": rows,
            "bytes_on_disk": size}  # fmt: skip


def digest(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--identity-applications", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20240101)
    args = parser.parse_args()
    emit({"bench": "synth.env", "python": platform.python_version(), "cpus": os.cpu_count(),
          "machine": platform.machine()})  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        big = generate(args.applications, args.seed, base / "big")
        emit({"bench": "synth.generate", "applications": args.applications, **big,
              "limits": {"wall_s": 120, "peak_rss_mb": 4096},
              "within_limits": big["wall_s"] <= 120 and big["peak_rss_mb"] <= 4096})  # fmt: skip
        n = args.identity_applications
        first = generate(n, args.seed, base / "a")
        second = generate(n, args.seed, base / "b")
        generate(n, args.seed + 1, base / "c")
        same = digest(base / "a") == digest(base / "b")
        differs = digest(base / "a") != digest(base / "c")
        emit({"bench": "synth.determinism", "applications": n, "same_seed_identical": same,
              "other_seed_differs": differs, "wall_s": [first["wall_s"], second["wall_s"]],
              "sha256_applications": digest(base / "a")["applications.parquet"]})  # fmt: skip


if __name__ == "__main__":
    main()
