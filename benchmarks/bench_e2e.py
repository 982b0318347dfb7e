"""End-to-end decision latency in-process, every stage real, a big book's history in the store.

Usage:
    python -m benchmarks.bench_e2e [--store-book BOOK_1M] [--models DIR] [--providers-book BOOK]
        [--db-url URL] [--requests 1000] [--warmup 100] [--profile OUT.prof]

``--models`` is a directory with ``artifacts/`` holding the valuation, credit and fraud models
(``demo.book.ensure_models`` on a smaller book, e.g. 20k). The identity providers (carrier,
card, bureau, court) and the vehicle history read ``--providers-book`` (default: the store
book given, else the models' book). Without arguments a 1M and a 20k book with models are
built once under ``benchmarks/out/worlds/`` (`common.bench_world`), so `benchmarks.run`
needs no arguments. The store gets the store book's SPs and the link rows of all but its last
``requests + warmup`` applications (``demo.book.seed_history``); those last applications are
then POSTed through FastAPI's TestClient with their SP's API key and Idempotency-Key.

Timed per request: the whole POST; ``service.submit``; each prefetcher's ``fetch`` (wrapped
here, src untouched); the session's commit. Per stage: ``decision.trace`` as stored.
``persist`` = submit - prefetchers - stages (inserts, encryption, audit, response body);
``http_auth_validate`` = total - submit - commit (TestClient, auth, body validation,
serialisation). ``e2e_decision_cpu``: the process's CPU time per POST (all threads; with
one request at a time it is the request's CPU on client and app side, SQLite included,
PostgreSQL's server excluded), a figure less sensitive to a busy host than wall time.
Without --db-url a SQLite file in a temp dir is used; for PostgreSQL give a database of your
own: its schema is dropped and recreated.
"""

from __future__ import annotations

import argparse
import cProfile
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from autolease import store
from autolease.app import create_app
from autolease.cli_support import system_actor
from autolease.demo import book as demo_book
from autolease.demo.jobs import prepare as issue_keys
from autolease.origination import service as origination_service
from autolease.origination.models import Decision
from autolease.runtime import Runtime, build_runtime
from autolease.synth.payloads import SynthPayload
from benchmarks.bench_intake import settings_for
from benchmarks.common import (
    bench_world,
    emit,
    load_average,
    machine,
    percentiles_ms,
    rss_mb,
)

Sink = dict[str, list[float]]


def bench_settings(url: str, models: Path, providers_book: Path) -> Any:
    settings = settings_for(url).model_copy(update={"artifacts_dir": models / "artifacts"})
    return demo_book.with_local_providers(settings, demo_book.DemoWorld(providers_book, models))


def reset(url: str) -> None:
    """Drop everything in the bench database (a PostgreSQL database of its own)."""
    if not url.startswith("postgresql"):
        return
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def prepare_store(
    runtime: Runtime, store_book: Path, submit: int, seed: int
) -> tuple[dict[str, str], list[SynthPayload], dict[str, Any]]:
    """Migrate, seed SPs and history, issue keys; the latest `submit` payloads."""
    store.upgrade(runtime.engine)
    demo_book.ensure_champions(runtime, system_actor(runtime, "system:bench"))
    runtime.reload_models()
    tables = demo_book.read_book(demo_book.DemoWorld(store_book, store_book))
    began = time.perf_counter()
    demo_book.seed_book_sps(runtime, tables, system_actor(runtime, "system:bench"))
    rows = demo_book.seed_history(runtime, tables, submit=submit)
    with runtime.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    seeded = {"link_rows": rows, "store_applications": tables["applications"].num_rows - submit,
              "seconds": round(time.perf_counter() - began, 1)}  # fmt: skip
    keys = issue_keys(runtime)
    payloads = demo_book.latest_payloads(tables, submit, seed)
    return keys, payloads, seeded


class TimedPrefetcher:
    """A prefetcher that records how long each `fetch` took."""

    def __init__(self, inner: Any, sink: Sink) -> None:
        self.inner, self.sink, self.name = inner, sink, inner.name

    def fetch(self, session: Session, request: Any) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            out: dict[str, Any] = self.inner.fetch(session, request)
            return out
        finally:
            self.sink[f"prefetch:{self.name}"].append(time.perf_counter() - started)


def instrument(runtime: Runtime, sink: Sink) -> Callable[[], None]:
    """Time prefetchers, `service.submit` and commits; return a function that undoes it."""
    runtime.prefetchers = tuple(TimedPrefetcher(p, sink) for p in runtime.prefetchers)
    original_submit = origination_service.submit
    original_class = runtime.sessions.class_

    def timed_submit(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original_submit(*args, **kwargs)
        finally:
            sink["submit"].append(time.perf_counter() - started)

    class TimedSession(original_class):  # type: ignore[misc, valid-type]
        def commit(self) -> None:
            started = time.perf_counter()
            super().commit()
            sink["commit"].append(time.perf_counter() - started)

    origination_service.submit = timed_submit
    runtime.sessions.class_ = TimedSession

    def undo() -> None:
        origination_service.submit = original_submit
        runtime.sessions.class_ = original_class

    return undo


def profiled(app: Any, profiler: cProfile.Profile, on: dict[str, bool]) -> Any:
    """The app with every request profiled in full (in one thread; see `inline_threadpool`).

    cProfile sees only the thread that enables it, and FastAPI runs sync endpoints and
    dependencies in a thread pool: while profiling they run inline in the event loop's thread.
    """
    import anyio.to_thread

    async def inline(func: Callable[..., Any], *args: Any, **_: Any) -> Any:
        return func(*args)

    anyio.to_thread.run_sync = inline  # type: ignore[assignment]

    async def wrapper(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not on["profiling"]:
            return await app(scope, receive, send)  # type: ignore[no-any-return]
        profiler.enable()
        try:
            await app(scope, receive, send)
        finally:
            profiler.disable()

    return wrapper


def count_statements(runtime: Runtime, on: dict[str, bool]) -> dict[str, int]:
    """Statements sent while `on["profiling"]`, by verb and table (e.g. "INSERT audit_event")."""
    from sqlalchemy import event

    counts: dict[str, int] = defaultdict(int)

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if on["profiling"]:
            counts[statement_kind(statement)] += 1

    event.listen(runtime.engine, "before_cursor_execute", before)
    return counts


def statement_kind(sql: str) -> str:
    words = sql.replace("(", " ").split()
    verb = words[0].upper() if words else "?"
    upper = [w.upper() for w in words]
    for marker in ("FROM", "INTO", "UPDATE"):
        if marker in upper[: 60 if verb == "SELECT" else 4] and verb != "UPDATE":
            return f"{verb} {words[upper.index(marker) + 1]}"
    return f"{verb} {words[1]}" if verb == "UPDATE" and len(words) > 1 else verb


def submit_all(
    runtime: Runtime, keys: dict[str, str], payloads: list[SynthPayload], warmup: int,
    profile: Path | None,
) -> tuple[Sink, list[str]]:  # fmt: skip
    sink: Sink = defaultdict(list)
    undo = instrument(runtime, sink)
    app_ids: list[str] = []
    profiler = cProfile.Profile() if profile else None
    app = create_app(runtime=runtime)
    on = {"profiling": False}
    statements = count_statements(runtime, on)
    with TestClient(profiled(app, profiler, on) if profiler else app) as client:
        for i, p in enumerate(payloads):
            if i == warmup:
                sink.clear()
                on["profiling"] = True
            headers = {"Authorization": f"Bearer {keys[p.sp_code]}",
                       "Idempotency-Key": p.idempotency_key}  # fmt: skip
            started, cpu = time.perf_counter(), time.process_time()
            response = client.post("/v1/applications", json=p.body, headers=headers)
            elapsed = time.perf_counter() - started
            cpu = time.process_time() - cpu
            if response.status_code == 422:  # the book's deliberate bad inputs (e.g. ID check)
                sink["rejected_422"].append(elapsed)
                continue
            if response.status_code != 201:
                raise SystemExit(f"unexpected {response.status_code}: {response.text[:300]}")
            sink["total"].append(elapsed)
            sink["cpu"].append(cpu)
            if i >= warmup:
                app_ids.append(response.json()["id"])
    if profiler and profile:
        profiler.dump_stats(str(profile))
    undo()
    on["profiling"] = False
    per = {k: round(v / max(1, len(app_ids)), 2) for k, v in sorted(statements.items())}
    emit("e2e_statements", per_decision=per, total=round(sum(per.values()), 2))
    return sink, app_ids


def stage_times(runtime: Runtime, app_ids: list[str]) -> tuple[Sink, dict[str, int]]:
    """Per-stage durations (seconds) from the stored traces, in submission order."""
    by_app: dict[str, list[dict[str, Any]]] = {}
    outcomes: dict[str, int] = defaultdict(int)
    with runtime.sessions() as session:
        for lo in range(0, len(app_ids), 500):
            chunk = app_ids[lo : lo + 500]
            query = select(Decision.application_id, Decision.trace, Decision.outcome)
            for app, trace, outcome in session.execute(
                query.where(Decision.application_id.in_(chunk))
            ):
                by_app[app] = trace
                outcomes[outcome] += 1
    stages: Sink = defaultdict(list)
    for app in app_ids:
        for step in by_app[app]:
            stages[f"stage:{step['stage']}"].append(step["duration_ms"] / 1000)
    return stages, dict(outcomes)


def derived(sink: Sink, stages: Sink) -> Sink:
    """persist and http_auth_validate per request (see the module docstring)."""
    n = len(sink["total"])
    total, submit, commit = (np.asarray(sink[k][-n:]) for k in ("total", "submit", "commit"))
    prefetch = sum(np.asarray(v) for k, v in sink.items() if k.startswith("prefetch:"))
    stage_sum = sum(np.asarray(v) for v in stages.values())
    return {
        "prefetch_all": list(np.asarray(prefetch)),
        "stages_all": list(np.asarray(stage_sum)),
        "persist": list(submit - prefetch - stage_sum),
        "commit": list(commit),
        "http_auth_validate": list(total - submit - commit),
    }


def run(args: argparse.Namespace, url: str) -> None:
    backend = "postgresql" if url.startswith("postgresql") else "sqlite"
    reset(url)
    rss0 = rss_mb()
    began = time.perf_counter()
    runtime = build_runtime(bench_settings(url, args.models, args.providers_book))
    emit("e2e_runtime", backend=backend, build_seconds=round(time.perf_counter() - began, 1),
         rss_before_mb=rss0, rss_after_mb=rss_mb(), providers_book=str(args.providers_book),
         prefetchers=[p.name for p in runtime.prefetchers], load=load_average())  # fmt: skip
    keys, payloads, seeded = prepare_store(
        runtime, args.store_book, args.requests + args.warmup, args.seed
    )
    emit("e2e_seed", backend=backend, **seeded, rss_mb=rss_mb(), load=load_average())
    sink, app_ids = submit_all(runtime, keys, payloads, args.warmup, args.profile)
    stages, outcomes = stage_times(runtime, app_ids)
    load = load_average()
    emit("e2e_decision_cpu", backend=backend, **percentiles_ms(sink["cpu"]))
    emit("e2e_decision", backend=backend, **percentiles_ms(sink["total"]), outcomes=outcomes,
         store_applications=seeded["store_applications"], rss_mb=rss_mb(), load=load,
         **machine())  # fmt: skip
    parts = {**{k: v for k, v in sink.items() if k.startswith("prefetch:")}, **stages}
    parts.update(derived(sink, stages))
    rejected = sink.get("rejected_422", [])
    emit("e2e_rejected", backend=backend, **(percentiles_ms(rejected) if rejected else {"n": 0}))
    for name, values in parts.items():
        emit("e2e_part", backend=backend, part=name, **percentiles_ms(values))
    runtime.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--store-book", type=Path, default=None, help="default: a 1M book under benchmarks/out"
    )
    parser.add_argument(
        "--models", type=Path, default=None, help="default: models of a 20k book (benchmarks/out)"
    )
    parser.add_argument("--providers-book", type=Path, default=None)
    parser.add_argument("--db-url", default=None)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--profile", type=Path, default=None)
    args = parser.parse_args()
    default_worlds(args)
    with tempfile.TemporaryDirectory() as tmp:
        run(args, args.db_url or f"sqlite:///{Path(tmp) / 'e2e.db'}")


def default_worlds(args: argparse.Namespace) -> None:
    """Fill in the default data: the store's history from a 1M book; models and providers from
    a 20k book (providers over the 1M book would add ~2.5 GB to the worker).

    Providers read `--providers-book`, else the `--store-book` given, else the models' book.
    """
    given_store = args.store_book
    if args.models is None:
        args.models = bench_world(20_000, train=True)
    if args.store_book is None:
        args.store_book = bench_world(1_000_000, train=False) / "book"
    if args.providers_book is None:
        args.providers_book = given_store or args.models / "book"


if __name__ == "__main__":
    main()
