from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from autolease.audit.models import AuditHead
from autolease.dealer.models import ServiceProvider
from autolease.exceptions import IdempotencyConflict
from autolease.origination.models import Application, IdempotencyRecord
from autolease.origination.service import intake
from autolease.runtime import Runtime
from tests.conftest import START
from tests.factories import make_body, post_concurrently, setup_tenants, submit


def count_applications(runtime: Runtime) -> int:
    with runtime.sessions() as session:
        return session.scalar(select(func.count()).select_from(Application)) or 0


class TestIdempotencyKey:
    def test_same_key_same_body_replays_the_same_response(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        a, _ = setup_tenants(runtime)
        body = make_body(41)
        first = submit(client, a, body, key="k-1")
        runtime.clock.advance(seconds=30)  # type: ignore[attr-defined]
        second = submit(client, a, body, key="k-1")
        assert first.status_code == second.status_code == 201
        assert second.json() == first.json()
        assert second.headers["Idempotent-Replayed"] == "true"
        assert count_applications(runtime) == 1

    def test_same_key_other_body_is_409(self, client: TestClient, runtime: Runtime) -> None:
        a, _ = setup_tenants(runtime)
        assert submit(client, a, make_body(42), key="k-2").status_code == 201
        response = submit(client, a, make_body(43), key="k-2")
        assert response.status_code == 409
        assert response.json()["code"] == "idempotency_key_reused"
        assert count_applications(runtime) == 1

    def test_without_key_each_post_creates(self, client: TestClient, runtime: Runtime) -> None:
        a, _ = setup_tenants(runtime)
        body = make_body(44)
        assert submit(client, a, body).json()["id"] != submit(client, a, body).json()["id"]
        assert count_applications(runtime) == 2

    def test_concurrent_duplicates_create_exactly_one(self, runtime: Runtime) -> None:
        a, _ = setup_tenants(runtime)
        body = make_body(45)
        headers = {**a.headers, "Idempotency-Key": "race-1"}
        responses = post_concurrently(runtime, [(body, headers)] * 16)
        assert {r.status_code for r in responses} == {201}
        assert len({r.json()["id"] for r in responses}) == 1
        assert count_applications(runtime) == 1


class TestLosingTheRace:
    """A duplicate whose key another request stored (and committed) while it was deciding."""

    def _winner(self, runtime: Runtime, sp_id: int, request_hash: str) -> None:
        with runtime.sessions.begin() as session:
            session.add(
                IdempotencyRecord(
                    sp_id=sp_id, key="race-2", request_hash=request_hash, created_at=START,
                    response_status=201, response_body={"id": "app_winner"},
                )
            )  # fmt: skip

    def _sp_id(self, runtime: Runtime) -> int:
        setup_tenants(runtime)
        with runtime.sessions() as session:
            sp = session.scalars(select(ServiceProvider).where(ServiceProvider.code == "SP-A"))
            return sp.one().id

    def _loser(self, sp_id: int, request_hash: str) -> IdempotencyRecord:
        return IdempotencyRecord(
            sp_id=sp_id, key="race-2", request_hash=request_hash, created_at=START,
            response_status=201, response_body={"id": "app_loser"},
        )  # fmt: skip

    def test_the_loser_rolls_back_its_writes_and_replays_the_winner(self, runtime: Runtime) -> None:
        sp_id = self._sp_id(runtime)
        self._winner(runtime, sp_id, "h" * 64)
        with runtime.sessions() as session:
            session.add(AuditHead(id=2, seq=0, hash="1" * 64))  # a write of the losing request
            lost = intake._remember(session, self._loser(sp_id, "h" * 64))
            session.commit()
        assert lost is not None
        assert lost.replayed
        assert lost.body == {"id": "app_winner"}
        with runtime.sessions() as session:
            assert session.get(AuditHead, 2) is None

    def test_a_loser_with_another_body_is_a_conflict(self, runtime: Runtime) -> None:
        sp_id = self._sp_id(runtime)
        self._winner(runtime, sp_id, "h" * 64)
        with runtime.sessions() as session, pytest.raises(IdempotencyConflict):
            intake._remember(session, self._loser(sp_id, "x" * 64))

    def test_the_first_request_wins(self, runtime: Runtime) -> None:
        sp_id = self._sp_id(runtime)
        with runtime.sessions() as session:
            assert intake._remember(session, self._loser(sp_id, "h" * 64)) is None
            session.commit()
        with runtime.sessions() as session:
            stored = session.scalars(select(IdempotencyRecord)).one()
            assert stored.response_body == {"id": "app_loser"}
