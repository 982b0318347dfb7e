"""Delivery to a real local receiver that fails, then recovers: each event is processed once
by its id, retries back off, a dead delivery can be sent again, and workers never share a
claimed delivery."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from autolease.kit.clock import FixedClock
from autolease.runtime import Runtime
from autolease.webhooks import repository
from autolease.webhooks.delivery import Deliverer
from autolease.webhooks.models import WebhookDelivery
from autolease.webhooks.receiver import Receiver
from autolease.webhooks.settings import WebhookSettings
from tests.webhooks.conftest import Hooked


class LosesFirstAck(Receiver):
    """Processes the first request, then answers 500 as if it crashed before replying."""

    def handle(self, body: bytes, headers: dict[str, str]) -> int:
        status = super().handle(body, headers)
        return 500 if self.received.requests == 1 else status


def _receiver(runtime: Runtime, kind: type[Receiver] = Receiver, **kwargs: Any) -> Receiver:
    return kind(now=lambda: runtime.clock.now().timestamp(), **kwargs)


@pytest.fixture
def point(client: TestClient, hooked: Hooked) -> Callable[[Receiver], None]:
    """Point SP-A's endpoint at a receiver, with the endpoint's secret."""

    def to(receiver: Receiver) -> None:
        receiver.secret = hooked.endpoint["secret"]
        response = client.patch(
            f"/v1/webhooks/endpoints/{hooked.endpoint['id']}",
            json={"url": receiver.url},
            headers=hooked.a.headers,
        )
        assert response.status_code == 200, response.text

    return to


def _deliver_until_settled(runtime: Runtime, deliverer: Deliverer, rounds: int = 12) -> None:
    clock = runtime.clock
    assert isinstance(clock, FixedClock)
    for _ in range(rounds):
        deliverer.drain()
        clock.advance(hours=2)  # past any backoff


def _states(runtime: Runtime) -> dict[int, tuple[str, int]]:
    with runtime.sessions() as session:
        rows = session.execute(
            select(WebhookDelivery.id, WebhookDelivery.state, WebhookDelivery.attempts)
        )
        return {i: (state, n) for i, state, n in rows}


def _log(client: TestClient, hooked: Hooked) -> list[dict[str, Any]]:
    response = client.get("/v1/webhooks/deliveries", headers=hooked.a.headers)
    assert response.status_code == 200
    return list(response.json())


class TestFailThenRecover:
    def test_each_event_is_processed_exactly_once(
        self, client: TestClient, runtime: Runtime, hooked: Hooked, point: Any
    ) -> None:
        events = {e["id"] for e in hooked.events(client)}
        statuses = iter([503, 500, 502, 503])
        with _receiver(runtime, respond=lambda _n, _e: next(statuses, 200)) as receiver:
            point(receiver)
            with Deliverer(runtime) as deliverer:
                first = deliverer.run_once()
                assert (first.claimed, first.delivered) == (len(events), 0)
                assert deliverer.run_once().claimed == 0  # retries wait for their backoff
                _deliver_until_settled(runtime, deliverer)
        got = receiver.received
        assert set(got.processed) == events
        assert got.duplicates == 0
        assert got.rejected == 0
        assert got.requests == len(events) + 4
        assert {s for s, _ in _states(runtime).values()} == {"delivered"}
        log = _log(client, hooked)
        codes = sorted(code for d in log for code in (a["status_code"] for a in d["log"]))
        assert codes == sorted([200] * len(events) + [500, 502, 503, 503])
        for delivery in log:
            numbers = [a["number"] for a in delivery["log"]]
            assert numbers == list(range(1, delivery["attempts"] + 1))
            assert delivery["log"][-1]["status_code"] == 200
            assert all(a["latency_ms"] >= 0 for a in delivery["log"])

    def test_a_lost_answer_is_delivered_again_and_processed_once(
        self, client: TestClient, runtime: Runtime, hooked: Hooked, point: Any
    ) -> None:
        events = {e["id"] for e in hooked.events(client)}
        with _receiver(runtime, LosesFirstAck) as receiver:
            point(receiver)
            with Deliverer(runtime) as deliverer:
                _deliver_until_settled(runtime, deliverer)
        got = receiver.received
        assert set(got.processed) == events
        assert got.duplicates == 1  # the retry of the unanswered one, recognised by its id
        assert got.requests == len(events) + 1

    def test_bodies_are_the_events_as_the_api_shows_them(
        self, client: TestClient, runtime: Runtime, hooked: Hooked, point: Any
    ) -> None:
        with _receiver(runtime) as receiver:
            point(receiver)
            with Deliverer(runtime) as deliverer:
                deliverer.drain()
        for event in hooked.events(client):
            body = receiver.received.processed[event["id"]]
            assert body["type"] == event["type"]
            assert body["data"] == event["data"]
            assert body["occurred_at"].startswith(event["occurred_at"][:19])


class TestDeadAndRedelivered:
    def test_dead_after_max_attempts_then_redelivered_by_the_sp(
        self, client: TestClient, runtime: Runtime, hooked: Hooked, point: Any
    ) -> None:
        events = [e["id"] for e in hooked.events(client)]
        healthy = {"up": False}
        with _receiver(runtime, respond=lambda _n, _e: 200 if healthy["up"] else 500) as receiver:
            point(receiver)
            settings = WebhookSettings(max_attempts=3)
            with Deliverer(runtime, settings=settings) as deliverer:
                _deliver_until_settled(runtime, deliverer)
                assert set(_states(runtime).values()) == {("dead", 3)}
                assert receiver.received.processed == {}
                healthy["up"] = True
                again = client.post(
                    f"/v1/webhooks/events/{events[0]}/redeliver", headers=hooked.a.headers
                )
                assert again.status_code == 202, again.text
                _deliver_until_settled(runtime, deliverer)
        assert list(receiver.received.processed) == [events[0]]
        log = [d for d in _log(client, hooked) if d["event_id"] == events[0]]
        assert sorted(d["state"] for d in log) == ["dead", "delivered"]

    def test_an_old_signature_is_refused_by_the_receiver(
        self, client: TestClient, runtime: Runtime, hooked: Hooked, point: Any
    ) -> None:
        late = Receiver(now=lambda: runtime.clock.now().timestamp() + 301)
        with late as receiver:
            point(receiver)
            with Deliverer(runtime) as deliverer:
                deliverer.run_once()
        assert receiver.received.rejected == receiver.received.requests > 0
        assert receiver.received.processed == {}
        assert {s for s, _ in _states(runtime).values()} == {"pending"}

    def test_an_inactive_endpoint_is_not_posted_to(
        self, client: TestClient, runtime: Runtime, hooked: Hooked, point: Any
    ) -> None:
        with _receiver(runtime) as receiver:
            point(receiver)
            client.patch(
                f"/v1/webhooks/endpoints/{hooked.endpoint['id']}",
                json={"active": False},
                headers=hooked.a.headers,
            )
            with Deliverer(runtime) as deliverer:
                assert deliverer.run_once().claimed == 0
        assert receiver.received.requests == 0


class TestClaims:
    def test_workers_never_claim_the_same_delivery(self, runtime: Runtime, hooked: Hooked) -> None:
        now = runtime.clock.now()
        lease = now.replace(year=now.year + 1)
        first = runtime.sessions()
        mine = repository.claim_due(first, now=now, lease_until=lease, token="w1", limit=1)
        if runtime.engine.dialect.name == "sqlite":
            first.commit()  # one writer at a time: the second claims after the first commits
        second = runtime.sessions()
        theirs = repository.claim_due(second, now=now, lease_until=lease, token="w2", limit=10)
        second.commit()
        first.commit()
        first.close()
        second.close()
        assert len(mine) == 1
        assert theirs
        assert {c.delivery_id for c in mine}.isdisjoint(c.delivery_id for c in theirs)
        with runtime.sessions() as session:
            claims = dict(session.execute(select(WebhookDelivery.id, WebhookDelivery.claim)).all())
        assert claims[mine[0].delivery_id] == "w1"
        assert all(claims[c.delivery_id] == "w2" for c in theirs)

    def test_a_claim_ends_with_its_lease(self, runtime: Runtime, hooked: Hooked) -> None:
        clock = runtime.clock
        assert isinstance(clock, FixedClock)
        now = clock.now()
        with runtime.sessions.begin() as session:
            taken = repository.claim_due(
                session, now=now, lease_until=now + timedelta(seconds=60), token="w1", limit=10
            )
        with runtime.sessions.begin() as session:
            assert not repository.claim_due(session, now=now, lease_until=now, token="w2", limit=10)
        clock.advance(seconds=61)  # the first worker died: its rows come back
        with runtime.sessions.begin() as session:
            again = repository.claim_due(
                session, now=clock.now(), lease_until=clock.now(), token="w3", limit=10
            )
        assert {c.delivery_id for c in again} == {c.delivery_id for c in taken}


class TestNoAnswer:
    def test_a_closed_port_is_logged_and_retried(
        self, client: TestClient, runtime: Runtime, hooked: Hooked
    ) -> None:
        # The fixture's endpoint points at 127.0.0.1:9, where nothing listens.
        with Deliverer(runtime) as deliverer:
            done = deliverer.run_once()
        assert (done.claimed, done.delivered, done.retried) == (2, 0, 2)
        for delivery in _log(client, hooked):
            assert delivery["state"] == "pending"
            assert delivery["next_attempt_at"] > delivery["log"][0]["attempted_at"]
            (attempt,) = delivery["log"]
            assert attempt["status_code"] is None
            assert attempt["error"].startswith("ConnectError")

    def test_the_loop_outlives_a_failing_round(
        self, runtime: Runtime, hooked: Hooked, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        import threading

        stop = threading.Event()
        rounds = {"n": 0}

        def failing() -> Any:
            rounds["n"] += 1
            if rounds["n"] >= 3:
                stop.set()
            raise RuntimeError("store went away")

        with Deliverer(runtime) as deliverer:
            monkeypatch.setattr(deliverer, "run_once", failing)
            deliverer.run(stop, idle_s=0.01)
        assert rounds["n"] == 3


class TestConcurrentWorkers:
    def test_two_workers_post_each_delivery_once(
        self, client: TestClient, runtime: Runtime, hooked: Hooked, point: Any
    ) -> None:
        import threading

        for event in hooked.events(client):
            for _ in range(10):
                again = client.post(
                    f"/v1/webhooks/events/{event['id']}/redeliver", headers=hooked.a.headers
                )
                assert again.status_code == 202
        total = len(_states(runtime))
        settings = WebhookSettings(batch_size=3, concurrency=2)
        with _receiver(runtime) as receiver:
            point(receiver)
            with (
                Deliverer(runtime, settings=settings) as one,
                Deliverer(runtime, settings=settings) as two,
            ):
                threads = [threading.Thread(target=w.drain) for w in (one, two)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(timeout=60)
        assert receiver.received.requests == total == 22
        assert set(_states(runtime).values()) == {("delivered", 1)}
