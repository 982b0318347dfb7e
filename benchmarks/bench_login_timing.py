"""Does a login answer as fast for an unknown username as for a known one (a wrong password)?

Usage: python -m benchmarks.bench_login_timing [--requests 30] [--db-url URL]

In-process (FastAPI TestClient) on a fresh SQLite file unless --db-url is given; the
throttle's limits are raised so that every attempt reaches the password check. Attempts
alternate between the kinds so that load on the host affects each alike.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from autolease import store
from autolease.app import create_app
from autolease.auth import service as auth_service
from autolease.auth.principal import Role
from autolease.config import LoginThrottleSettings
from autolease.runtime import build_runtime
from benchmarks.bench_intake import reset, settings_for
from benchmarks.common import emit, load_average, machine

PASSWORD = "benchmark password 1"
KINDS = {
    "existing_user_wrong_password": ("bench.user", "wrong password"),
    "unknown_user": ("no.such.user", "wrong password"),
    "existing_user_right_password": ("bench.user", PASSWORD),
}


def measure(url: str, n: int) -> dict[str, float]:
    reset(url)
    settings = settings_for(url)
    settings.security.login_throttle = LoginThrottleSettings(
        max_failures_per_user=10**9, max_failures_per_ip=10**9
    )
    runtime = build_runtime(settings)
    store.upgrade(runtime.engine)
    with runtime.sessions.begin() as session:
        auth_service.create_user(
            session,
            username="bench.user",
            display_name="bench",
            role=Role.ADMIN,
            password=PASSWORD,
            sp_code=None,
            at=runtime.clock.now(),
        )
    samples: dict[str, list[float]] = {kind: [] for kind in KINDS}
    with TestClient(create_app(runtime=runtime)) as client:
        for i in range(n + 2):  # the first two rounds warm up (the dummy hash is made once)
            for kind, (username, password) in KINDS.items():
                elapsed = timed(lambda u=username, p=password: post(client, u, p))
                if i >= 2:
                    samples[kind].append(elapsed)
    runtime.close()
    return {f"{kind}_p50_ms": round(statistics.median(s) * 1000, 1) for kind, s in samples.items()}


def post(client: TestClient, username: str, password: str) -> None:
    response = client.post("/v1/auth/token", json={"username": username, "password": password})
    expected = 200 if password == PASSWORD else 401
    if response.status_code != expected:
        raise RuntimeError(f"{username}: {response.status_code} {response.text}")


def timed(call: Callable[[], None]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--db-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        before = load_average()
        figures = measure(url, args.requests)
    emit(
        "login_timing",
        requests_per_kind=args.requests,
        store=url.split(":", 1)[0],
        load_before=before,
        load_after=load_average(),
        **figures,
        **machine(),
    )


if __name__ == "__main__":
    main()
