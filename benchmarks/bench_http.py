"""Sustained decisions/s over HTTP: uvicorn serving the real app, a load client in another process.

Usage:
    python -m benchmarks.bench_http [--store-book BOOK_1M] [--models DIR] [--providers-book BOOK]
        [--db-url URL] [--seconds 60] [--concurrency 1,4,8,16] [--pool 40000]

The store is prepared as in `bench_e2e` (the store book's SPs, the link rows of all but its
last ``--pool`` applications, one API key per SP); then one uvicorn worker serves
``create_app`` (every stage real) on 127.0.0.1 in a subprocess, and for each concurrency a
load client (a separate process: N threads, one keep-alive httpx connection each) POSTs the
book's latest applications, each with its SP's key and Idempotency-Key, for ``--seconds``.
Bodies are used in order and never repeated within the pool; past the pool they come round
again with a fresh Idempotency-Key (a new application with the same content).

The floor: the same steps against a bare FastAPI endpoint (defined here) that only validates
the body with ``ApplicationCreate`` and returns. ``ratio`` = decisions/s ÷ floor requests/s at
the same concurrency (the floor's answered requests/s: the book's few bodies with a bad ID
check character get 422 there as in the app). RSS (VmRSS) of the worker is read after
warm-up and after each step.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from autolease.origination.schemas import ApplicationCreate
from benchmarks.bench_e2e import default_worlds
from benchmarks.common import emit, load_average, machine, percentiles_ms, rss_mb

WARMUP = 200


# --- the server process -------------------------------------------------------------------


def floor_app() -> Any:
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/v1/applications", status_code=201)
    def validate_only(body: ApplicationCreate) -> dict[str, str]:
        return {"status": "validated"}

    return app


def serve(args: argparse.Namespace) -> None:
    import uvicorn

    if args.floor:
        app = floor_app()
    else:
        from autolease.app import create_app
        from autolease.runtime import build_runtime
        from benchmarks.bench_e2e import bench_settings

        runtime = build_runtime(bench_settings(args.db_url, args.models, args.providers_book))
        app = create_app(runtime=runtime)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


# --- the load client process --------------------------------------------------------------


def load(args: argparse.Namespace) -> None:
    items = json.loads(Path(args.items).read_text())
    lock = threading.Lock()
    state: dict[str, int] = {"next": args.start}
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    deadline = time.monotonic() + args.seconds if args.seconds else None

    def take() -> int | None:
        with lock:
            i = state["next"]
            if (deadline is None and i >= args.start + args.count) or (
                deadline is not None and time.monotonic() >= deadline
            ):
                return None
            state["next"] = i + 1
            return i

    def worker() -> None:
        with httpx.Client(base_url=args.url, timeout=30) as client:
            while (i := take()) is not None:
                key, idem, body = items[i % len(items)]
                headers = {"Authorization": f"Bearer {key}",
                           "Idempotency-Key": f"{idem}-r{i // len(items)}"}  # fmt: skip
                started = time.perf_counter()
                try:
                    response = client.post("/v1/applications", json=body, headers=headers)
                    status = str(response.status_code)
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    statuses[status] = statuses.get(status, 0) + 1

    began = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    ok, rejected = statuses.get("201", 0), statuses.get("422", 0)
    errors = {k: v for k, v in statuses.items() if k not in ("201", "422")}
    print(json.dumps({"sent": len(latencies), "ok": ok, "rejected_422": rejected,
                      "errors": errors, "per_s": round(ok / wall, 1),
                      "answered_per_s": round((ok + rejected) / wall, 1),
                      "seconds": round(wall, 1),
                      "next": state["next"], **percentiles_ms(latencies)}))  # fmt: skip


# --- the orchestrator ---------------------------------------------------------------------


def start_server(args: argparse.Namespace, port: int, floor: bool) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "benchmarks.bench_http", "serve", "--port", str(port)]
    if floor:
        cmd.append("--floor")
    else:
        cmd += ["--db-url", args.db_url, "--models", str(args.models),
                "--providers-book", str(args.providers_book)]  # fmt: skip
    proc = subprocess.Popen(cmd)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}")
        time.sleep(0.5)
    proc.terminate()
    raise SystemExit("the server did not come up")


def client(url: str, items: Path, *, concurrency: int, start: int, seconds: float = 0,
           count: int = 0) -> dict[str, Any]:  # fmt: skip
    cmd = [sys.executable, "-m", "benchmarks.bench_http", "load", "--url", url,
           "--items", str(items), "--concurrency", str(concurrency), "--start", str(start),
           "--seconds", str(seconds), "--count", str(count)]  # fmt: skip
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def prepare_items(args: argparse.Namespace, tmp: Path) -> Path:
    from autolease.runtime import build_runtime
    from benchmarks.bench_e2e import bench_settings, prepare_store, reset

    if not args.no_reset:
        reset(args.db_url)
    runtime = build_runtime(bench_settings(args.db_url, args.models, args.providers_book))
    keys, payloads, seeded = prepare_store(runtime, args.store_book, args.pool, args.seed)
    runtime.close()
    emit("http_seed", backend=backend_of(args.db_url), **seeded, load=load_average())
    path = tmp / "items.json"
    items = [(keys[p.sp_code], p.idempotency_key, p.body) for p in payloads]
    path.write_text(json.dumps(items, ensure_ascii=False, default=str))
    return path


def backend_of(url: str) -> str:
    return "postgresql" if url.startswith("postgresql") else "sqlite"


def sweep(args: argparse.Namespace, items: Path, *, floor: bool, port: int) -> dict[int, float]:
    kind = "floor" if floor else backend_of(args.db_url)
    proc = start_server(args, port, floor)
    url = f"http://127.0.0.1:{port}"
    rates: dict[int, float] = {}
    try:
        warm = client(url, items, concurrency=4, start=0, count=WARMUP)
        emit("http_warmup", server=kind, rss_mb=rss_mb(proc.pid), **warm, load=load_average())
        start = warm["next"]
        for concurrency in args.concurrency:
            step = client(url, items, concurrency=concurrency, start=start, seconds=args.seconds)
            start = step["next"]
            rates[concurrency] = step["answered_per_s" if floor else "per_s"]
            emit("http_step", server=kind, concurrency=concurrency, **step,
                 rss_mb=rss_mb(proc.pid), load=load_average())  # fmt: skip
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return rates


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd")
    s = sub.add_parser("serve")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--floor", action="store_true")
    for p in (parser, s):
        p.add_argument("--db-url", default=None)
        p.add_argument("--models", type=Path, default=None)
        p.add_argument("--providers-book", type=Path, default=None)
    c = sub.add_parser("load")
    for name, kind in (("--url", str), ("--items", str), ("--concurrency", int),
                       ("--start", int), ("--seconds", float), ("--count", int)):  # fmt: skip
        c.add_argument(name, type=kind, required=True)
    parser.add_argument("--store-book", type=Path, default=None)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--concurrency", default="1,4,8,16")
    parser.add_argument("--pool", type=int, default=40_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--skip-floor", action="store_true")
    parser.add_argument(
        "--no-reset",
        action="store_true",
        help="keep a store already seeded from the same book (e.g. by bench_e2e): the pool's "
        "applications then repeat ones already in the store",
    )
    args = parser.parse_args()
    if args.cmd == "serve":
        return serve(args)
    if args.cmd == "load":
        return load(args)
    args.concurrency = [int(c) for c in args.concurrency.split(",")]
    default_worlds(args)
    with tempfile.TemporaryDirectory() as tmp:
        args.db_url = args.db_url or f"sqlite:///{Path(tmp) / 'http.db'}"
        items = prepare_items(args, Path(tmp))
        rates = sweep(args, items, floor=False, port=args.port)
        floor = {} if args.skip_floor else sweep(args, items, floor=True, port=args.port + 1)
    for concurrency, rate in rates.items():
        ratio = round(rate / floor[concurrency], 3) if floor.get(concurrency) else None
        emit("http_ratio", backend=backend_of(args.db_url), concurrency=concurrency,
             decisions_per_s=rate, floor_per_s=floor.get(concurrency), ratio=ratio,
             **machine())  # fmt: skip


if __name__ == "__main__":
    main()
