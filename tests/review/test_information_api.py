"""Requests for information: the checklist the SP sees, and the SP's answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolease.runtime import Runtime
from tests.documents import samples
from tests.factories import Tenant, login
from tests.review.conftest import World, refer

CHECKLIST = [{"kind": "income_proof"}, {"kind": "other", "text": "工作证明（盖章）"}]


def ask(client: TestClient, world: World, app_id: str) -> Any:
    body = {
        "verdict": "request_information",
        "reason_code": "income_proof_needed",
        "internal_note": "收入存疑 internal-only",
        "sp_message": "请补充收入证明",
        "checklist": CHECKLIST,
    }
    return client.post(f"/v1/review/cases/{app_id}/verdict", json=body, headers=world.reviewer)


def answer(client: TestClient, app_id: str, headers: dict[str, str], **body: Any) -> Any:
    return client.post(f"/v1/applications/{app_id}/information", json=body, headers=headers)


@pytest.fixture(autouse=True)
def document_root(runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime.settings.documents, "root", tmp_path / "documents")


def upload(client: TestClient, tenant: Tenant, app_id: str, kind: str = "income_proof") -> int:
    response = client.post(
        f"/v1/applications/{app_id}/documents",
        data={"kind": kind},
        files={"file": ("p.png", samples.png(seed=len(kind)), "image/png")},
        headers=tenant.headers,
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_the_sp_sees_the_checklist_and_answers(client: TestClient, world: World) -> None:
    app_id = refer(client, world.sp_a, 2)
    doc = upload(client, world.sp_a, app_id)
    assert ask(client, world, app_id).status_code == 200
    sp = client.get(f"/v1/applications/{app_id}", headers=world.sp_a.headers)
    assert "internal-only" not in sp.text
    assert "user:reviewer" not in sp.text
    body = sp.json()
    assert body["status"] == "info_requested"
    assert body["final_outcome"] is None
    assert body["information_request"]["items"] == [
        {"kind": "income_proof", "text": None},
        {"kind": "other", "text": "工作证明（盖章）"},
    ]
    assert body["information_request"]["message"] == "请补充收入证明"
    listed = client.get("/v1/applications?status=info_requested", headers=world.sp_a.headers)
    assert [i["id"] for i in listed.json()["items"]] == [app_id]
    done = answer(client, app_id, world.sp_a.headers, message="已上传", document_ids=[doc])
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "referred"
    assert done.json()["information_request"]["answered_at"] is not None
    staff = client.get(f"/v1/review/cases/{app_id}", headers=world.reviewer).json()
    request = staff["review"]["information_requests"][0]
    assert (request["answer_message"], request["document_ids"]) == ("已上传", [doc])
    assert staff["review"]["state"] == "open"
    assert staff["review"]["claimed_by"] == "user:reviewer"  # back to the one who asked
    again = answer(client, app_id, world.sp_a.headers, message="again")
    assert again.status_code == 409


def test_who_may_answer(client: TestClient, world: World) -> None:
    app_id = refer(client, world.sp_a, 2)
    assert ask(client, world, app_id).status_code == 200
    body = {"message": "ok"}
    assert answer(client, app_id, {}, **body).status_code == 401
    assert answer(client, app_id, world.sp_b.headers, **body).status_code == 404
    assert answer(client, app_id, world.reviewer, **body).status_code == 403
    sp_user = login(client, "sp_a_user")
    assert answer(client, app_id, sp_user, **body).status_code == 200


def test_bad_answers_are_refused_whole(client: TestClient, world: World) -> None:
    app_id = refer(client, world.sp_a, 2)
    not_asked = answer(client, app_id, world.sp_a.headers, message="x")
    assert not_asked.status_code == 409
    assert ask(client, world, app_id).status_code == 200
    bodies: list[dict[str, Any]] = [
        {},
        {"message": ""},
        {"message": "x", "document_ids": ["../etc/passwd"]},
        {"message": "x", "document_ids": 1},
        {"message": "x", "document_ids": [0]},
        {"message": "x", "document_ids": ["1"]},
        {"message": "x", "document_ids": list(range(1, 22))},
        {"message": "x", "extra": 1},
    ]
    for body in bodies:
        response = answer(client, app_id, world.sp_a.headers, **body)
        assert response.status_code == 422, (body, response.text)
    twice = answer(client, app_id, world.sp_a.headers, message="x", document_ids=[5, 5])
    assert twice.status_code == 422
    assert twice.json()["errors"][0] == {
        "field": "document_ids",
        "rule": "unique",
        "message_en": "a document id is listed twice",
        "message_zh": "文件编号重复",
    }
    sp = client.get(f"/v1/applications/{app_id}", headers=world.sp_a.headers).json()
    assert sp["status"] == "info_requested"
    assert sp["information_request"]["answered_at"] is None


def test_documents_must_be_this_applications_and_sps(client: TestClient, world: World) -> None:
    app_id = refer(client, world.sp_a, 2)
    other_app = refer(client, world.sp_a, 4)
    b_app = refer(client, world.sp_b, 10)
    mine = upload(client, world.sp_a, app_id, "bank_card")
    elsewhere = upload(client, world.sp_a, other_app)
    b_doc = upload(client, world.sp_b, b_app)
    assert ask(client, world, app_id).status_code == 200
    for bad in ([elsewhere], [b_doc], [mine, 999_999]):
        response = answer(client, app_id, world.sp_a.headers, message="x", document_ids=bad)
        assert response.status_code == 422, response.text
        assert response.json()["code"] == "documents_unknown"
        assert response.json()["errors"][0]["rule"] == "unknown_document"
    sp = client.get(f"/v1/applications/{app_id}", headers=world.sp_a.headers).json()
    assert sp["status"] == "info_requested"  # nothing half-written
    good = answer(client, app_id, world.sp_a.headers, message="x", document_ids=[mine])
    assert good.status_code == 200, good.text
