"""A reviewer's request for a document counts against the SP in its monthly grade figures."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from autolease.kit.clock import CHINA_TZ
from tests.conftest import START
from tests.review.conftest import World, refer


def request_information(client: TestClient, world: World, app_id: str, checklist: Any) -> None:
    body = {
        "verdict": "request_information",
        "reason_code": "clarification_needed",
        "internal_note": "internal",
        "checklist": checklist,
    }
    url = f"/v1/review/cases/{app_id}/verdict"
    response = client.post(url, json=body, headers=world.reviewer)
    assert response.status_code == 200, response.text


def grade_figures(client: TestClient, world: World) -> dict[str, dict[str, Any]]:
    month = START.astimezone(CHINA_TZ).strftime("%Y-%m")  # the fixed test clock's month
    run = client.post("/v1/sp-grades", json={"month": month}, headers=world.admin)
    assert run.status_code == 200, run.text
    return {p["sp_code"]: p["figures"] for p in run.json()}


def test_a_document_request_is_a_defect_and_a_free_text_need_is_not(
    client: TestClient, world: World
) -> None:
    a1, _a2 = refer(client, world.sp_a, 2), refer(client, world.sp_a, 4)
    b1, _b2 = refer(client, world.sp_b, 10), refer(client, world.sp_b, 11)
    request_information(client, world, a1, [{"kind": "bank_card"}])
    request_information(client, world, b1, [{"kind": "other", "text": "工作证明"}])
    figures = grade_figures(client, world)
    assert figures["SP-A"]["document_defect_share"] == 0.5  # 1 of its 2 decided applications
    assert figures["SP-B"]["document_defect_share"] == 0.0
    assert figures["SP-A"]["document_defect_ratio"] > figures["SP-B"]["document_defect_ratio"]


def test_without_decisions_the_share_is_unknown_not_zero(client: TestClient, world: World) -> None:
    refer(client, world.sp_a, 2)
    figures = grade_figures(client, world)
    assert figures["SP-A"]["document_defect_share"] == 0.0
    assert figures["SP-B"]["document_defect_share"] is None
