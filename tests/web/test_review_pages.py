"""The review workbench's pages, server side: queue, HTMX rows, case, claim, verdict forms,
four-eyes, CSRF, roles and the English catalogue."""

from __future__ import annotations

import random
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from autolease.audit.models import AuditEvent
from autolease.auth import service as auth_service
from autolease.auth.principal import Role
from autolease.demo.samples import sample_application
from autolease.runtime import Runtime
from tests.documents import samples
from tests.factories import TODAY, make_user
from tests.web.conftest import PASSWORDS

SP = "SP-SH-001"


@pytest.fixture
def sp_key(seeded: Runtime) -> dict[str, str]:
    with seeded.sessions.begin() as session:
        new, _ = auth_service.issue_api_key(
            session, sp_code=SP, label="t", at=seeded.clock.now(), token_hex=secrets.token_hex
        )
        make_user(session, seeded, "reviewer2", Role.REVIEWER)
    PASSWORDS.setdefault("reviewer2", "correct horse battery staple")
    return {"Authorization": f"Bearer {new.plaintext}"}


def referred(client: TestClient, headers: dict[str, str]) -> str:
    """Submit sample applications until the policy refers one; its id."""
    for seed in range(2, 60):
        body = sample_application(random.Random(seed), TODAY, "clean")
        response = client.post("/v1/applications", json=body, headers=headers)
        assert response.status_code == 201, response.text
        if response.json()["decision"]["outcome"] == "refer":
            return str(response.json()["id"])
    raise AssertionError("no sample was referred")


def post(client: TestClient, url: str, token: str | None, **data: Any) -> Any:
    if token is not None:
        data["csrf_token"] = token
    return client.post(url, data=data, follow_redirects=False)


def test_the_queue_and_its_rows(
    client: TestClient, login: Callable[[str], str], sp_key: dict[str, str]
) -> None:
    app_id = referred(client, sp_key)
    login("reviewer")
    page = client.get("/console/review/queue")
    assert page.status_code == 200
    assert 'lang="zh-CN"' in page.text
    assert "转人工队列" in page.text
    assert app_id in page.text
    rows = client.get(
        "/console/review/queue", params={"sp": "SP-GD-002"}, headers={"HX-Request": "true"}
    )
    assert rows.status_code == 200
    assert "<html" not in rows.text
    assert app_id not in rows.text
    bad = client.get("/console/review/queue", params={"sp": "NOPE"})
    assert bad.status_code == 422
    assert "<html" in bad.text


def test_claim_and_approve_through_the_forms(
    client: TestClient, login: Callable[[str], str], sp_key: dict[str, str]
) -> None:
    app_id = referred(client, sp_key)
    token = login("reviewer")
    case_url = f"/console/review/cases/{app_id}"
    case = client.get(case_url)
    assert case.status_code == 200
    assert 'id="graph"' in case.text
    assert 'id="claim"' in case.text
    assert post(client, case_url + "/claim", token).status_code == 303
    assert (
        "由 信审员 处理中" in client.get(case_url).text or "reviewer" in client.get(case_url).text
    )
    done = post(
        client,
        case_url + "/verdict",
        token,
        verdict="approve",
        reason_code="documents_verified",
        internal_note="疑似冒名 internal-only",
    )
    assert done.status_code == 303, done.text
    sp = client.get(f"/v1/applications/{app_id}", headers=sp_key)
    assert (sp.json()["final_outcome"], sp.json()["decided_by_role"]) == ("approve", "reviewer")
    assert "internal-only" not in sp.text
    assert "user:reviewer" not in sp.text


def test_a_form_without_its_csrf_token_is_refused(
    client: TestClient, login: Callable[[str], str], sp_key: dict[str, str]
) -> None:
    app_id = referred(client, sp_key)
    login("reviewer")
    refused = post(client, f"/console/review/cases/{app_id}/claim", None)
    assert refused.status_code == 403
    assert "csrf_failed" in refused.text
    stale = post(client, f"/console/review/cases/{app_id}/claim", "not-the-token")
    assert stale.status_code == 403
    case = client.get(f"/console/review/cases/{app_id}")
    assert 'id="claim"' in case.text  # still unclaimed


def test_bad_verdict_forms_are_422_pages_and_change_nothing(
    client: TestClient, login: Callable[[str], str], sp_key: dict[str, str]
) -> None:
    app_id = referred(client, sp_key)
    token = login("reviewer")
    url = f"/console/review/cases/{app_id}/verdict"
    for data in (
        {"verdict": "approve", "reason_code": "fraud_suspected", "internal_note": "x"},
        {"verdict": "request_information", "reason_code": "income_proof_needed",
         "internal_note": "x"},
        {"verdict": "sideways", "reason_code": "x", "internal_note": "x"},
        {"verdict": "approve", "reason_code": "documents_verified"},
    ):  # fmt: skip
        response = post(client, url, token, **data)
        assert response.status_code == 422, (data, response.text)
    sp = client.get(f"/v1/applications/{app_id}", headers=sp_key).json()
    assert sp["status"] == "referred"


def test_request_information_then_four_eyes(
    client: TestClient,
    login: Callable[[str], str],
    sp_key: dict[str, str],
    seeded: Runtime,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(seeded.settings.documents, "root", tmp_path / "documents")
    app_id = referred(client, sp_key)
    token = login("reviewer")
    url = f"/console/review/cases/{app_id}"
    asked = client.post(
        url + "/verdict",
        data={
            "csrf_token": token,
            "verdict": "request_information",
            "reason_code": "income_proof_needed",
            "internal_note": "收入存疑",
            "checklist": ["income_proof", "bank_card"],
            "checklist_other": "工作证明",
        },
        follow_redirects=False,
    )
    assert asked.status_code == 303, asked.text
    sp = client.get(f"/v1/applications/{app_id}", headers=sp_key).json()
    assert [i["kind"] for i in sp["information_request"]["items"]] == [
        "income_proof",
        "bank_card",
        "other",
    ]
    uploaded = client.post(
        f"/v1/applications/{app_id}/documents",
        data={"kind": "income_proof"},
        files={"file": ("p.png", samples.png(), "image/png")},
        headers=sp_key,
    )
    assert uploaded.status_code == 201, uploaded.text
    answered = client.post(
        f"/v1/applications/{app_id}/information",
        json={"message": "已上传", "document_ids": [uploaded.json()["id"]]},
        headers=sp_key,
    )
    assert answered.status_code == 200, answered.text
    assert "服务商已回复" in client.get(url).text
    proposed = post(client, url + "/verdict", token, verdict="decline",
                    reason_code="fraud_suspected", internal_note="团伙")  # fmt: skip
    assert proposed.status_code == 303
    assert 'id="confirm"' not in client.get(url).text  # not for the one who proposed
    token2 = login("reviewer2")
    assert 'id="confirm"' in client.get(url).text
    confirmed = post(client, url + "/confirm", token2, decision="confirm", note="同意")
    assert confirmed.status_code == 303
    sp = client.get(f"/v1/applications/{app_id}", headers=sp_key).json()
    assert (sp["status"], sp["final_outcome"]) == ("declined", "decline")


def test_who_opens_the_workbench(
    client: TestClient, login: Callable[[str], str], sp_key: dict[str, str]
) -> None:
    app_id = referred(client, sp_key)
    assert (
        client.get("/console/review/queue", headers=sp_key, follow_redirects=False).status_code
        == 303
    )
    login("analyst")
    assert client.get("/console/review/queue").status_code == 403
    login("admin")
    assert client.get("/console/review/queue").status_code == 200
    assert client.get(f"/console/review/cases/{app_id}").status_code == 200
    token = form_token_of(client, f"/console/review/cases/{app_id}")
    assert post(client, f"/console/review/cases/{app_id}/claim", token).status_code == 403
    login("reviewer")
    assert client.get("/console/admin/").status_code == 403
    assert client.get("/console/review/cases/app_missing").status_code == 404


def form_token_of(client: TestClient, url: str) -> str:
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"', client.get(url).text)
    assert found
    return found.group(1)


def test_reveal_and_replay_fragments(
    client: TestClient, login: Callable[[str], str], sp_key: dict[str, str]
) -> None:
    app_id = referred(client, sp_key)
    token = login("reviewer")
    url = f"/console/review/cases/{app_id}"
    revealed = client.post(url + "/reveal", data={"field": "name", "reason": "核对身份信息"},
                           headers={"X-CSRF-Token": token, "HX-Request": "true"})  # fmt: skip
    assert revealed.status_code == 200
    assert 'id="revealed"' in revealed.text
    short = client.post(url + "/reveal", data={"field": "name", "reason": "x"},
                        headers={"X-CSRF-Token": token})  # fmt: skip
    assert short.status_code == 422
    replay = client.get(url + "/replay", headers={"HX-Request": "true"})
    assert replay.status_code == 200
    assert 'data-matches="true"' in replay.text


def test_the_pages_in_english(
    client: TestClient, login: Callable[[str], str], sp_key: dict[str, str]
) -> None:
    app_id = referred(client, sp_key)
    login("reviewer")
    client.get("/web/lang", params={"to": "en", "next": "/console/review/queue"})
    queue = client.get("/console/review/queue")
    assert 'lang="en"' in queue.text
    assert "Referral queue" in queue.text
    assert "转人工队列" not in queue.text
    case = client.get(f"/console/review/cases/{app_id}")
    assert "Relationship graph (two hops)" in case.text


def test_the_figures_fragment(
    client: TestClient, login: Callable[[str], str], sp_key: dict[str, str]
) -> None:
    referred(client, sp_key)
    login("reviewer")
    queue = client.get("/console/review/queue").text
    assert 'hx-get="/console/review/figures"' in queue
    figures = client.get("/console/review/figures", headers={"HX-Request": "true"})
    assert figures.status_code == 200
    assert "<html" not in figures.text
    assert "<strong>1</strong>" in figures.text  # one case waits


def test_the_case_shows_its_documents_and_opens_them_audited(
    client: TestClient,
    login: Callable[[str], str],
    sp_key: dict[str, str],
    seeded: Runtime,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(seeded.settings.documents, "root", tmp_path / "documents")
    app_id = referred(client, sp_key)
    url = f"/console/review/cases/{app_id}"
    login("reviewer")
    first = client.get(url).text
    assert "服务商尚未上传材料" in first
    assert "available: True" in first  # the biometrics mapping drawn as a list, not a repr
    assert "&#39;available&#39;" not in first
    png = samples.png()
    uploaded = client.post(
        f"/v1/applications/{app_id}/documents",
        data={"kind": "vehicle_licence"},
        files={"file": ("x.png", png, "image/png")},
        headers=sp_key,
    )
    assert uploaded.status_code == 201, uploaded.text
    doc_id = uploaded.json()["id"]
    page = client.get(url).text
    assert "行驶证" in page
    assert f"{url}/documents/{doc_id}" in page
    opened = client.get(f"{url}/documents/{doc_id}")
    assert opened.status_code == 200
    assert opened.content == png
    assert opened.headers["content-type"] == "image/png"
    assert opened.headers["cache-control"] == "no-store"
    assert client.get(f"{url}/documents/999999").status_code == 404
    assert client.get(f"{url}/documents/0").status_code in (404, 422)
    login("analyst")
    assert client.get(f"{url}/documents/{doc_id}").status_code == 403
    with seeded.sessions.begin() as session:
        reads = session.scalars(
            select(AuditEvent.entity_id).where(AuditEvent.action == "document.read")
        ).all()
    assert reads == [str(doc_id)]  # the reviewer's one opening; the refused ones read nothing
