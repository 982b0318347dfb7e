"""In-process latency of POST /v1/applications (FastAPI TestClient, real database).

Usage: python benchmarks/bench_intake.py [--requests 1000] [--db-url URL]
Without --db-url a fresh SQLite file in a temp dir is used (the embedded default).
"""

from __future__ import annotations

import argparse
import base64
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import text

from autolease import store
from autolease.app import create_app
from autolease.config import DatabaseSettings, SecuritySettings, Settings
from autolease.demo.jobs import prepare
from autolease.demo.samples import sample_application
from autolease.metadata import metadata
from autolease.runtime import build_runtime
from benchmarks.common import emit, machine, percentiles_ms


def settings_for(url: str) -> Settings:
    key = base64.b64encode(b"k" * 32).decode()
    security = SecuritySettings.model_validate(
        {"data_keys": {"k1": key}, "active_key_id": "k1", "blind_index_key": key}
    )
    return Settings(environment="test", db=DatabaseSettings(url=url), security=security)


def reset(url: str) -> None:
    if url.startswith("sqlite"):
        return
    runtime = build_runtime(settings_for(url))
    with runtime.engine.begin() as conn:
        metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    runtime.close()


def run(url: str, n: int, warmup: int = 50) -> dict[str, float]:
    import random

    reset(url)
    runtime = build_runtime(settings_for(url))
    store.upgrade(runtime.engine)
    keys = prepare(runtime)
    headers = {"Authorization": f"Bearer {next(iter(keys.values()))}"}
    rng = random.Random(7)
    today = datetime.now(UTC).date()
    bodies = [sample_application(rng, today) for _ in range(n + warmup)]
    samples: list[float] = []
    with TestClient(create_app(runtime=runtime)) as client:
        for i, body in enumerate(bodies):
            started = time.perf_counter()
            response = client.post("/v1/applications", json=body, headers=headers)
            elapsed = time.perf_counter() - started
            if response.status_code != 201:
                raise SystemExit(f"unexpected {response.status_code}: {response.text[:300]}")
            if i >= warmup:
                samples.append(elapsed)
    runtime.close()
    return percentiles_ms(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--db-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        stats = run(url, args.requests)
    backend = "postgresql" if url.startswith("postgresql") else "sqlite"
    emit("intake_post_latency", backend=backend, **stats, **machine())


if __name__ == "__main__":
    main()
