"""The delivery worker: claim due deliveries, POST them signed, record each attempt.

A round claims a batch in one short transaction, posts outside any transaction (several at
once), then records the attempts and the new states in a second one. A 2xx answer delivers;
anything else, or no answer in time, is retried with exponential backoff and jitter until
`max_attempts`, then the delivery is dead. Delivery is at least once (a worker may die after
the receiver answered and before recording it): receivers process each event id once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, update

from autolease.db import insert_rows, session_scope, table_of
from autolease.webhooks import repository
from autolease.webhooks.backoff import retry_delay
from autolease.webhooks.events import body_of
from autolease.webhooks.models import SECRET_CONTEXT, WebhookAttempt, WebhookDelivery
from autolease.webhooks.repository import DEAD, DELIVERED, PENDING, Claimed
from autolease.webhooks.settings import WebhookSettings
from autolease.webhooks.signing import EVENT_TYPE_HEADER, signed_headers

if TYPE_CHECKING:
    import httpx

    from autolease.runtime import Runtime

log = logging.getLogger("autolease.webhooks")
USER_AGENT = "autolease-webhooks/1"
MAX_ERROR_CHARS = 500


@dataclass(frozen=True)
class Attempt:
    delivery_id: int
    number: int
    attempted_at: datetime
    status_code: int | None
    latency_ms: float
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass(frozen=True)
class Round:
    claimed: int
    delivered: int
    retried: int
    dead: int


class Deliverer:
    """Posts due deliveries for a runtime; `run_once` is one round, `run` loops."""

    def __init__(
        self,
        runtime: Runtime,
        *,
        client: httpx.Client | None = None,
        timer: Callable[[], float] = time.perf_counter,
        settings: WebhookSettings | None = None,
    ) -> None:
        import httpx

        self._runtime = runtime
        self._settings = settings or runtime.settings.webhooks
        self._timer = timer
        self._own_client = client is None
        self._client = client or httpx.Client(
            timeout=self._settings.timeout_s,
            follow_redirects=False,
            limits=httpx.Limits(max_connections=self._settings.concurrency),
        )
        self._pool = ThreadPoolExecutor(self._settings.concurrency, "webhook-post")

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        if self._own_client:
            self._client.close()

    def __enter__(self) -> Deliverer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def run_once(self) -> Round:
        token = self._runtime.ids.new("whc")
        claimed = self._claim(token)
        if not claimed:
            return Round(0, 0, 0, 0)
        attempts = list(self._pool.map(self._post, claimed))
        return self._record(token, attempts)

    def drain(self, max_rounds: int = 1_000_000) -> list[Round]:
        """Rounds until one claims nothing (what is due now is done, or waits for a retry)."""
        rounds = []
        for _ in range(max_rounds):
            done = self.run_once()
            if not done.claimed:
                break
            rounds.append(done)
        return rounds

    def run(self, stop: threading.Event, *, idle_s: float = 1.0) -> None:
        """Loop until `stop` is set, sleeping `idle_s` when nothing was due."""
        while not stop.is_set():
            try:
                claimed = self.run_once().claimed
            except Exception:  # a store or network hiccup must not end the worker
                log.exception("webhook delivery round failed; claimed rows return after the lease")
                claimed = 0
            if not claimed:
                stop.wait(idle_s)

    def _claim(self, token: str) -> list[Claimed]:
        runtime = self._runtime
        now = runtime.clock.now()
        lease_until = now + timedelta(seconds=self._settings.lease_s)
        with session_scope(runtime.sessions) as session:
            return repository.claim_due(
                session,
                now=now,
                lease_until=lease_until,
                token=token,
                limit=self._settings.batch_size,
            )

    def _post(self, item: Claimed) -> Attempt:
        import httpx

        runtime = self._runtime
        body = body_of(item.event_id, item.event_type, item.occurred_at, dict(item.data))
        secret = runtime.cipher.decrypt(item.secret_enc, context=SECRET_CONTEXT)
        at = runtime.clock.now()
        headers = signed_headers(secret, int(at.timestamp()), body, item.event_id)
        headers |= {
            EVENT_TYPE_HEADER: item.event_type,
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
        }
        started = self._timer()
        status, error = None, None
        try:
            # Streamed and never read: the answer's status is all that counts, whatever
            # the size of its body.
            with self._client.stream("POST", item.url, content=body, headers=headers) as response:
                status = response.status_code
            if not 200 <= status < 300:
                error = f"HTTP {status}"
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]
        latency_ms = (self._timer() - started) * 1000
        return Attempt(item.delivery_id, item.attempts + 1, at, status, latency_ms, error)

    def _record(self, token: str, attempts: list[Attempt]) -> Round:
        runtime, settings = self._runtime, self._settings
        now = runtime.clock.now()
        rows, delivered, retried, dead = [], 0, 0, 0
        for attempt in attempts:
            if attempt.ok:
                state, due, delivered = DELIVERED, now, delivered + 1
            elif attempt.number >= settings.max_attempts:
                state, due, dead = DEAD, now, dead + 1
            else:
                delay = retry_delay(
                    attempt.number,
                    base_s=settings.backoff_base_s,
                    cap_s=settings.backoff_cap_s,
                    rng=runtime.ids.rng,
                )
                state, due, retried = PENDING, now + delay, retried + 1
            rows.append(
                {
                    "b_id": attempt.delivery_id,
                    "b_claim": token,
                    "state": state,
                    "attempts": attempt.number,
                    "next_attempt_at": due,
                    "delivered_at": now if attempt.ok else None,
                }
            )
        with session_scope(runtime.sessions) as session:
            insert_rows(session, [_attempt_row(a) for a in attempts], fetch_keys=False)
            session.connection().execute(_RECORD, rows)
        return Round(len(attempts), delivered, retried, dead)


def _attempt_row(attempt: Attempt) -> WebhookAttempt:
    return WebhookAttempt(
        delivery_id=attempt.delivery_id,
        number=attempt.number,
        attempted_at=attempt.attempted_at,
        status_code=attempt.status_code,
        latency_ms=attempt.latency_ms,
        error=attempt.error,
    )


_DELIVERY = table_of(WebhookDelivery)
# Guarded by the claim token: a worker whose lease ran out, and whose rows another worker
# claimed meanwhile, changes nothing (its attempt is still logged).
_RECORD = (
    update(_DELIVERY)
    .where(
        _DELIVERY.c.id == bindparam("b_id"),
        _DELIVERY.c.claim == bindparam("b_claim"),
        _DELIVERY.c.state == PENDING,
    )
    .values(claim=None)
)
