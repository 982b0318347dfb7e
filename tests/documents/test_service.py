"""The functions other domains call, the rollback clean-up and the orphan sweep."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from autolease.auth.principal import Principal, Role
from autolease.dealer.exceptions import SpNotFound
from autolease.documents import service
from autolease.documents.exceptions import DocumentsUnknown
from autolease.documents.kinds import DocumentKind
from autolease.documents.models import Document
from autolease.origination.models import Application
from autolease.runtime import Runtime
from tests.documents import samples
from tests.documents.conftest import World
from tests.documents.test_api import upload


def sp_principal(app: Application, code: str) -> Principal:
    return Principal("api_key", "apikey:test", Role.SP_USER, app.sp_id, code)


def add(runtime: Runtime, world: World, session: Any, app_id: str, code: str) -> Document:
    app = session.get(Application, app_id)
    return service.upload(
        session,
        store=world.store,
        cipher=runtime.cipher,
        settings=runtime.settings.documents,
        app=app,
        principal=sp_principal(app, code),
        kind=DocumentKind.BANK_CARD,
        incoming=service.Incoming(samples.png()),
        storage_name=runtime.ids.new("doc"),
        at=runtime.clock.now(),
    ).document


class TestRequireForApplication:
    def test_returns_the_named_documents_in_order_once(
        self, doc_client: TestClient, world: World, runtime: Runtime
    ) -> None:
        ids = [
            upload(doc_client, world.a.headers, world.app_a, samples.png(seed=s)).json()["id"]
            for s in range(3)
        ]
        wanted = [ids[2], ids[0], ids[2]]
        with runtime.sessions() as session:
            docs = service.require_for_application(
                session, sp_code=world.a.code, application_id=world.app_a, document_ids=wanted
            )
        assert [d.id for d in docs] == [ids[2], ids[0]]
        with runtime.sessions() as session:
            assert (
                service.require_for_application(
                    session, sp_code=world.a.code, application_id=world.app_a, document_ids=[]
                )
                == []
            )

    def test_unknown_and_foreign_ids_are_refused_naming_each_position(
        self, doc_client: TestClient, world: World, runtime: Runtime
    ) -> None:
        own = upload(doc_client, world.a.headers, world.app_a, samples.png()).json()["id"]
        foreign = upload(doc_client, world.b.headers, world.app_b, samples.png()).json()["id"]
        with runtime.sessions() as session, pytest.raises(DocumentsUnknown) as raised:
            service.require_for_application(
                session,
                sp_code=world.a.code,
                application_id=world.app_a,
                document_ids=[own, foreign, 99_999],
            )
        assert raised.value.unknown_ids == [foreign, 99_999]
        assert [e.field for e in raised.value.errors] == ["document_ids[1]", "document_ids[2]"]
        assert raised.value.status_code == 422
        assert str(foreign) in raised.value.detail

    def test_the_right_document_under_another_sp_or_application_is_refused(
        self, doc_client: TestClient, world: World, runtime: Runtime
    ) -> None:
        own = upload(doc_client, world.a.headers, world.app_a, samples.png()).json()["id"]
        with runtime.sessions() as session:
            with pytest.raises(DocumentsUnknown):
                service.require_for_application(
                    session, sp_code=world.b.code, application_id=world.app_a, document_ids=[own]
                )
            with pytest.raises(DocumentsUnknown):
                service.require_for_application(
                    session, sp_code=world.a.code, application_id=world.app_b, document_ids=[own]
                )
            with pytest.raises(SpNotFound):
                service.require_for_application(
                    session, sp_code="NOPE", application_id=world.app_a, document_ids=[own]
                )


def test_list_for_application(doc_client: TestClient, world: World, runtime: Runtime) -> None:
    first = upload(doc_client, world.a.headers, world.app_a, samples.png(), kind="bank_card")
    second = upload(doc_client, world.a.headers, world.app_a, samples.pdf(), kind="income_proof")
    upload(doc_client, world.b.headers, world.app_b, samples.png())
    with runtime.sessions() as session:
        docs = service.list_for_application(session, application_id=world.app_a)
        assert [d.id for d in docs] == [first.json()["id"], second.json()["id"]]
        proofs = service.list_for_application(
            session, application_id=world.app_a, kind=DocumentKind.INCOME_PROOF
        )
        assert [d.content_type for d in proofs] == ["application/pdf"]


class TestTransaction:
    def test_a_rolled_back_upload_deletes_its_file(self, world: World, runtime: Runtime) -> None:
        with runtime.sessions() as session:
            add(runtime, world, session, world.app_a, world.a.code)
            assert len(list(world.store.list())) == 1
            session.rollback()
        assert list(world.store.list()) == []

    def test_a_session_closed_without_commit_deletes_its_file(
        self, world: World, runtime: Runtime
    ) -> None:
        session = runtime.sessions()
        add(runtime, world, session, world.app_a, world.a.code)
        session.close()
        assert list(world.store.list()) == []

    def test_a_committed_upload_keeps_its_file_even_after_later_rollbacks(
        self, world: World, runtime: Runtime
    ) -> None:
        with runtime.sessions() as session:
            doc = add(runtime, world, session, world.app_a, world.a.code)
            session.commit()
            session.rollback()
            with session.begin_nested():
                pass
            kept = doc.storage_name
        assert [f.name for f in world.store.list()] == [kept]

    def test_a_savepoint_release_is_not_a_commit(self, world: World, runtime: Runtime) -> None:
        with runtime.sessions() as session:
            with session.begin_nested():
                add(runtime, world, session, world.app_a, world.a.code)
            session.rollback()
        assert list(world.store.list()) == []
        with runtime.sessions() as session:
            assert session.scalar(select(func.count()).select_from(Document)) == 0


class TestSweep:
    def test_orphans_are_removed_and_reported_young_ones_kept(
        self, doc_client: TestClient, world: World, runtime: Runtime
    ) -> None:
        kept = upload(doc_client, world.a.headers, world.app_a, samples.png()).json()
        world.store.put("doc_" + "1" * 32, b"old orphan")
        world.store.put("doc_" + "2" * 32, b"young orphan")
        now = runtime.clock.now()
        old = (now - timedelta(hours=2)).timestamp()
        for stored in world.store.list():
            if stored.name != "doc_" + "2" * 32:
                os.utime(world.store.path_of(stored.name), (old, old))
        with runtime.sessions() as session:
            dry = service.sweep(
                session, store=world.store, now=now, grace=timedelta(hours=1), dry_run=True
            )
            assert [f.name for f in dry.orphans] == ["doc_" + "1" * 32]
            assert len(list(world.store.list())) == 3
            done = service.sweep(
                session, store=world.store, now=now, grace=timedelta(hours=1), dry_run=False
            )
        report = done.as_dict()
        assert report["removed"] == 1
        assert report["stored_files"] == 3
        assert [f["name"] for f in report["within_grace"]] == ["doc_" + "2" * 32]  # type: ignore[index]
        assert report["rows_without_file"] == []
        names = sorted(f.name for f in world.store.list())
        assert names == sorted(["doc_" + "2" * 32, _name_of(runtime, kept["id"])])
        r = doc_client.get(kept["content_url"], headers=world.a.headers)
        assert r.content == samples.png()

    def test_rows_whose_file_is_missing_are_reported(
        self, doc_client: TestClient, world: World, runtime: Runtime
    ) -> None:
        doc = upload(doc_client, world.a.headers, world.app_a, samples.png()).json()
        world.store.delete(_name_of(runtime, doc["id"]))
        with runtime.sessions() as session:
            report = service.sweep(
                session,
                store=world.store,
                now=runtime.clock.now(),
                grace=timedelta(0),
                dry_run=False,
            )
        assert report.missing == [doc["id"]]
        assert report.orphans == []


def _name_of(runtime: Runtime, doc_id: int) -> str:
    with runtime.sessions() as session:
        doc = session.get(Document, doc_id)
        assert doc is not None
        return doc.storage_name
