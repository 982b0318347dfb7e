"""Document uploads and downloads through the API, and the sealing alone.

Usage:
    python -m benchmarks.bench_documents [--mib 1] [--requests 30] [--db-url URL]

In-process (TestClient) against a fresh store: SQLite in a temp dir unless ``--db-url`` is
given (it is emptied), the document folder in a temp dir. One SP submits one application,
then uploads ``--requests`` distinct files of ``--mib`` MiB (a JPEG header and random bytes)
and downloads each once. Reported: upload and download latency (p50, p99) and MiB/s, and
the AES-GCM seal/unseal throughput on the same size without HTTP.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import tempfile
import time
from datetime import date
from pathlib import Path

from benchmarks.common import emit, load_average, machine, percentiles_ms

MIB = 1024 * 1024
JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=float, default=1.0)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--db-url", default=None)
    args = parser.parse_args()
    size = int(args.mib * MIB)
    with tempfile.TemporaryDirectory() as tmp:
        run(Path(tmp), size, args.requests, args.db_url)


def run(tmp: Path, size: int, requests: int, db_url: str | None) -> None:
    from fastapi.testclient import TestClient

    from autolease.app import create_app
    from autolease.config import ApiSettings, DatabaseSettings, SecuritySettings, Settings
    from autolease.documents.settings import DocumentSettings
    from autolease.runtime import build_runtime

    settings = Settings(
        environment="test",
        db=DatabaseSettings(url=db_url or f"sqlite:///{tmp / 'bench.db'}"),
        security=SecuritySettings(keyfile=tmp / "keys.json"),
        api=ApiSettings(freeze_startup_heap=False),
        artifacts_dir=tmp / "artifacts",
        documents=DocumentSettings(root=tmp / "documents", max_bytes=max(size + 1024, 1024)),
    )
    runtime = build_runtime(settings)
    fresh_store(runtime)
    headers = tenant(runtime)
    files = [JPEG_HEAD + os.urandom(size - len(JPEG_HEAD)) for _ in range(requests)]
    with TestClient(create_app(runtime=runtime)) as client:
        app_id = submit(client, headers)
        base = f"/v1/applications/{app_id}/documents"
        up, urls = [], []
        for data in files:
            started = time.perf_counter()
            r = client.post(base, data={"kind": "bank_card"}, files={"file": ("x", data)},
                            headers=headers)  # fmt: skip
            up.append(time.perf_counter() - started)
            assert r.status_code == 201, r.text
            urls.append(r.json()["content_url"])
        down = []
        for url, data in zip(urls, files, strict=True):
            started = time.perf_counter()
            r = client.get(url, headers=headers)
            down.append(time.perf_counter() - started)
            assert r.content == data
    report("upload", up, size)
    report("download", down, size)
    sealing(runtime, files[0])
    runtime.close()


def report(name: str, samples: list[float], size: int) -> None:
    mib_s = round(len(samples) * size / MIB / sum(samples), 1)
    emit(f"documents_{name}", bytes=size, **percentiles_ms(samples), mib_per_s=mib_s,
         load=load_average(), **machine())  # fmt: skip


def sealing(runtime: object, data: bytes) -> None:
    from autolease.runtime import Runtime

    assert isinstance(runtime, Runtime)
    seal, unseal = [], []
    for _ in range(20):
        started = time.perf_counter()
        blob = runtime.cipher.seal(data, context="document:bench")
        seal.append(time.perf_counter() - started)
        started = time.perf_counter()
        runtime.cipher.unseal(blob, context="document:bench")
        unseal.append(time.perf_counter() - started)
    report("seal", seal, len(data))
    report("unseal", unseal, len(data))


def fresh_store(runtime: object) -> None:
    from sqlalchemy import text

    from autolease import store
    from autolease.metadata import metadata
    from autolease.runtime import Runtime

    assert isinstance(runtime, Runtime)
    with runtime.engine.begin() as conn:
        metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    store.upgrade(runtime.engine)


def tenant(runtime: object) -> dict[str, str]:
    from autolease.auth import service as auth_service
    from autolease.dealer import service as dealer_service
    from autolease.dealer.schemas import SpCreate
    from autolease.runtime import Runtime

    assert isinstance(runtime, Runtime)
    with runtime.sessions.begin() as session:
        data = SpCreate.model_validate({"code": "SP-BENCH", "name": "基准", "region": "上海"})
        dealer_service.create(session, data=data, at=runtime.clock.now())
        key, _ = auth_service.issue_api_key(
            session,
            sp_code="SP-BENCH",
            label="bench",
            at=runtime.clock.now(),
            token_hex=secrets.token_hex,
        )
    return {"Authorization": f"Bearer {key.plaintext}"}


def submit(client: object, headers: dict[str, str]) -> str:
    from fastapi.testclient import TestClient

    from autolease.demo.samples import sample_application

    assert isinstance(client, TestClient)
    body = sample_application(random.Random(1), date.today(), "clean")
    r = client.post("/v1/applications", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


if __name__ == "__main__":
    main()
