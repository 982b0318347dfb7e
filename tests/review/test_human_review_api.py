"""The applicant's request for a human review, through its SP: `POST
/v1/applications/{id}/human-review` opens or re-opens the case in the reviewers' queue."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from autolease.audit.models import AuditEvent
from autolease.review.models import HumanReviewRequest
from autolease.runtime import Runtime
from autolease.webhooks.models import WebhookEvent
from tests.factories import Tenant, make_body, submit
from tests.review.conftest import World, refer

CODE = "APPLICANT_REVIEW_REQUESTED"
REASON = "申请人收入已提高，请人工复核"


def ask(client: TestClient, app_id: str, headers: dict[str, str], **body: Any) -> Any:
    return client.post(f"/v1/applications/{app_id}/human-review", json=body, headers=headers)


def declined(client: TestClient, tenant: Tenant) -> str:
    response = submit(client, tenant, make_body(1))
    assert response.json()["status"] == "declined", response.text
    return str(response.json()["id"])


def queued(client: TestClient, world: World) -> list[str]:
    page = client.get(f"/v1/review/queue?reason={CODE}", headers=world.reviewer)
    assert page.status_code == 200, page.text
    return [item["application_id"] for item in page.json()["items"]]


def requests_of(runtime: Runtime, app_id: str) -> list[HumanReviewRequest]:
    with runtime.sessions() as session:
        query = select(HumanReviewRequest).where(HumanReviewRequest.application_id == app_id)
        return list(session.scalars(query))


class TestRequest:
    def test_a_declined_application_goes_to_the_queue(
        self, client: TestClient, world: World, runtime: Runtime
    ) -> None:
        app_id = declined(client, world.sp_a)
        assert queued(client, world) == []
        done = ask(client, app_id, world.sp_a.headers, reason=f"  {REASON} ")
        assert done.status_code == 201, done.text
        body = done.json()
        assert (body["reason"], body["state"], body["application_status"]) == (
            REASON, "open", "referred",
        )  # fmt: skip
        assert queued(client, world) == [app_id]
        sp = client.get(f"/v1/applications/{app_id}", headers=world.sp_a.headers).json()
        assert (sp["status"], sp["final_outcome"], sp["decision"]["outcome"]) == (
            "referred", None, "decline",
        )  # fmt: skip
        listing = client.get("/v1/applications", headers=world.sp_a.headers).json()
        assert listing["items"][0]["final_outcome"] is None
        case = client.get(f"/v1/review/cases/{app_id}", headers=world.reviewer)
        assert case.status_code == 200, case.text
        assert case.json()["review"]["state"] == "open"
        with runtime.sessions() as session:
            audit = session.scalars(
                select(AuditEvent).where(AuditEvent.action == "application.human_review_requested")
            ).one()
            assert audit.entity_id == app_id
            events = session.scalars(
                select(WebhookEvent).where(WebhookEvent.application_id == app_id)
            ).all()
            # Event ids are UUIDs and the test clock may stamp both alike: compare as a
            # multiset (PostgreSQL returns an unordered select in any order).
            types = [event.type for event in events]
            assert types.count("application.referred") == 1
            assert types.count("application.declined") == 1
            referred = next(e for e in events if e.type == "application.referred")
            assert referred.data["previous_status"] == "declined"

    def test_asking_again_returns_the_open_request(
        self, client: TestClient, world: World, runtime: Runtime
    ) -> None:
        app_id = declined(client, world.sp_a)
        first = ask(client, app_id, world.sp_a.headers, reason=REASON)
        again = ask(client, app_id, world.sp_a.headers, reason="another text")
        assert (first.status_code, again.status_code) == (201, 200)
        assert again.json() == first.json()
        assert len(requests_of(runtime, app_id)) == 1

    def test_a_referred_application_gets_the_reason_on_its_case(
        self, client: TestClient, world: World
    ) -> None:
        app_id = refer(client, world.sp_a, 2)
        done = ask(client, app_id, world.sp_a.headers, reason=REASON)
        assert done.status_code == 201, done.text
        assert done.json()["application_status"] == "referred"
        assert queued(client, world) == [app_id]
        queue = client.get("/v1/review/queue", headers=world.reviewer).json()
        [item] = [i for i in queue["items"] if i["application_id"] == app_id]
        assert CODE in item["reasons"]

    def test_a_verdict_closes_it_and_a_new_request_reopens_the_case(
        self, client: TestClient, world: World, runtime: Runtime
    ) -> None:
        app_id = declined(client, world.sp_a)
        ask(client, app_id, world.sp_a.headers, reason=REASON)
        verdict = {"verdict": "decline", "reason_code": "affordability", "internal_note": "n"}
        url = f"/v1/review/cases/{app_id}/verdict"
        assert client.post(url, json=verdict, headers=world.reviewer).status_code == 200
        sp = client.get(f"/v1/applications/{app_id}", headers=world.sp_a.headers).json()
        assert (sp["status"], sp["final_outcome"], sp["decided_by_role"]) == (
            "declined", "decline", "reviewer",
        )  # fmt: skip
        assert queued(client, world) == []
        second = ask(client, app_id, world.sp_a.headers, reason="新的材料")
        assert second.status_code == 201, second.text
        assert second.json()["state"] == "open"
        assert queued(client, world) == [app_id]
        case = client.get(f"/v1/review/cases/{app_id}", headers=world.reviewer).json()["review"]
        assert (case["state"], case["final_outcome"], case["claimed_by"]) == ("open", None, None)
        assert len(case["verdicts"]) == 1  # the earlier verdict stays on record
        assert len(requests_of(runtime, app_id)) == 2
        approve = {"verdict": "approve", "reason_code": "risk_acceptable", "internal_note": "n"}
        assert client.post(url, json=approve, headers=world.reviewer2).status_code == 200
        assert (
            client.get(f"/v1/applications/{app_id}", headers=world.sp_a.headers).json()[
                "final_outcome"
            ]
            == "approve"
        )


class TestRefusals:
    def test_an_approved_application_is_a_409_naming_the_status(
        self, client: TestClient, world: World, runtime: Runtime
    ) -> None:
        app_id = refer(client, world.sp_a, 2)
        verdict = {"verdict": "approve", "reason_code": "risk_acceptable", "internal_note": "n"}
        client.post(f"/v1/review/cases/{app_id}/verdict", json=verdict, headers=world.reviewer)
        response = ask(client, app_id, world.sp_a.headers, reason=REASON)
        assert response.status_code == 409
        assert response.json()["code"] == "human_review_not_allowed"
        [error] = response.json()["errors"]
        assert (error["field"], error["rule"]) == ("status", "not_reviewable")
        assert requests_of(runtime, app_id) == []

    def test_roles_and_tenancy(self, client: TestClient, world: World, runtime: Runtime) -> None:
        app_id = declined(client, world.sp_a)
        url = f"/v1/applications/{app_id}/human-review"
        assert client.post(url, json={"reason": REASON}).status_code == 401
        assert ask(client, app_id, world.sp_b.headers, reason=REASON).status_code == 404
        assert ask(client, "app_nope", world.sp_a.headers, reason=REASON).status_code == 404
        assert ask(client, app_id, world.reviewer, reason=REASON).status_code == 403
        assert ask(client, app_id, world.admin, reason=REASON).status_code == 403
        assert requests_of(runtime, app_id) == []

    @pytest.mark.parametrize(
        "body",
        [{}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 1001}, {"reason": 5},
         {"reason": "ok", "extra": 1}],
    )  # fmt: skip
    def test_bad_reasons_are_422(
        self, client: TestClient, world: World, runtime: Runtime, body: dict[str, Any]
    ) -> None:
        app_id = declined(client, world.sp_a)
        response = client.post(
            f"/v1/applications/{app_id}/human-review", json=body, headers=world.sp_a.headers
        )
        assert response.status_code == 422
        fields = [e["field"] for e in response.json()["errors"]]
        assert any(f in ("reason", "extra") for f in fields), fields
        assert requests_of(runtime, app_id) == []
