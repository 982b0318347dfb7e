"""Latency of the online fraud look-ups (graph neighbourhood, velocity) with a big store.

Usage:
    python -m benchmarks.bench_fraud_online --book DIR [--db-url URL] [--samples 2000]
    python -m benchmarks.bench_fraud_online --applications 1000000 --seed 11 ...

The book's applications are seeded into the store (`fraud.service.seeding`: minimal
application rows and the link rows the API writes, blind-indexed), then applications of the
book's last month are looked up *as of their own submission time* (so 0.9-1M earlier
applications are in the store): ``GraphPrefetcher.fetch`` and ``VelocityPrefetcher.fetch``
are timed separately, in the same session, after a warm-up. ``graph_cpu`` is the CPU time
spent on the graph look-up: this thread's (which includes SQLite's work) plus, on a local
PostgreSQL, the session's server backend (``/proc/<pid>/schedstat``). On a shared host it
separates the work from the scheduling delays in the wall-clock tail. Without
--db-url a SQLite file in a temp dir is used. For PostgreSQL give a database of your own:
its schema is dropped and recreated.
"""

from __future__ import annotations

import argparse
import base64
import random
import tempfile
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from autolease import store
from autolease.config import DatabaseSettings, SecuritySettings, Settings
from autolease.fraud import models as _fraud_models  # noqa: F401  (tables for create/drop)
from autolease.fraud.book import book_link_rows
from autolease.fraud.service.offline import read_book
from autolease.fraud.service.prefetch import GraphPrefetcher, VelocityPrefetcher
from autolease.fraud.service.seeding import app_id, seed_links
from autolease.metadata import metadata
from autolease.origination.models import Application, ApplicationLink
from autolease.origination.pipeline import ApplicationFacts, LinkKey, PersonFacts, PrefetchRequest
from autolease.runtime import build_runtime
from benchmarks.common import emit, machine, peak_rss_mb, percentiles_ms

FACTS = ApplicationFacts(
    "individual", PersonFacts("-", None, "13800000000"), None, "-", "上海", None, "-", None, "-",
    date(2020, 1, 1), 0, Decimal(1), None, None, "dealer", "any", Decimal(1), 12, Decimal(0),
    None, "sp", "B",
)  # fmt: skip


def settings_for(url: str) -> Settings:
    key = base64.b64encode(b"f" * 32).decode()
    security = SecuritySettings.model_validate(
        {"data_keys": {"k1": key}, "active_key_id": "k1", "blind_index_key": key}
    )
    return Settings(environment="test", db=DatabaseSettings(url=url), security=security)


def book_dir(args: argparse.Namespace, tmp: Path) -> Path:
    if args.book:
        return Path(args.book)
    from autolease.synth.config import SynthConfig
    from autolease.synth.writer import write_book

    out = tmp / "book"
    write_book(SynthConfig(n_applications=args.applications, seed=args.seed), out)
    return out


def prepare(url: str, book: Path) -> tuple[object, int]:
    runtime = build_runtime(settings_for(url))
    with runtime.engine.begin() as conn:
        if runtime.engine.dialect.name == "postgresql":  # a database of its own: start clean
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        else:
            metadata.drop_all(conn)
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    store.upgrade(runtime.engine)
    tables = read_book(book, ("applications", "applicants", "vehicles", "truth"))
    links = book_link_rows(tables)
    began = time.perf_counter()
    with runtime.engine.begin() as conn:
        written = seed_links(conn, links, runtime.cipher)
    with runtime.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    emit("fraud_online_seed", rows=written, applications=links.rows.n_apps,
         seconds=round(time.perf_counter() - began, 1))  # fmt: skip
    last = int(links.rows.app_time.max()) - 30 * 86_400
    recent = [i for i, t in enumerate(links.rows.app_time.tolist()) if t >= last]
    runtime.recent_ids = [app_id(links.rows.app_ids[i]) for i in recent]  # type: ignore[attr-defined]
    return runtime, links.rows.n_apps


def _backend_cpu(session: Any) -> Callable[[], float]:
    """CPU seconds of this session's PostgreSQL backend (``/proc/<pid>/schedstat``, ns)."""
    if session.get_bind().dialect.name != "postgresql":
        return lambda: 0.0
    pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
    path = Path(f"/proc/{pid}/schedstat")
    if not path.exists():  # the server runs elsewhere: client CPU only
        return lambda: 0.0
    return lambda: int(path.read_text().split()[0]) / 1e9


def measure(runtime: object, samples: int, warmup: int = 100) -> dict[str, dict[str, float]]:
    rng = random.Random(7)
    ids = rng.sample(runtime.recent_ids, min(samples + warmup, len(runtime.recent_ids)))  # type: ignore[attr-defined]
    graph, velocity = GraphPrefetcher(), VelocityPrefetcher()
    times: dict[str, list[float]] = {"graph": [], "velocity": [], "both": [], "graph_cpu": []}
    sizes: list[int] = []
    with runtime.sessions() as session:  # type: ignore[attr-defined]
        server_cpu = _backend_cpu(session)
        for n, aid in enumerate(ids):
            row = session.get(Application, aid)
            links = tuple(
                LinkKey(k, h)
                for k, h in session.execute(
                    select(ApplicationLink.kind, ApplicationLink.key_hash).where(
                        ApplicationLink.application_id == aid
                    )
                )
            )
            request = PrefetchRequest(FACTS, links, row.submitted_at, row.sp_id)
            c0, s0 = time.thread_time(), server_cpu()
            t0 = time.perf_counter()
            found = graph.fetch(session, request)
            t1 = time.perf_counter()
            c1, s1 = time.thread_time(), server_cpu()
            velocity.fetch(session, request)
            t2 = time.perf_counter()
            if n >= warmup:
                times["graph"].append(t1 - t0)
                times["velocity"].append(t2 - t1)
                times["both"].append(t2 - t0)
                times["graph_cpu"].append((c1 - c0) + (s1 - s0))
                sizes.append(int(found["graph_component_size"]))
    out = {name: percentiles_ms(values) for name, values in times.items()}
    linked = [s for s in sizes if s > 1]
    out["neighbourhood"] = {"linked_share": round(len(linked) / len(sizes), 4),
                            "max_size": max(sizes)}  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--book", default=None, help="an existing synthetic book directory")
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--db-url", default=None)
    parser.add_argument("--samples", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        book = book_dir(args, Path(tmp))
        url = args.db_url or f"sqlite:///{Path(tmp) / 'fraud.db'}"
        runtime, n_apps = prepare(url, book)
        stats = measure(runtime, args.samples)
        runtime.close()  # type: ignore[attr-defined]
    backend = "postgresql" if url.startswith("postgresql") else "sqlite"
    for name in ("graph", "graph_cpu", "velocity", "both"):
        emit(f"fraud_online_{name}", backend=backend, store_applications=n_apps, **stats[name])
    emit("fraud_online_neighbourhood", backend=backend, **stats["neighbourhood"],
         peak_rss_mb=peak_rss_mb(), **machine())  # fmt: skip


if __name__ == "__main__":
    main()
