"""Crash safety: kill -9 a real server during submissions; no acknowledged application is lost.

Usage:
    python scripts/crash_safety.py [--db-url URL] [--kills 30] [--control-kills 5] [--seed 1]

A uvicorn server (the real app, no models) runs on a free port of 127.0.0.1 in a child
process, forked from this one so that a restart does not import everything again.
Client threads submit sample applications, each with its own Idempotency-Key, while the
server is killed with SIGKILL at a random moment within 0.6 s of an acknowledgement,
`--kills` times. After each restart every
unacknowledged submission and a few acknowledged ones are sent again with the same key and
body; at the end every submission has been acknowledged. Then the store is read directly:

- lost: an id the client saw in a 201 that is not in the store;
- duplicates: keys with more than one application, or a retry answered with another id.

The negative control runs the same harness against a writer that answers 201 *before* it
commits (the commit follows a moment later), and must lose acknowledged applications: a
harness that cannot see that loss proves nothing. Exit status 1 when the real server loses
or duplicates anything, or when the control loses nothing.

The store (SQLite in a temporary directory, or `--db-url`) is emptied and migrated first:
point `--db-url` only at a database meant for tests.
"""

import argparse
import multiprocessing
import os
import random
import secrets
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import BackgroundTasks, Body, FastAPI, Header
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy import select

# All imported before the first fork, so that a server child starts in a fraction of a second.
from autolease import store
from autolease.app import create_app
from autolease.auth import service as auth_service
from autolease.auth.dependencies import actor_of, authenticate
from autolease.config import get_settings
from autolease.dealer import service as dealer_service
from autolease.dealer.schemas import SpCreate
from autolease.demo.samples import sample_application
from autolease.kit.clock import business_date
from autolease.metadata import metadata
from autolease.origination import service
from autolease.origination.models import Application, IdempotencyRecord
from autolease.origination.schemas import ApplicationCreate
from autolease.runtime import build_runtime

COMMIT_DELAY_S = 1.0  # the control's window between its 201 and its commit
CLIENTS = 3
RETRIED_ACKNOWLEDGED = 3  # acknowledged submissions sent again after each restart
START_TIMEOUT_S = 90.0


# --- the server process -------------------------------------------------------------------


def serve(port: int, control: bool) -> None:
    app = control_app() if control else create_app()
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def control_app() -> Any:
    """The negative control: `POST /v1/applications` answers 201, then commits after a delay."""
    runtime = build_runtime(get_settings())
    app = FastAPI()

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/v1/applications")
    def acknowledge_before_commit(
        background: BackgroundTasks,
        body: dict[str, Any] = Body(),  # noqa: B008
        authorization: str = Header(),
        idempotency_key: str = Header(alias="Idempotency-Key"),
    ) -> JSONResponse:
        session = runtime.sessions()
        principal = authenticate(session, runtime, authorization=authorization, x_api_key=None)
        result = service.submit(
            session,
            data=ApplicationCreate.model_validate(body),
            principal=principal,
            actor=actor_of(runtime, principal),
            cipher=runtime.cipher,
            ids=runtime.ids,
            stages=runtime.stages,
            prefetchers=runtime.prefetchers,
            idempotency_key=idempotency_key,
        )
        background.add_task(commit_later, session)
        return JSONResponse(jsonable_encoder(result.body), status_code=result.status_code)

    return app


def commit_later(session: Any) -> None:
    time.sleep(COMMIT_DELAY_S)
    try:
        session.commit()
    finally:
        session.close()


# --- the store ----------------------------------------------------------------------------


def reset_store() -> str:
    """Empty and migrate the store, create one SP with an API key; return the key."""
    runtime = build_runtime(get_settings())
    with runtime.engine.begin() as conn:
        metadata.drop_all(conn)
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    store.upgrade(runtime.engine)
    data = SpCreate.model_validate({"code": "SP-CRASH", "name": "崩溃测试", "region": "上海"})
    with runtime.sessions.begin() as session:
        dealer_service.create(session, data=data, at=runtime.clock.now())
        issued, _ = auth_service.issue_api_key(
            session, sp_code="SP-CRASH", label="crash", at=runtime.clock.now(),
            token_hex=secrets.token_hex,
        )  # fmt: skip
    runtime.close()
    return issued.plaintext


def stored() -> tuple[set[str], dict[str, list[str | None]]]:
    """The application ids in the store, and the application ids recorded per key."""
    runtime = build_runtime(get_settings())
    with runtime.sessions() as session:
        ids = set(session.scalars(select(Application.id)))
        per_key: dict[str, list[str | None]] = {}
        for key, app_id in session.execute(
            select(IdempotencyRecord.key, IdempotencyRecord.application_id)
        ):
            per_key.setdefault(key, []).append(app_id)
    runtime.close()
    return ids, per_key


# --- the client ---------------------------------------------------------------------------


@dataclass
class Ledger:
    """What the client sent and what it was told, per Idempotency-Key."""

    bodies: dict[str, dict[str, Any]] = field(default_factory=dict)
    acknowledged: dict[str, str] = field(default_factory=dict)
    mismatches: list[str] = field(default_factory=list)
    sent: int = 0
    unanswered: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, key: str, response: httpx.Response | None) -> None:
        with self.lock:
            self.sent += 1
            if response is None or response.status_code != 201:
                self.unanswered += 1
                return
            app_id = response.json()["id"]
            first = self.acknowledged.setdefault(key, app_id)
            if first != app_id:
                self.mismatches.append(key)

    def unacknowledged(self) -> list[str]:
        return [key for key in self.bodies if key not in self.acknowledged]


def post(base: str, api_key: str, key: str, body: dict[str, Any]) -> httpx.Response | None:
    headers = {"Authorization": f"Bearer {api_key}", "Idempotency-Key": key}
    try:
        return httpx.post(f"{base}/v1/applications", json=body, headers=headers, timeout=60)
    except httpx.HTTPError:
        return None


def submit_until(stop: threading.Event, base: str, api_key: str, ledger: Ledger, name: str) -> None:
    rng = random.Random(name)
    n = 0
    while not stop.is_set():
        key, n = f"{name}-{n}", n + 1
        body = sample_application(rng, sample_day(), "clean")
        with ledger.lock:
            ledger.bodies[key] = body
        response = post(base, api_key, key, body)
        ledger.record(key, response)
        if response is None:
            return


def sample_day() -> Any:
    return business_date(datetime.now(UTC))


def retry(base: str, api_key: str, ledger: Ledger, rng: random.Random) -> None:
    """Send again every unacknowledged submission and a few acknowledged ones."""
    acknowledged = sorted(ledger.acknowledged)
    again = ledger.unacknowledged() + rng.sample(
        acknowledged, min(RETRIED_ACKNOWLEDGED, len(acknowledged))
    )
    for key in again:
        ledger.record(key, post(base, api_key, key, ledger.bodies[key]))


# --- the harness --------------------------------------------------------------------------


@dataclass
class Outcome:
    test: str
    kills: int
    sent: int = 0
    acknowledged: int = 0
    lost: int = 0
    duplicates: int = 0
    unfinished: int = 0

    @property
    def failures(self) -> int:
        return self.lost + self.duplicates + self.unfinished


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def server(control: bool) -> Iterator[tuple[BaseProcess, str]]:
    port = free_port()
    process = multiprocessing.get_context("fork").Process(target=serve, args=(port, control))
    process.start()
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(process, base)
        yield process, base
    finally:
        if process.is_alive():
            process.terminate()
        process.join(timeout=30)


def wait_ready(process: BaseProcess, base: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if not process.is_alive():
            raise RuntimeError(f"the server exited with {process.exitcode}")
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start in time")


def kill_during_submissions(
    base: str, process: BaseProcess, api_key: str, ledger: Ledger, rng: random.Random
) -> None:
    stop = threading.Event()
    names = [f"c{i}-{rng.getrandbits(40):010x}" for i in range(CLIENTS)]
    threads = [
        threading.Thread(target=submit_until, args=(stop, base, api_key, ledger, name))
        for name in names
    ]
    acknowledged = len(ledger.acknowledged)
    for thread in threads:
        thread.start()
    wait_for_acknowledgement(ledger, acknowledged)
    time.sleep(rng.uniform(0.0, 0.6))
    process.kill()  # SIGKILL
    process.join()
    stop.set()
    for thread in threads:
        thread.join(timeout=90)


def wait_for_acknowledgement(ledger: Ledger, seen: int) -> None:
    """Kill only once this window has acknowledged something: the moment right after a 201
    is when a writer that answers before it commits loses what it acknowledged."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while len(ledger.acknowledged) <= seen and time.monotonic() < deadline:
        time.sleep(0.01)


def run_case(test: str, kills: int, *, control: bool, seed: int) -> Outcome:
    api_key, ledger, rng = reset_store(), Ledger(), random.Random(seed)
    for _ in range(kills):
        with server(control) as (process, base):
            retry(base, api_key, ledger, rng)
            kill_during_submissions(base, process, api_key, ledger, rng)
    with server(control) as (_, base):
        for _ in range(3):
            retry(base, api_key, ledger, rng)
        if control:
            time.sleep(COMMIT_DELAY_S * 3)  # let the last background commits land
    return judge(test, kills, ledger)


def judge(test: str, kills: int, ledger: Ledger) -> Outcome:
    in_store, per_key = stored()
    seen = set(ledger.acknowledged.values())
    duplicates = len(ledger.mismatches) + sum(len(ids) > 1 for ids in per_key.values())
    duplicates += len(in_store - {i for ids in per_key.values() for i in ids})
    return Outcome(
        test=test,
        kills=kills,
        sent=ledger.sent,
        acknowledged=len(ledger.acknowledged),
        lost=len(seen - in_store),
        duplicates=duplicates,
        unfinished=len(ledger.unacknowledged()),
    )


# --- main ---------------------------------------------------------------------------------


def configure(args: argparse.Namespace, workdir: Path) -> None:
    """Settings for this process and the servers it starts, through the environment."""
    url = args.db_url or f"sqlite:///{workdir / 'crash.db'}"
    os.environ.update({
        "AUTOLEASE_DB__URL": url,
        "AUTOLEASE_SECURITY__KEYFILE": str(workdir / "keys.json"),
        "AUTOLEASE_ARTIFACTS_DIR": str(workdir / "artifacts"),
        "AUTOLEASE_API__FREEZE_STARTUP_HEAP": "false",
        "AUTOLEASE_LOG_LEVEL": "WARNING",
    })  # fmt: skip


def report(outcomes: list[Outcome]) -> None:
    print("| test | tries (kills) | requests | keys acknowledged | failures | lost |")
    print("|---|---:|---:|---:|---:|---:|")
    for o in outcomes:
        print(f"| {o.test} | {o.kills} | {o.sent} | {o.acknowledged} | {o.failures} | {o.lost} |")


def verdict(real: Outcome, control: Outcome) -> int:
    if real.failures:
        print(f"FAIL: {real.lost} lost, {real.duplicates} duplicated, {real.unfinished} unfinished")
        return 1
    if control.lost == 0:
        print("FAIL: the control (201 before commit) lost nothing: the harness cannot see losses")
        return 1
    print("OK: nothing acknowledged was lost, one application per key; the control was caught")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-url", default=None)
    parser.add_argument("--kills", type=int, default=30)
    parser.add_argument("--control-kills", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="crash-safety-") as tmp:
        configure(args, Path(tmp))
        store = "postgresql" if (args.db_url or "").startswith("postgresql") else "sqlite"
        real = run_case(f"kill -9, {store}", args.kills, control=False, seed=args.seed)
        control = run_case(
            f"control: 201 before commit, {store}", args.control_kills, control=True, seed=args.seed
        )
    report([real, control])
    return verdict(real, control)


if __name__ == "__main__":
    sys.exit(main())
