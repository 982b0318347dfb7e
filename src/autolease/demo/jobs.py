"""The main job: migrate, seed, serve the API, submit sample applications through it."""

from __future__ import annotations

import secrets
import socket
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn

from autolease import store
from autolease.app import create_app
from autolease.audit import service as audit_service
from autolease.auth import service as auth_service
from autolease.cli_support import system_actor, transaction
from autolease.dealer import service as dealer_service
from autolease.demo.samples import sample_batch
from autolease.kit.clock import business_date
from autolease.runtime import Runtime
from autolease.seeding import seed_demo
from autolease.serving import uvicorn_config
from autolease.synth.payloads import SynthPayload


@dataclass
class DemoSummary:
    submitted: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    by_sp: Counter[tuple[str, str]] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    rejected_fields: Counter[str] = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)
    responses: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def p(self, q: float) -> float:
        if len(self.latencies_ms) < 2:
            return self.latencies_ms[0] if self.latencies_ms else 0.0
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[int(q) - 1]

    def as_dict(self) -> dict[str, Any]:
        """The summary as JSON-safe data (what ``autolease demo --summary-json`` writes)."""
        total = self.submitted or 1
        return {
            "submitted": self.submitted,
            "outcomes": dict(self.outcomes.most_common()),
            "shares": {o: round(c / total, 4) for o, c in self.outcomes.most_common()},
            "reasons": dict(self.reasons.most_common(10)),
            "rejected_fields": dict(self.rejected_fields.most_common(5)),
            "latency_ms": {"p50": round(self.p(50), 1), "p99": round(self.p(99), 1)},
        }


def prepare(runtime: Runtime) -> dict[str, str]:
    """Migrate, seed, and issue one fresh API key per SP; return {sp_code: api_key}."""
    store.upgrade(runtime.engine)
    keys: dict[str, str] = {}
    with transaction(runtime) as session:
        actor = system_actor(runtime, "system:demo")
        seed_demo(session, actor=actor)
        for sp in dealer_service.list_all(session):
            new, row = auth_service.issue_api_key(
                session, sp_code=sp.code, label="demo", at=actor.at, token_hex=secrets.token_hex
            )
            audit_service.log(
                session,
                actor,
                "api_key.issued",
                entity_type="service_provider",
                entity_id=sp.code,
                payload={"prefix": row.prefix, "label": "demo"},
            )
            keys[sp.code] = new.plaintext
    return keys


def start_server(
    runtime: Runtime,
    host: str,
    port: int,
    *,
    sock: socket.socket | None = None,
    log_level: str = "warning",
) -> tuple[uvicorn.Server, threading.Thread]:
    """Serve the API from a background thread; `port=0` picks a free port (see `bound_port`).

    With `sock` (bound by `cli_support.listen_socket`), the server listens on it instead.
    """
    app = create_app(runtime=runtime)
    server = uvicorn.Server(uvicorn_config(app, host=host, port=port, log_level=log_level))
    sockets = [sock] if sock is not None else None
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": sockets}, name="autolease-api", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError(f"the API did not start on {host}:{port} (is the port taken?)")
        time.sleep(0.05)
    return server, thread


def submit_samples(
    base_url: str, keys: dict[str, str], *, n: int, seed: int, runtime: Runtime
) -> DemoSummary:
    """Submit `n` generated sample bodies, spread over the SPs in turn."""
    codes = sorted(keys)
    batch = sample_batch(seed, n, business_date(runtime.clock.now()))
    return _post_all(
        base_url,
        keys,
        [(codes[i % len(codes)], f"demo-{seed}-{i}", body) for i, (_, body) in enumerate(batch)],
    )


def submit_payloads(
    base_url: str, keys: dict[str, str], payloads: list[SynthPayload]
) -> DemoSummary:
    """Submit synthetic-book payloads, each through its own SP."""
    return _post_all(base_url, keys, [(p.sp_code, p.idempotency_key, p.body) for p in payloads])


def _post_all(
    base_url: str, keys: dict[str, str], items: list[tuple[str, str, dict[str, Any]]]
) -> DemoSummary:
    summary = DemoSummary()
    with httpx.Client(base_url=base_url, timeout=30) as client:
        for sp, idempotency_key, body in items:
            headers = {"Authorization": f"Bearer {keys[sp]}", "Idempotency-Key": idempotency_key}
            started = time.perf_counter()
            response = client.post("/v1/applications", json=body, headers=headers)
            summary.latencies_ms.append((time.perf_counter() - started) * 1000)
            _tally(summary, sp, response)
    return summary


def _tally(summary: DemoSummary, sp: str, response: httpx.Response) -> None:
    summary.submitted += 1
    data = response.json()
    if response.status_code in (200, 201):
        summary.responses.append((sp, data))
        outcome = data["decision"]["outcome"]
        summary.outcomes[outcome] += 1
        summary.by_sp[(sp, outcome)] += 1
        summary.reasons.update(
            r["code"] for r in data["decision"]["reasons"] if r["severity"] != "info"
        )
    else:
        summary.outcomes[f"rejected {response.status_code}"] += 1
        summary.rejected_fields.update(
            f"{e['field']} ({e['rule']})" for e in data.get("errors", [])
        )


def bound_port(server: uvicorn.Server) -> int:
    port: int = server.servers[0].sockets[0].getsockname()[1]
    return port
