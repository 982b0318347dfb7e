"""Migration 0004_sp_view_rows: corporate names masked, stored submit responses in the SP view."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from alembic.migration import MigrationContext
from alembic.operations import Operations
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from autolease.origination.models import Applicant, IdempotencyRecord
from autolease.runtime import Runtime
from tests.factories import make_body, setup_tenants, submit

VERSIONS = Path(__file__).parents[1] / "src" / "autolease" / "migrations" / "versions"
NAME = "上海欧阳测试商贸有限公司"


def migration() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "sp_view_rows", VERSIONS / "2026-12-07_sp_view_rows.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rows_written_before_are_rewritten(client: TestClient, runtime: Runtime) -> None:
    a, _ = setup_tenants(runtime)
    body = make_body(81, "corporate")
    body["applicant"]["name"] = NAME
    created = submit(client, a, body, key="old-1").json()
    old_body = dict(created, applicant=dict(created["applicant"], name=NAME))
    old_body["status_history"] = [
        dict(e, actor="apikey:ab12cd34", note="received") for e in created["status_history"]
    ]
    with runtime.sessions.begin() as session:  # as the code before this change stored them
        session.execute(update(Applicant).values(name_masked=NAME))
        session.execute(update(IdempotencyRecord).values(response_body=old_body))
    with runtime.engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        migration().upgrade()
    with runtime.sessions() as session:
        assert session.scalars(select(Applicant.name_masked)).one() == "上海" + "*" * 8 + "公司"
    replayed = submit(client, a, body, key="old-1")
    assert replayed.status_code == 201, replayed.text
    assert replayed.headers["Idempotent-Replayed"] == "true"
    assert replayed.json() == created
    assert NAME not in replayed.text


def test_it_leaves_masked_rows_and_pending_keys_alone(client: TestClient, runtime: Runtime) -> None:
    a, _ = setup_tenants(runtime)
    created = submit(client, a, make_body(82, "corporate"), key="new-1").json()
    with runtime.sessions.begin() as session:
        session.execute(update(IdempotencyRecord).values(response_body=None))
    with runtime.engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        migration().upgrade()
    with runtime.sessions() as session:
        assert session.scalars(select(Applicant.name_masked)).one() == created["applicant"]["name"]
        assert session.scalars(select(IdempotencyRecord.response_body)).one() is None
