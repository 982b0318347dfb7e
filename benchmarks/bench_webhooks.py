"""Webhook delivery: 10,000 status-change events to a local receiver, none lost or doubled.

Usage: python -m benchmarks.bench_webhooks [--events 10000] [--mode live|backlog]
       [--rate 500] [--workers 2] [--db-url URL]

One application is submitted through the API; then the producer moves it between statuses
with the origination `transition` (the real outbox path: each change writes its event and
its delivery in the same transaction, `--per-transaction` changes a transaction). The
endpoint points at the reference receiver (`webhooks/receiver.py`, a threading http.server
on 127.0.0.1) that verifies every signature and processes each event id once.

- ``live``: the producer writes at ``--rate`` events/s (in this process, or in one of its
  own with ``--writer-process``: on SQLite the two processes then meet in SQLite's busy
  handler instead of the in-process writer lock) while ``--workers`` delivery workers (each
  `Deliverer`, in threads of this process) poll;
  lag = processed at the receiver minus the event's ``occurred_at``.
- ``backlog``: all events are written first, then the workers drain them (deliveries/s of a
  backlog; the lag then includes the wait in the queue).

Asserts (and prints) that the receiver processed exactly the events in the store, with no
duplicate and no rejected signature. Without --db-url a fresh SQLite file is used.
"""

from __future__ import annotations

import argparse
import multiprocessing
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from autolease.audit.service import Actor
from autolease.db import session_scope
from autolease.demo.jobs import prepare
from autolease.demo.samples import sample_application
from autolease.origination.models import Application
from autolease.origination.service.persist import transition
from autolease.runtime import Runtime, build_runtime
from autolease.webhooks.delivery import Deliverer
from autolease.webhooks.models import WebhookDelivery, WebhookEvent
from autolease.webhooks.receiver import Receiver
from benchmarks.bench_intake import reset, settings_for
from benchmarks.common import emit, load_average, machine, percentiles_ms

STATUSES = ("approved", "referred")


def setup(runtime: Runtime, receiver: Receiver) -> str:
    """Seed, submit one application, register the receiver; return the application id."""
    import random
    from datetime import UTC, datetime

    from autolease.app import create_app

    keys = prepare(runtime)
    headers = {"Authorization": f"Bearer {next(iter(keys.values()))}"}
    body = sample_application(random.Random(7), datetime.now(UTC).date())
    with TestClient(create_app(runtime=runtime)) as client:
        app = client.post("/v1/applications", json=body, headers=headers)
        assert app.status_code == 201, app.text
        endpoint = client.post(
            "/v1/webhooks/endpoints",
            json={"url": receiver.url, "event_types": ["*"]},
            headers=headers,
        )
        assert endpoint.status_code == 201, endpoint.text
    receiver.secret = endpoint.json()["secret"]
    return str(app.json()["id"])


def produce(runtime: Runtime, app_id: str, n: int, per_tx: int, rate: float | None) -> None:
    """`n` status changes of the application, `per_tx` a transaction, at `rate` a second."""
    started = time.perf_counter()
    done = 0
    while done < n:
        with session_scope(runtime.sessions) as session:
            app = session.get(Application, app_id)
            assert app is not None
            for _ in range(min(per_tx, n - done)):
                actor = Actor(key=runtime.audit_key, name="bench", at=runtime.clock.now())
                transition(session, app, STATUSES[done % 2], actor, "bench")
                done += 1
        if rate:
            ahead = done / rate - (time.perf_counter() - started)
            if ahead > 0:
                time.sleep(ahead)


def produce_elsewhere(url: str, app_id: str, n: int, per_tx: int, rate: float | None) -> None:
    """`produce` in its own process (a runtime of its own), as the API would write events:
    the writer then shares no interpreter lock with the workers and the receiver."""
    runtime = build_runtime(settings_for(url), pipeline=False)
    try:
        produce(runtime, app_id, n, per_tx, rate)
    finally:
        runtime.close()


def deliver(runtime: Runtime, workers: int, stop: threading.Event) -> list[threading.Thread]:
    def work() -> None:
        with Deliverer(runtime) as deliverer:
            deliverer.run(stop, idle_s=0.02)

    threads = [threading.Thread(target=work, daemon=True) for _ in range(workers)]
    for thread in threads:
        thread.start()
    return threads


def wait_for(receiver: Receiver, n: int, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with receiver.received.lock:
            if len(receiver.received.processed) + receiver.received.duplicates >= n:
                return
        time.sleep(0.02)


def run(
    url: str, n: int, mode: str, rate: float, workers: int, per_tx: int, writer_process: bool
) -> dict[str, Any]:
    reset(url)
    runtime = build_runtime(settings_for(url))
    with Receiver() as receiver:
        app_id = setup(runtime, receiver)
        with runtime.sessions() as session:
            before = set(session.scalars(select(WebhookEvent.id)))
        stop = threading.Event()
        if mode == "backlog":
            produce(runtime, app_id, n, per_tx, None)
        started = time.perf_counter()
        threads = deliver(runtime, workers, stop)
        if mode == "live" and not writer_process:
            produce(runtime, app_id, n, per_tx, rate)
        elif mode == "live":
            writer = multiprocessing.get_context("spawn").Process(
                target=produce_elsewhere, args=(url, app_id, n, per_tx, rate)
            )
            writer.start()
            writer.join()
            assert writer.exitcode == 0, writer.exitcode
        wait_for(receiver, n, timeout_s=600)  # the intake's events came before the endpoint
        elapsed = time.perf_counter() - started
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    with runtime.sessions() as session:
        stored = set(session.scalars(select(WebhookEvent.id))) - before
        occurred = dict(session.execute(select(WebhookEvent.id, WebhookEvent.occurred_at)).all())
        states = dict(
            session.execute(
                select(WebhookDelivery.state, func.count()).group_by(WebhookDelivery.state)
            ).all()
        )
    runtime.close()
    got = receiver.received
    processed = set(got.processed) - before
    lost, unexpected = stored - processed, processed - stored
    figures = {
        "events": len(stored),
        "processed": len(processed),
        "lost": len(lost),
        "unexpected": len(unexpected),
        "duplicates": got.duplicates,
        "rejected_signatures": got.rejected,
        "delivery_states": states,
    }
    print(f"check: {figures}", flush=True)
    assert len(stored) == n, figures
    assert not lost, figures
    assert not unexpected, figures
    assert got.duplicates == 0, figures
    assert got.rejected == 0, figures
    lags = [got.processed_at[e] - occurred[e].timestamp() for e in processed]
    lag = percentiles_ms(lags)
    return {
        **figures,
        "seconds": round(elapsed, 2),
        "deliveries_per_s": round(len(processed) / elapsed, 1),
        "lag_p50_ms": lag["p50_ms"],
        "lag_p99_ms": lag["p99_ms"],
        "lag_max_ms": round(max(lags) * 1000, 1),
        "requests": got.requests,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--mode", choices=("live", "backlog"), default="live")
    parser.add_argument("--rate", type=float, default=500.0, help="live: events written a second")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--per-transaction", type=int, default=20)
    parser.add_argument("--writer-process", action="store_true", help="live: write elsewhere")
    parser.add_argument("--db-url", default=None)
    args = parser.parse_args()
    load_before = load_average()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        result = run(
            url,
            args.events,
            args.mode,
            args.rate,
            args.workers,
            args.per_transaction,
            args.writer_process,
        )
    emit(
        "webhook_delivery",
        backend="postgresql" if url.startswith("postgresql") else "sqlite",
        mode=args.mode,
        rate=args.rate if args.mode == "live" else None,
        workers=args.workers,
        per_transaction=args.per_transaction,
        writer_process=args.writer_process,
        **result,
        load_average=[load_before, load_average()],
        **machine(),
    )


if __name__ == "__main__":
    main()
