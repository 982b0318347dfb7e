"""Two SPs with one application each, staff users, and the document store in a temp folder."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from autolease.app import create_app
from autolease.documents.store import LocalStore
from autolease.runtime import Runtime
from tests.factories import Tenant, make_body, setup_tenants, submit


@dataclass(frozen=True)
class World:
    a: Tenant
    b: Tenant
    app_a: str
    app_b: str
    store: LocalStore


@pytest.fixture
def store_root(runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The runtime's document folder, pointed at a temp folder for this test."""
    root = tmp_path / "documents"
    monkeypatch.setattr(runtime.settings.documents, "root", root)
    return root


@pytest.fixture
def doc_client(runtime: Runtime, store_root: Path) -> Iterator[TestClient]:
    with TestClient(create_app(runtime=runtime)) as c:
        yield c


@pytest.fixture
def world(doc_client: TestClient, runtime: Runtime, store_root: Path) -> World:
    a, b = setup_tenants(runtime)
    app_a = submit(doc_client, a, make_body(31)).json()["id"]
    app_b = submit(doc_client, b, make_body(32)).json()["id"]
    return World(a, b, app_a, app_b, LocalStore(store_root))
