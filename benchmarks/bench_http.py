"""Sustained decisions/s over HTTP: uvicorn serving the real app, a load client in another process.

Usage:
    python -m benchmarks.bench_http [--store-book BOOK_1M] [--models DIR] [--providers-book BOOK]
        [--db-url URL] [--seconds 60] [--concurrency 1,4,8,16] [--pool 40000]

The store is prepared as in `bench_e2e` (the store book's SPs, the link rows of all but its
last ``--pool`` applications, one API key per SP); then one uvicorn worker serves
``create_app`` (every stage real) on 127.0.0.1 in a subprocess, and for each concurrency a
load client (a separate process: N threads, one keep-alive connection each on a plain
socket, far lighter than httpx) POSTs the
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
import socket
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
    """uvicorn with `--workers` processes, each building its own runtime (`app_from_env`)."""
    import os

    import uvicorn

    os.environ.update({
        "BENCH_HTTP_FLOOR": "1" if args.floor else "",
        "BENCH_HTTP_DB_URL": args.db_url or "",
        "BENCH_HTTP_MODELS": str(args.models or ""),
        "BENCH_HTTP_PROVIDERS": str(args.providers_book or ""),
    })  # fmt: skip
    uvicorn.run("benchmarks.bench_http:app_from_env", factory=True, host="127.0.0.1",
                port=args.port, workers=args.workers, log_level="warning",
                access_log=False)  # fmt: skip


def app_from_env() -> Any:
    import os

    if os.environ["BENCH_HTTP_FLOOR"]:
        return floor_app()
    from autolease.app import create_app
    from autolease.runtime import build_runtime
    from benchmarks.bench_e2e import bench_settings

    settings = bench_settings(os.environ["BENCH_HTTP_DB_URL"],
                              Path(os.environ["BENCH_HTTP_MODELS"]),
                              Path(os.environ["BENCH_HTTP_PROVIDERS"]))  # fmt: skip
    return create_app(runtime=build_runtime(settings))


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
        connection = RawConnection(args.url)
        try:
            while (i := take()) is not None:
                key, idem, body = items[i % len(items)]
                headers = {"Authorization": f"Bearer {key}",
                           "Idempotency-Key": f"{idem}-r{i // len(items)}"}  # fmt: skip
                payload = json.dumps(body, ensure_ascii=False, default=str).encode()
                started = time.perf_counter()
                try:
                    status = str(connection.post("/v1/applications", payload, headers))
                except OSError as exc:
                    status = type(exc).__name__
                    connection.close()
                    connection = RawConnection(args.url)
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    statuses[status] = statuses.get(status, 0) + 1
        finally:
            connection.close()

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


class RawConnection:
    """One keep-alive HTTP/1.1 connection on a plain socket: a load client far lighter than
    httpx, so that on 2 cores the server, not the client, is what is measured."""

    def __init__(self, url: str) -> None:
        host, _, port = url.removeprefix("http://").rstrip("/").partition(":")
        self.host = f"{host}:{port}"
        self.sock = socket.create_connection((host, int(port)), timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.reader = self.sock.makefile("rb")

    def post(self, path: str, payload: bytes, headers: dict[str, str]) -> int:
        lines = [f"POST {path} HTTP/1.1", f"Host: {self.host}",
                 "Content-Type: application/json", f"Content-Length: {len(payload)}",
                 *(f"{k}: {v}" for k, v in headers.items())]  # fmt: skip
        self.sock.sendall("\r\n".join(lines).encode() + b"\r\n\r\n" + payload)
        return self._response()

    def _response(self) -> int:
        status_line = self.reader.readline()
        if not status_line:
            raise ConnectionResetError("the server closed the connection")
        status, length, chunked = int(status_line.split()[1]), 0, False
        while (line := self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
        if chunked:
            while (size := int(self.reader.readline().split(b";")[0], 16)) > 0:
                self.reader.read(size + 2)
            self.reader.readline()
        else:
            self.reader.read(length)
        return status

    def close(self) -> None:
        self.reader.close()
        self.sock.close()


# --- the orchestrator ---------------------------------------------------------------------


def start_server(args: argparse.Namespace, port: int, floor: bool) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "benchmarks.bench_http", "serve", "--port", str(port),
           "--workers", str(args.workers)]  # fmt: skip
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


def worker_rss_mb(pid: int) -> list[float]:
    """RSS of each uvicorn worker (the server process itself when it has no children)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    workers = [c for c in children if "spawn_main" in Path(f"/proc/{c}/cmdline").read_text()]
    return [rss_mb(c) for c in (workers or [str(pid)])]


def backend_of(url: str) -> str:
    return "postgresql" if url.startswith("postgresql") else "sqlite"


def sweep(args: argparse.Namespace, items: Path, *, floor: bool, port: int) -> dict[int, float]:
    kind = "floor" if floor else backend_of(args.db_url)
    proc = start_server(args, port, floor)
    url = f"http://127.0.0.1:{port}"
    rates: dict[int, float] = {}
    try:
        warm = client(url, items, concurrency=4, start=0, count=WARMUP)
        emit(
            "http_warmup", server=kind, rss_mb=worker_rss_mb(proc.pid), **warm, load=load_average()
        )
        start = warm["next"]
        for concurrency in args.concurrency:
            step = client(url, items, concurrency=concurrency, start=start, seconds=args.seconds)
            start = step["next"]
            rates[concurrency] = step["answered_per_s" if floor else "per_s"]
            emit("http_step", server=kind, concurrency=concurrency, **step,
                 rss_mb=worker_rss_mb(proc.pid), load=load_average())  # fmt: skip
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
    s.add_argument("--workers", type=int, default=1)
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
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
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
