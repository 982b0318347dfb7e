"""The documents endpoints: upload, list, read, download; tenancy, roles and bad input."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from autolease.app import create_app
from autolease.audit.models import AuditEvent
from autolease.documents.dependencies import get_store
from autolease.documents.models import Document
from autolease.documents.store import StoredFile
from autolease.runtime import Runtime
from tests.documents import samples
from tests.documents.conftest import World
from tests.factories import login

BASE = "/v1/applications/{app}/documents"


def upload(
    client: TestClient,
    headers: dict[str, str],
    app: str,
    data: bytes,
    *,
    kind: str = "vehicle_licence",
    filename: str = "photo.jpg",
    content_type: str = "image/jpeg",
) -> httpx.Response:
    return client.post(
        BASE.format(app=app),
        data={"kind": kind},
        files={"file": (filename, data, content_type)},
        headers=headers,
    )


def rows(runtime: Runtime) -> int:
    with runtime.sessions() as session:
        return session.scalar(select(func.count()).select_from(Document)) or 0


def stored_files(world: World) -> list[str]:
    return [f.name for f in world.store.list()]


class TestUpload:
    @pytest.mark.parametrize(
        ("maker", "mime"),
        [
            (samples.jpeg, "image/jpeg"),
            (samples.png, "image/png"),
            (samples.pdf, "application/pdf"),
            (samples.webp, "image/webp"),
            (samples.heic, "image/heic"),
        ],
    )
    def test_each_accepted_type_is_stored_and_typed_by_its_bytes(
        self, doc_client: TestClient, world: World, runtime: Runtime, maker: Any, mime: str
    ) -> None:
        data = maker()
        # the declared type and name lie; the bytes decide
        r = upload(doc_client, world.a.headers, world.app_a, data, filename="x.txt",
                   content_type="text/plain")  # fmt: skip
        assert r.status_code == 201, r.text
        body = r.json()
        assert body["content_type"] == mime
        assert body["size_bytes"] == len(data)
        assert body["sha256"] == hashlib.sha256(data).hexdigest()
        assert body["kind"] == "vehicle_licence"
        assert body["kind_zh"] == "行驶证"
        assert rows(runtime) == 1
        assert len(stored_files(world)) == 1

    def test_the_file_on_disk_is_sealed_and_named_by_the_service(
        self, doc_client: TestClient, world: World, runtime: Runtime
    ) -> None:
        data = samples.pdf("收入证明 月薪 12000 元")
        r = upload(doc_client, world.a.headers, world.app_a, data, kind="income_proof",
                   filename="张三-收入证明.pdf")  # fmt: skip
        assert r.status_code == 201, r.text
        (stored,) = list(world.store.list())
        raw = world.store.path_of(stored.name).read_bytes()
        assert data not in raw
        assert "收入证明".encode() not in raw
        assert b"%PDF" not in raw
        assert stored.name.startswith("doc_")
        assert "张三" not in stored.name
        assert runtime.cipher.unseal(raw, context=f"document:{stored.name}") == data
        with runtime.sessions() as session:
            doc = session.scalars(select(Document)).one()
        assert doc.storage_name == stored.name
        assert doc.uploaded_by == "apikey:" + world.a.api_key.split("_")[1]

    def test_download_returns_the_plaintext_and_is_audited(
        self, doc_client: TestClient, world: World, runtime: Runtime
    ) -> None:
        data = samples.png(seed=7)
        doc = upload(doc_client, world.a.headers, world.app_a, data, kind="bank_card").json()
        r = doc_client.get(doc["content_url"], headers=world.a.headers)
        assert r.status_code == 200
        assert r.content == data
        assert r.headers["content-type"] == "image/png"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["cache-control"] == "no-store"
        assert f'filename="bank_card-{doc["id"]}.png"' in r.headers["content-disposition"]
        with runtime.sessions() as session:
            actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))
        assert actions[-2:] == ["document.uploaded", "document.read"]

    def test_list_and_filter_by_kind(self, doc_client: TestClient, world: World) -> None:
        h, app = world.a.headers, world.app_a
        front = upload(doc_client, h, app, samples.jpeg(), kind="id_card_front").json()
        back = upload(doc_client, h, app, samples.jpeg(b"\x01" * 9), kind="id_card_back").json()
        items = doc_client.get(BASE.format(app=app), headers=h).json()["items"]
        assert [i["id"] for i in items] == [front["id"], back["id"]]
        only = doc_client.get(BASE.format(app=app), params={"kind": "id_card_back"}, headers=h)
        assert [i["id"] for i in only.json()["items"]] == [back["id"]]
        one = doc_client.get(f"{BASE.format(app=app)}/{front['id']}", headers=h)
        assert one.json() == front


class TestRetries:
    def test_the_same_bytes_again_return_the_stored_document(
        self, doc_client: TestClient, world: World, runtime: Runtime
    ) -> None:
        data = samples.jpeg(b"\x05" * 50)
        first = upload(doc_client, world.a.headers, world.app_a, data, kind="id_card_front")
        again = upload(doc_client, world.a.headers, world.app_a, data, kind="id_card_front")
        assert (first.status_code, again.status_code) == (201, 200)
        assert again.json() == first.json()
        assert rows(runtime) == 1
        assert len(stored_files(world)) == 1
        with runtime.sessions() as session:
            uploads = session.scalars(
                select(AuditEvent).where(AuditEvent.action == "document.uploaded")
            ).all()
        assert len(uploads) == 1

    def test_the_same_bytes_as_another_kind_are_another_document(
        self, doc_client: TestClient, world: World, runtime: Runtime
    ) -> None:
        data = samples.pdf()
        a = upload(doc_client, world.a.headers, world.app_a, data, kind="income_proof")
        b = upload(doc_client, world.a.headers, world.app_a, data, kind="bank_card")
        assert (a.status_code, b.status_code) == (201, 201)
        assert a.json()["id"] != b.json()["id"]
        assert rows(runtime) == 2


class TestRefusalsStoreNothing:
    def test_a_wrong_type(self, doc_client: TestClient, world: World, runtime: Runtime) -> None:
        r = upload(doc_client, world.a.headers, world.app_a, samples.executable(),
                   filename="setup.exe", content_type="application/octet-stream")  # fmt: skip
        assert r.status_code == 422
        assert r.json()["code"] == "document_refused"
        (error,) = r.json()["errors"]
        assert (error["field"], error["rule"]) == ("file", "file_type")
        assert rows(runtime) == 0
        assert stored_files(world) == []

    def test_a_file_renamed_to_look_like_an_image(
        self, doc_client: TestClient, world: World, runtime: Runtime
    ) -> None:
        r = upload(doc_client, world.a.headers, world.app_a, samples.text_renamed(),
                   filename="photo.jpg", content_type="image/jpeg")  # fmt: skip
        assert r.status_code == 422
        (error,) = r.json()["errors"]
        assert (error["field"], error["rule"]) == ("file", "file_type")
        assert "not the name" in error["message_en"]
        assert "与文件名无关" in error["message_zh"]
        assert rows(runtime) == 0
        assert stored_files(world) == []

    def test_an_oversized_file(
        self, doc_client: TestClient, world: World, runtime: Runtime, monkeypatch: Any
    ) -> None:
        monkeypatch.setattr(runtime.settings.documents, "max_bytes", 4096)
        data = samples.jpeg(b"\x00" * 4096)
        r = upload(doc_client, world.a.headers, world.app_a, data)
        assert r.status_code == 413
        assert r.json()["code"] == "document_too_large"
        (error,) = r.json()["errors"]
        assert (error["field"], error["rule"]) == ("file", "max_bytes")
        assert "4096" in error["message_en"]
        assert rows(runtime) == 0
        assert stored_files(world) == []
        exact = samples.jpeg(b"\x00" * (4096 - len(samples.jpeg(b""))))
        assert upload(doc_client, world.a.headers, world.app_a, exact).status_code == 201

    def test_a_body_far_over_the_cap_is_refused_before_it_is_read(
        self, doc_client: TestClient, world: World, runtime: Runtime
    ) -> None:
        too_big = runtime.settings.documents.max_body_bytes + 1
        r = upload(doc_client, world.a.headers, world.app_a, samples.jpeg(b"\x00" * too_big))
        assert r.status_code == 413
        assert r.json()["code"] == "content_too_large"
        assert rows(runtime) == 0
        assert stored_files(world) == []

    def test_an_empty_file(self, doc_client: TestClient, world: World, runtime: Runtime) -> None:
        r = upload(doc_client, world.a.headers, world.app_a, b"")
        assert r.status_code == 422
        assert r.json()["errors"][0]["rule"] == "empty"
        assert rows(runtime) == 0
        assert stored_files(world) == []


class TestBadInput:
    def test_an_unknown_kind(self, doc_client: TestClient, world: World) -> None:
        r = upload(doc_client, world.a.headers, world.app_a, samples.png(), kind="passport")
        assert r.status_code == 422
        assert [(e["field"], e["rule"]) for e in r.json()["errors"]] == [("kind", "enum")]
        assert stored_files(world) == []

    def test_missing_fields(self, doc_client: TestClient, world: World) -> None:
        r = doc_client.post(BASE.format(app=world.app_a), headers=world.a.headers,
                            data={"kind": "bank_card"})  # fmt: skip
        assert r.status_code == 422
        assert [e["field"] for e in r.json()["errors"]] == ["file"]
        r = doc_client.post(BASE.format(app=world.app_a), headers=world.a.headers,
                            files={"file": ("a.png", samples.png(), "image/png")})  # fmt: skip
        assert [e["field"] for e in r.json()["errors"]] == ["kind"]
        assert stored_files(world) == []

    def test_a_json_body_is_not_an_upload(self, doc_client: TestClient, world: World) -> None:
        r = doc_client.post(BASE.format(app=world.app_a), headers=world.a.headers,
                            json={"kind": "bank_card", "file": "aGVsbG8="})  # fmt: skip
        assert r.status_code == 422
        assert stored_files(world) == []

    def test_unknown_application_and_document(self, doc_client: TestClient, world: World) -> None:
        h = world.a.headers
        missing_app = "app_" + "0" * 32
        r = upload(doc_client, h, missing_app, samples.png())
        assert (r.status_code, r.json()["code"]) == (404, "application_not_found")
        assert doc_client.get(BASE.format(app=missing_app), headers=h).status_code == 404
        for doc_id in ("999", "0", "-1", str(2**40), "abc"):
            path = f"{BASE.format(app=world.app_a)}/{doc_id}"
            assert doc_client.get(path, headers=h).status_code in (404, 422), doc_id
            assert doc_client.get(path + "/content", headers=h).status_code in (404, 422)
        r = doc_client.get(f"{BASE.format(app=world.app_a)}/999", headers=h)
        assert (r.status_code, r.json()["code"]) == (404, "document_not_found")

    def test_an_unknown_kind_filter(self, doc_client: TestClient, world: World) -> None:
        r = doc_client.get(BASE.format(app=world.app_a), params={"kind": "x"},
                           headers=world.a.headers)  # fmt: skip
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "kind"

    def test_too_many_documents(
        self, doc_client: TestClient, world: World, runtime: Runtime, monkeypatch: Any
    ) -> None:
        monkeypatch.setattr(runtime.settings.documents, "max_per_application", 2)
        for seed in range(2):
            assert upload(doc_client, world.a.headers, world.app_a,
                          samples.png(seed=seed)).status_code == 201  # fmt: skip
        r = upload(doc_client, world.a.headers, world.app_a, samples.png(seed=9))
        assert (r.status_code, r.json()["code"]) == (409, "too_many_documents")
        retry = upload(doc_client, world.a.headers, world.app_a, samples.png(seed=1))
        assert retry.status_code == 200
        assert rows(runtime) == 2
        assert len(stored_files(world)) == 2


class TestTenancy:
    def test_another_sps_application_is_not_found_on_every_endpoint(
        self, doc_client: TestClient, world: World, runtime: Runtime
    ) -> None:
        doc = upload(doc_client, world.b.headers, world.app_b, samples.png()).json()
        for headers in (world.a.headers, login(doc_client, "sp_a_user")):
            r = upload(doc_client, headers, world.app_b, samples.png(seed=3))
            assert (r.status_code, r.json()["code"]) == (404, "application_not_found")
            for path in ("", f"/{doc['id']}", f"/{doc['id']}/content"):
                r = doc_client.get(BASE.format(app=world.app_b) + path, headers=headers)
                assert (r.status_code, r.json()["code"]) == (404, "application_not_found")
        assert rows(runtime) == 1

    def test_a_document_is_not_reachable_through_another_application(
        self, doc_client: TestClient, world: World
    ) -> None:
        doc_b = upload(doc_client, world.b.headers, world.app_b, samples.png()).json()
        for path in (f"/{doc_b['id']}", f"/{doc_b['id']}/content"):
            r = doc_client.get(BASE.format(app=world.app_a) + path, headers=world.a.headers)
            assert (r.status_code, r.json()["code"]) == (404, "document_not_found")
        own = doc_client.get(BASE.format(app=world.app_a), headers=world.a.headers)
        assert own.json()["items"] == []

    def test_the_sps_staff_login_uploads_for_its_sp(
        self, doc_client: TestClient, world: World
    ) -> None:
        r = upload(doc_client, login(doc_client, "sp_a_user"), world.app_a, samples.png())
        assert r.status_code == 201


class TestRoles:
    @pytest.mark.parametrize("username", ["admin", "analyst", "reviewer"])
    def test_staff_read_every_sps_documents_but_do_not_upload(
        self, doc_client: TestClient, world: World, runtime: Runtime, username: str
    ) -> None:
        data = samples.jpeg()
        doc = upload(doc_client, world.b.headers, world.app_b, data).json()
        staff = login(doc_client, username)
        items = doc_client.get(BASE.format(app=world.app_b), headers=staff).json()["items"]
        assert [i["id"] for i in items] == [doc["id"]]
        assert doc_client.get(doc["content_url"], headers=staff).content == data
        r = upload(doc_client, staff, world.app_b, samples.png())
        assert (r.status_code, r.json()["code"]) == (403, "role_not_allowed")
        assert rows(runtime) == 1
        assert len(stored_files(world)) == 1

    @pytest.mark.parametrize("path", ["", "/1", "/1/content"])
    def test_no_credential_is_401(self, doc_client: TestClient, world: World, path: str) -> None:
        r = doc_client.get(BASE.format(app=world.app_a) + path)
        assert r.status_code == 401
        bad = {"Authorization": "Bearer ak_not-a-key"}
        assert doc_client.get(BASE.format(app=world.app_a) + path, headers=bad).status_code == 401

    def test_upload_without_credential_is_401_and_stores_nothing(
        self, doc_client: TestClient, world: World
    ) -> None:
        assert upload(doc_client, {}, world.app_a, samples.png()).status_code == 401
        assert stored_files(world) == []


class TestAtomicity:
    def test_a_failure_after_the_file_is_written_leaves_no_file_and_no_row(
        self, world: World, runtime: Runtime, store_root: Any, monkeypatch: Any
    ) -> None:
        from autolease.documents import router

        def broken(*_: Any, **__: Any) -> None:
            raise RuntimeError("the audit trail is down")

        monkeypatch.setattr(router.audit_service, "log", broken)
        with TestClient(create_app(runtime=runtime), raise_server_exceptions=False) as client:
            r = upload(client, world.a.headers, world.app_a, samples.png())
        assert r.status_code == 500
        assert rows(runtime) == 0
        assert stored_files(world) == []

    def test_a_stored_file_that_was_tampered_with_is_not_served(
        self, doc_client: TestClient, world: World
    ) -> None:
        doc = upload(doc_client, world.a.headers, world.app_a, samples.png()).json()
        (stored,) = list(world.store.list())
        path = world.store.path_of(stored.name)
        raw = bytearray(path.read_bytes())
        raw[-1] ^= 1
        path.write_bytes(bytes(raw))
        r = doc_client.get(doc["content_url"], headers=world.a.headers)
        assert (r.status_code, r.json()["code"]) == (500, "document_unreadable")


class MemoryStore:
    """Another `DocumentStore` (as an S3-compatible one would be): a dict, or a broken one."""

    def __init__(self, *, broken: bool = False) -> None:
        self.files: dict[str, bytes] = {}
        self.broken = broken

    def put(self, name: str, data: bytes) -> None:
        if self.broken:
            self.files[name] = data[:10]  # a half-written object
            raise OSError("the store is down")
        self.files[name] = data

    def get(self, name: str) -> bytes:
        from autolease.documents.store import StoredFileMissing

        if name not in self.files:
            raise StoredFileMissing(name)
        return self.files[name]

    def delete(self, name: str) -> None:
        self.files.pop(name, None)

    def list(self) -> Iterator[StoredFile]:
        for name, data in self.files.items():
            yield StoredFile(name, len(data), datetime.now(UTC))


class TestAnotherStore:
    def client_with(self, runtime: Runtime, store: MemoryStore) -> TestClient:
        app = create_app(runtime=runtime)
        app.dependency_overrides[get_store] = lambda: store
        return TestClient(app)

    def test_the_endpoints_work_over_any_document_store(
        self, world: World, runtime: Runtime
    ) -> None:
        store = MemoryStore()
        data = samples.pdf()
        with self.client_with(runtime, store) as client:
            doc = upload(client, world.a.headers, world.app_a, data, kind="income_proof").json()
            (sealed,) = store.files.values()
            assert data not in sealed
            assert client.get(doc["content_url"], headers=world.a.headers).content == data
        assert stored_files(world) == []  # nothing went to the local folder

    def test_a_store_that_fails_a_write_records_nothing(
        self, world: World, runtime: Runtime
    ) -> None:
        store = MemoryStore(broken=True)
        with self.client_with(runtime, store) as client:
            r = upload(client, world.a.headers, world.app_a, samples.png())
        assert (r.status_code, r.json()["code"]) == (503, "document_store_unavailable")
        assert store.files == {}
        assert rows(runtime) == 0
