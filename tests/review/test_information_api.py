"""Requests for information: the checklist the SP sees, and the SP's answer."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.factories import login
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


def test_the_sp_sees_the_checklist_and_answers(client: TestClient, world: World) -> None:
    app_id = refer(client, world.sp_a, 2)
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
    done = answer(client, app_id, world.sp_a.headers, message="已上传", document_ids=["doc_1"])
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "referred"
    assert done.json()["information_request"]["answered_at"] is not None
    staff = client.get(f"/v1/review/cases/{app_id}", headers=world.reviewer).json()
    request = staff["review"]["information_requests"][0]
    assert (request["answer_message"], request["document_ids"]) == ("已上传", ["doc_1"])
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
        {"message": "x", "document_ids": "doc_1"},
        {"message": "x", "document_ids": [f"doc_{i}" for i in range(21)]},
        {"message": "x", "extra": 1},
    ]
    for body in bodies:
        response = answer(client, app_id, world.sp_a.headers, **body)
        assert response.status_code == 422, (body, response.text)
    twice = answer(client, app_id, world.sp_a.headers, message="x", document_ids=["d1", "d1"])
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


def test_the_document_check_is_applied(client: TestClient, world: World, monkeypatch: Any) -> None:
    from autolease.review import router

    monkeypatch.setattr(
        router, "document_check", lambda session, app, ids: [i for i in ids if i != "doc_ok"]
    )
    app_id = refer(client, world.sp_a, 2)
    assert ask(client, world, app_id).status_code == 200
    bad = answer(client, app_id, world.sp_a.headers, message="x", document_ids=["doc_ok", "x"])
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["rule"] == "unknown_document"
    good = answer(client, app_id, world.sp_a.headers, message="x", document_ids=["doc_ok"])
    assert good.status_code == 200
