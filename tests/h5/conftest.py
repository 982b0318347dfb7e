"""Fixtures of the H5 tests: two SPs with keys, an SP user of SP-A, staff, the product
catalogue, and the sandbox identity providers (as `autolease demo` runs them)."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolease.app import create_app
from autolease.audit.service import Actor
from autolease.identity.providers.service import build_checks_stage, build_identity_prefetcher
from autolease.identity.providers.settings import IdentityProviderSettings
from autolease.origination.pipeline import Stage
from autolease.product import service as product_service
from autolease.runtime import Runtime
from tests.factories import PASSWORD, Tenant, setup_tenants

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]*)"')
SANDBOX = IdentityProviderSettings(sandbox=True)


def example(name: str = "application.json") -> dict[str, Any]:
    body: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return body


def with_checks(stages: tuple[Stage, ...]) -> tuple[Stage, ...]:
    out: list[Stage] = []
    for stage in stages:
        out.append(stage)
        if stage.name == "identity":
            out.append(build_checks_stage(SANDBOX))
    return tuple(out)


@pytest.fixture
def tenants(runtime: Runtime) -> tuple[Tenant, Tenant]:
    a, b = setup_tenants(runtime)
    with runtime.sessions.begin() as session:
        product_service.seed_products(
            session, actor=Actor(runtime.audit_key, "test", runtime.clock.now())
        )
    return a, b


@pytest.fixture
def client(
    runtime: Runtime,
    monkeypatch: pytest.MonkeyPatch,
    tenants: tuple[Tenant, Tenant],
    tmp_path: Path,
) -> Iterator[TestClient]:
    monkeypatch.chdir(tmp_path)  # the local document store's default folder is relative
    checks = build_identity_prefetcher(SANDBOX, runtime.clock)
    assert checks is not None
    monkeypatch.setattr(runtime, "prefetchers", (*runtime.prefetchers, checks))
    monkeypatch.setattr(runtime, "stages", with_checks(runtime.stages))
    with TestClient(create_app(runtime=runtime)) as c:
        yield c


def h5_login(client: TestClient, username: str, password: str = PASSWORD) -> Any:
    page = client.get("/h5/login")
    token = CSRF_FIELD.search(page.text)
    assert token, "no csrf_token on the login page"
    return client.post(
        "/h5/login",
        data={"username": username, "password": password, "csrf_token": token.group(1)},
        follow_redirects=False,
    )


@pytest.fixture
def sp_page(client: TestClient) -> Callable[[], dict[str, str]]:
    """Log SP-A's user in through /h5/login; the JSON calls' headers (CSRF, JSON)."""

    def log_in() -> dict[str, str]:
        response = h5_login(client, "sp_a_user")
        assert response.status_code == 303, response.text
        page = client.get("/h5/apply")
        assert page.status_code == 200
        found = CSRF_META.search(page.text)
        assert found
        return {"X-CSRF-Token": found.group(1), "Accept": "application/json"}

    return log_in


def submission(name: str = "application.json", **consent: bool) -> dict[str, Any]:
    return {
        "application": copy.deepcopy(example(name)),
        "consent": {"personal_information": True, **consent},
    }
