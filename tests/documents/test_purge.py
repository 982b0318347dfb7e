"""Retention: the documents of an application that ended without a contract are deleted,
rows and files, once it has not changed for the retention period; nothing else is."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from typer.testing import CliRunner

from autolease.cli import app as cli
from autolease.documents import service
from autolease.documents.models import Document
from autolease.documents.store import LocalStore
from autolease.origination.models import Application
from autolease.runtime import Runtime
from tests.documents import samples
from tests.documents.conftest import World
from tests.documents.test_api import upload
from tests.documents.test_cli import store  # noqa: F401 (fixture)

RETENTION = timedelta(days=180)


def set_application(runtime: Runtime, app_id: str, status: str, updated_at: datetime) -> None:
    with runtime.sessions.begin() as session:
        session.execute(
            update(Application)
            .where(Application.id == app_id)
            .values(status=status, updated_at=updated_at)
        )


def documents_of(runtime: Runtime, app_id: str) -> int:
    with runtime.sessions() as session:
        query = select(func.count()).select_from(Document)
        return int(session.scalar(query.where(Document.application_id == app_id)) or 0)


def purge(runtime: Runtime, *, dry_run: bool) -> service.PurgeReport:
    with runtime.sessions.begin() as session:
        return service.purge_ended(
            session, now=runtime.clock.now(), retention=RETENTION, dry_run=dry_run
        )


def test_only_old_declined_or_withdrawn_applications_lose_their_documents(
    doc_client: TestClient, world: World, runtime: Runtime
) -> None:
    a, b = world.app_a, world.app_b
    for app_id, tenant in ((a, world.a), (b, world.b)):
        for seed in range(2):
            made = upload(doc_client, tenant.headers, app_id, samples.png(seed=seed))
            assert made.status_code == 201, made.text
    now = runtime.clock.now()
    set_application(runtime, a, "declined", now - RETENTION - timedelta(days=1))
    set_application(runtime, b, "declined", now - RETENTION + timedelta(days=1))
    files_before = {f.name for f in world.store.list()}
    assert len(files_before) == 4

    dry = purge(runtime, dry_run=True)
    assert (dry.applications, len(dry.documents), dry.removed) == ([a], 2, False)
    assert documents_of(runtime, a) == 2

    done = purge(runtime, dry_run=False)
    assert done.applications == [a]
    assert documents_of(runtime, a) == 0
    assert documents_of(runtime, b) == 2  # declined, but within the retention period
    assert service.delete_files(world.store, done.storage_names) == 2
    assert {f.name for f in world.store.list()} == files_before - set(done.storage_names)

    for status in ("approved", "referred", "contracted", "info_requested"):
        set_application(runtime, b, status, now - RETENTION * 3)
        assert purge(runtime, dry_run=False).documents == [], status
    set_application(runtime, b, "withdrawn", now - RETENTION * 3)
    assert len(purge(runtime, dry_run=False).documents) == 2


def test_the_cli_reports_a_dry_run_and_refuses_a_bad_period(
    store: LocalStore,  # noqa: F811
) -> None:
    dry = CliRunner().invoke(cli, ["documents", "purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    report = json.loads(dry.stdout)
    assert report == {
        "documents": 0, "applications": [], "removed": 0, "dry_run": True,
        "retention_days": 180,
    }  # fmt: skip
    done = CliRunner().invoke(cli, ["documents", "purge", "--retention-days", "30"])
    assert json.loads(done.stdout)["retention_days"] == 30
    assert CliRunner().invoke(cli, ["documents", "purge", "--retention-days", "0"]).exit_code == 2
