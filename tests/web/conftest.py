"""Fixtures of the page tests: seeded staff and SP users with known passwords."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from autolease.audit.service import Actor
from autolease.runtime import Runtime
from autolease.seeding import seed_demo

PASSWORDS = {
    "admin": "demo-admin-password",
    "analyst": "demo-analyst-password",
    "reviewer": "demo-reviewer-password",
    "sp001": "demo-sp-user-password",
}
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def seeded(runtime: Runtime) -> Runtime:
    with runtime.sessions() as session, session.begin():
        seed_demo(session, actor=Actor(runtime.audit_key, "test", runtime.clock.now()))
    return runtime


def form_token(html: str) -> str:
    found = CSRF_FIELD.search(html)
    assert found, "no csrf_token field on the page"
    return found.group(1)


@pytest.fixture
def login(client: TestClient, seeded: Runtime) -> Callable[[str], str]:
    """Log `username` in through the login form; the session's CSRF token."""

    def log_in(username: str) -> str:
        page = client.get("/console/login")
        response = client.post(
            "/console/login",
            data={
                "username": username,
                "password": PASSWORDS[username],
                "csrf_token": form_token(page.text),
                "next": "/console/",
            },
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        home = client.get("/console/")
        assert home.status_code == 200
        return form_token(home.text)

    return log_in


def session_of(runtime: Runtime) -> Session:
    return runtime.sessions()
