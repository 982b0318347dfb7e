"""Plain make_* helpers for tests."""

from __future__ import annotations

import copy
import random
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from autolease.audit.models import AuditEvent
from autolease.auth import service as auth_service
from autolease.auth.models import StaffUser
from autolease.auth.principal import Role
from autolease.dealer import service as dealer_service
from autolease.dealer.schemas import SpCreate
from autolease.demo.jobs import bound_port, start_server
from autolease.demo.samples import sample_application
from autolease.runtime import Runtime

TODAY = date(2026, 11, 29)
PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Tenant:
    code: str
    api_key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}


def make_body(seed: int = 1, kind: str = "clean") -> dict[str, Any]:
    return sample_application(random.Random(seed), TODAY, kind)


def make_sp(session: Session, runtime: Runtime, code: str = "SP-T-001", grade: str = "B") -> Tenant:
    data = SpCreate.model_validate(
        {"code": code, "name": f"{code} 测试", "region": "上海", "grade": grade}
    )
    dealer_service.create(session, data=data, at=runtime.clock.now())
    new, _ = auth_service.issue_api_key(
        session, sp_code=code, label="test", at=runtime.clock.now(), token_hex=secrets.token_hex
    )
    return Tenant(code, new.plaintext)


def make_user(
    session: Session, runtime: Runtime, username: str, role: Role, sp_code: str | None = None
) -> None:
    auth_service.create_user(
        session,
        username=username,
        display_name=username,
        role=role,
        password=PASSWORD,
        sp_code=sp_code,
        at=runtime.clock.now(),
    )


def setup_tenants(runtime: Runtime) -> tuple[Tenant, Tenant]:
    with runtime.sessions.begin() as session:
        a = make_sp(session, runtime, "SP-A")
        b = make_sp(session, runtime, "SP-B")
        make_user(session, runtime, "admin", Role.ADMIN)
        make_user(session, runtime, "analyst", Role.RISK_ANALYST)
        make_user(session, runtime, "reviewer", Role.REVIEWER)
        make_user(session, runtime, "sp_a_user", Role.SP_USER, sp_code="SP-A")
    return a, b


def user_named(runtime: Runtime, username: str) -> StaffUser:
    with runtime.sessions() as session:
        return session.scalars(select(StaffUser).where(StaffUser.username == username)).one()


def audit_events(runtime: Runtime, action: str) -> list[AuditEvent]:
    """The audit events of one action, in chain order."""
    with runtime.sessions() as session:
        query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)
        return list(session.scalars(query))


def login(client: TestClient, username: str) -> dict[str, str]:
    response = client.post("/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def submit(client: TestClient, tenant: Tenant, body: dict[str, Any], key: str | None = None) -> Any:
    headers = dict(tenant.headers)
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post("/v1/applications", json=copy.deepcopy(body), headers=headers)


def post_concurrently(
    runtime: Runtime, posts: list[tuple[dict[str, Any], dict[str, str]]], workers: int = 8
) -> list[httpx.Response]:
    """POST each (body, headers) to /v1/applications of a real server, `workers` at a time."""
    server, thread = start_server(runtime, "127.0.0.1", 0)
    port = bound_port(server)

    def post(item: tuple[dict[str, Any], dict[str, str]]) -> httpx.Response:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as c:
            return c.post("/v1/applications", json=item[0], headers=item[1])

    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(post, posts))
    finally:
        server.should_exit = True
        thread.join(timeout=10)
