"""The SP's portal: answering a request for information with a document upload, and the
webhook settings (tenancy, role, CSRF, bad input; a refused file stores nothing)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from autolease.documents.models import Document
from autolease.origination.models import Application
from autolease.runtime import Runtime
from tests.browser.media import write_png
from tests.factories import Tenant, login, submit
from tests.h5.conftest import example

SpPage = Callable[[], dict[str, str]]
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def ask_for_information(client: TestClient, tenant: Tenant) -> str:
    """An application the policy refers, and a reviewer's request for income proof."""
    created = submit(client, tenant, example())
    assert created.json()["decision"]["outcome"] == "refer"
    app_id = str(created.json()["id"])
    verdict = {
        "verdict": "request_information",
        "reason_code": "income_proof_needed",
        "internal_note": "收入存疑",
        "sp_message": "请补充收入证明",
        "checklist": [{"kind": "income_proof"}],
    }
    asked = client.post(
        f"/v1/review/cases/{app_id}/verdict", json=verdict, headers=login(client, "reviewer")
    )
    assert asked.status_code == 200, asked.text
    return app_id


def page_token(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    found = CSRF_FIELD.search(page.text)
    assert found
    return found.group(1)


def documents_of(runtime: Runtime, app_id: str) -> int:
    with runtime.sessions() as session:
        query = select(func.count()).select_from(Document).where(Document.application_id == app_id)
        return int(session.scalar(query) or 0)


def status_of(runtime: Runtime, app_id: str) -> str:
    with runtime.sessions() as session:
        app = session.get(Application, app_id)
        assert app is not None
        return app.status


class TestInformationAnswer:
    def answer(self, client: TestClient, app_id: str, data: bytes, **form: Any) -> Any:
        token = page_token(client, f"/h5/applications/{app_id}")
        fields = {
            "csrf_token": token,
            "message": "已上传收入证明",
            "kind_0": "income_proof",
            **form,
        }
        return client.post(
            f"/h5/applications/{app_id}/information",
            data=fields,
            files={"file_0": ("proof.png", data, "image/png")},
            follow_redirects=False,
        )

    def test_the_sp_answers_with_a_document(
        self,
        client: TestClient,
        runtime: Runtime,
        tenants: tuple[Tenant, Tenant],
        sp_page: SpPage,
        tmp_path: Any,
    ) -> None:
        a, _ = tenants
        app_id = ask_for_information(client, a)
        sp_page()
        page = client.get(f"/h5/applications/{app_id}")
        assert 'id="information-request"' in page.text
        assert "请补充收入证明" in page.text
        png = write_png(tmp_path / "p.png").read_bytes()
        response = self.answer(client, app_id, png)
        assert response.status_code == 303, response.text
        assert documents_of(runtime, app_id) == 1
        assert status_of(runtime, app_id) == "referred"
        assert 'id="information-answered"' in client.get(f"/h5/applications/{app_id}").text

    def test_a_renamed_text_file_is_refused_and_nothing_is_stored(
        self, client: TestClient, runtime: Runtime, tenants: tuple[Tenant, Tenant], sp_page: SpPage
    ) -> None:
        a, _ = tenants
        app_id = ask_for_information(client, a)
        sp_page()
        response = self.answer(client, app_id, b"just some text, named .png")
        assert response.status_code == 422
        assert documents_of(runtime, app_id) == 0
        assert status_of(runtime, app_id) == "info_requested"

    def test_another_sps_application_and_a_missing_token_are_refused(
        self,
        client: TestClient,
        runtime: Runtime,
        tenants: tuple[Tenant, Tenant],
        sp_page: SpPage,
        tmp_path: Any,
    ) -> None:
        _, b = tenants
        theirs = ask_for_information(client, b)
        sp_page()
        png = write_png(tmp_path / "p.png").read_bytes()
        forged = client.post(
            f"/h5/applications/{theirs}/information",
            data={"csrf_token": "forged", "message": "x", "kind_0": "income_proof"},
            files={"file_0": ("p.png", png, "image/png")},
        )
        assert forged.status_code == 403
        token = page_token(client, "/h5/")
        other = client.post(
            f"/h5/applications/{theirs}/information",
            data={"csrf_token": token, "message": "x", "kind_0": "income_proof"},
            files={"file_0": ("p.png", png, "image/png")},
        )
        assert other.status_code == 404
        assert documents_of(runtime, theirs) == 0


class TestWebhookSettings:
    def test_an_sp_registers_an_endpoint_and_sees_only_its_own(
        self, client: TestClient, tenants: tuple[Tenant, Tenant], sp_page: SpPage
    ) -> None:
        _, b = tenants
        theirs = client.post(
            "/v1/webhooks/endpoints",
            json={"url": "http://localhost:9/b", "event_types": ["application.declined"]},
            headers=b.headers,
        )
        assert theirs.status_code == 201, theirs.text
        sp_page()
        token = page_token(client, "/h5/webhooks")
        created = client.post(
            "/h5/webhooks",
            data={
                "csrf_token": token,
                "url": "http://localhost:9/a",
                "event_types": ["application.approved", "application.declined"],
            },
        )
        assert created.status_code == 201, created.text
        assert 'id="secret"' in created.text
        page = client.get("/h5/webhooks").text
        assert "http://localhost:9/a" in page
        assert "http://localhost:9/b" not in page
        assert 'id="secret"' not in page  # shown once

    def test_bad_input_and_a_missing_token_are_refused(
        self, client: TestClient, sp_page: SpPage
    ) -> None:
        sp_page()
        token = page_token(client, "/h5/webhooks")
        for data in (
            {"url": "ftp://example.com/x", "event_types": ["application.approved"]},
            {"url": "http://localhost:9/a", "event_types": ["application.nonsense"]},
        ):
            response = client.post("/h5/webhooks", data={"csrf_token": token, **data})
            assert response.status_code == 422, data
        forged = client.post(
            "/h5/webhooks",
            data={
                "csrf_token": "x",
                "url": "http://localhost:9/a",
                "event_types": ["application.approved"],
            },
        )
        assert forged.status_code == 403
        assert "localhost:9/a" not in client.get("/h5/webhooks").text
