"""Claims, verdicts, four-eyes and what the SP then sees, through the API."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolease.origination.models import Decision
from autolease.review.settings import ReviewSettings
from autolease.runtime import Runtime
from tests.review.conftest import World, refer

NOTE = "疑似冒名 internal-only"
LEAKS = ("疑似冒名", "internal-only", "user:reviewer", "reviewer2", '"note"', "internal_note")


def verdict(client: TestClient, app_id: str, headers: dict[str, str], **body: Any) -> Any:
    return client.post(f"/v1/review/cases/{app_id}/verdict", json=body, headers=headers)


def approve(client: TestClient, app_id: str, headers: dict[str, str], **extra: Any) -> Any:
    body = {"verdict": "approve", "reason_code": "documents_verified", "internal_note": NOTE}
    return verdict(client, app_id, headers, **{**body, **extra})


def assert_sp_clean(text: str) -> None:
    for leak in LEAKS:
        assert leak not in text, leak


class TestClaims:
    def test_claim_lock_and_admin_release(self, client: TestClient, world: World) -> None:
        app_id = refer(client, world.sp_a, 2)
        url = f"/v1/review/cases/{app_id}"
        claimed = client.post(url + "/claim", headers=world.reviewer)
        assert claimed.status_code == 200, claimed.text
        assert claimed.json()["claimed_by"] == "user:reviewer"
        again = client.post(url + "/claim", headers=world.reviewer)
        assert again.status_code == 200  # one's own claim again is a no-op
        other = client.post(url + "/claim", headers=world.reviewer2)
        assert other.status_code == 409
        assert other.json()["code"] == "review_case_held"
        assert "user:reviewer" in other.json()["detail"]
        queue = client.get("/v1/review/queue", headers=world.reviewer2).json()
        assert [i["claimed_by"] for i in queue["items"]] == ["user:reviewer"]
        steal = client.post(url + "/release", json={}, headers=world.reviewer2)
        assert steal.status_code == 409
        assert approve(client, app_id, world.reviewer2).status_code == 409
        released = client.post(url + "/release", json={"note": "on leave"}, headers=world.admin)
        assert released.status_code == 200, released.text
        assert released.json()["claimed_by"] is None
        assert client.post(url + "/claim", headers=world.reviewer2).status_code == 200

    def test_roles_and_tenancy(self, client: TestClient, world: World) -> None:
        app_id = refer(client, world.sp_a, 2)
        url = f"/v1/review/cases/{app_id}/claim"
        assert client.post(url).status_code == 401
        assert client.post(url, headers=world.sp_a.headers).status_code == 403
        assert client.post(url, headers=world.analyst).status_code == 403
        assert client.post(url, headers=world.admin).status_code == 403  # admins release only
        missing = client.post("/v1/review/cases/app_nope/claim", headers=world.reviewer)
        assert missing.status_code == 404

    def test_an_application_not_referred_has_no_case(
        self, client: TestClient, world: World
    ) -> None:
        from tests.factories import make_body, submit

        declined = submit(client, world.sp_a, make_body(1)).json()
        assert declined["status"] == "declined"
        response = client.post(f"/v1/review/cases/{declined['id']}/claim", headers=world.reviewer)
        assert response.status_code == 404
        assert response.json()["code"] == "review_case_not_found"


class TestVerdicts:
    def test_approve_keeps_the_policy_outcome_apart(self, client: TestClient, world: World) -> None:
        app_id = refer(client, world.sp_a, 2)
        done = approve(client, app_id, world.reviewer, sp_message="请补签合同")
        assert done.status_code == 200, done.text
        assert (done.json()["status"], done.json()["policy_outcome"]) == ("final", "refer")
        sp = client.get(f"/v1/applications/{app_id}", headers=world.sp_a.headers)
        assert_sp_clean(sp.text)
        body = sp.json()
        assert body["status"] == "approved"
        assert body["decision"]["outcome"] == "refer"
        assert (body["final_outcome"], body["decided_by_role"]) == ("approve", "reviewer")
        assert body["review_message"] == "请补签合同"
        assert body["status_history"][-1]["actor"] == "reviewer"
        listing = client.get("/v1/applications", headers=world.sp_a.headers)
        assert_sp_clean(listing.text)
        assert listing.json()["items"][0]["final_outcome"] == "approve"
        staff = client.get(f"/v1/applications/{app_id}", headers=world.admin).json()
        assert staff["status_history"][-1]["note"] == f"review approve: {NOTE}"
        assert staff["status_history"][-1]["actor"] == "user:reviewer"
        closed = approve(client, app_id, world.reviewer)
        assert closed.status_code == 409
        assert closed.json()["code"] == "review_case_not_open"

    def test_decline_is_explained_by_the_final_outcome(
        self, client: TestClient, world: World
    ) -> None:
        app_id = refer(client, world.sp_a, 4)
        body = {"verdict": "decline", "reason_code": "affordability", "internal_note": NOTE}
        assert verdict(client, app_id, world.reviewer, **body).status_code == 200
        sp = client.get(f"/v1/applications/{app_id}", headers=world.sp_a.headers)
        assert_sp_clean(sp.text)
        assert (sp.json()["status"], sp.json()["decision"]["outcome"]) == ("declined", "refer")
        assert (sp.json()["final_outcome"], sp.json()["decided_by_role"]) == (
            "decline",
            "reviewer",
        )

    def test_an_automatic_outcome_is_the_systems(self, client: TestClient, world: World) -> None:
        from tests.factories import make_body, submit

        declined = submit(client, world.sp_a, make_body(1)).json()
        assert (declined["final_outcome"], declined["decided_by_role"]) == ("decline", "system")
        referred = client.get(
            f"/v1/applications/{refer(client, world.sp_a, 2)}", headers=world.sp_a.headers
        ).json()
        assert (referred["final_outcome"], referred["decided_by_role"]) == (None, None)

    def test_parts_that_do_not_fit_are_named(self, client: TestClient, world: World) -> None:
        app_id = refer(client, world.sp_a, 2)
        cases: list[tuple[dict[str, Any], str]] = [
            ({"verdict": "approve", "reason_code": "fraud_suspected"}, "reason_code"),
            ({"verdict": "request_information", "reason_code": "income_proof_needed"}, "checklist"),
            ({"verdict": "approve_changed", "reason_code": "ltv_restructured"}, "offer_rank"),
            (
                {"verdict": "approve", "reason_code": "risk_acceptable", "offer_rank": 1},
                "offer_rank",
            ),
            (
                {"verdict": "decline", "reason_code": "affordability",
                 "checklist": [{"kind": "income_proof"}]},
                "checklist",
            ),
        ]  # fmt: skip
        for body, field in cases:
            response = verdict(client, app_id, world.reviewer, internal_note="n", **body)
            assert response.status_code == 422, response.text
            assert response.json()["errors"][0]["field"] == field
        sp = client.get(f"/v1/applications/{app_id}", headers=world.sp_a.headers).json()
        assert sp["status"] == "referred"  # nothing half-written
        staff = client.get(f"/v1/review/cases/{app_id}", headers=world.reviewer).json()
        assert staff["review"]["verdicts"] == []

    def test_bad_bodies_are_422(self, client: TestClient, world: World) -> None:
        app_id = refer(client, world.sp_a, 2)
        bodies: list[dict[str, Any]] = [
            {"verdict": "approve", "reason_code": "documents_verified"},  # no note
            {"verdict": "maybe", "reason_code": "x", "internal_note": "n"},
            {"verdict": "approve", "reason_code": "documents_verified", "internal_note": "n",
             "reviewer": "someone"},
            {"verdict": "approve", "reason_code": "documents_verified",
             "internal_note": "x" * 2001},
            {"verdict": "request_information", "reason_code": "clarification_needed",
             "internal_note": "n", "checklist": [{"kind": "other"}]},
            {"verdict": "request_information", "reason_code": "clarification_needed",
             "internal_note": "n", "checklist": [{"kind": "passport"}]},
        ]  # fmt: skip
        for body in bodies:
            response = verdict(client, app_id, world.reviewer, **body)
            assert response.status_code == 422, (body, response.text)
            assert set(response.json()) >= {"error", "code", "detail"}

    def test_approve_on_a_changed_structure(
        self, client: TestClient, world: World, runtime: Runtime
    ) -> None:
        app_id = refer(client, world.sp_a, 2)
        offers = [
            {"rank": 1, "term_months": 36, "explanation_en": "as asked"},
            {"rank": 2, "term_months": 48, "explanation_en": "longer term"},
        ]
        with runtime.sessions.begin() as session:
            decision = session.query(Decision).filter_by(application_id=app_id).one()
            decision.offers = offers
        unknown = approve(client, app_id, world.reviewer, verdict="approve_changed",
                          reason_code="ltv_restructured", offer_rank=3)  # fmt: skip
        assert unknown.status_code == 422
        assert unknown.json()["errors"][0]["rule"] == "unknown_offer"
        done = approve(client, app_id, world.reviewer, verdict="approve_changed",
                       reason_code="ltv_restructured", offer_rank=2)  # fmt: skip
        assert done.status_code == 200, done.text
        sp = client.get(f"/v1/applications/{app_id}", headers=world.sp_a.headers).json()
        assert sp["final_outcome"] == "approve"
        assert sp["approved_offer"]["term_months"] == 48

    def test_an_sp_or_analyst_gives_no_verdict(self, client: TestClient, world: World) -> None:
        app_id = refer(client, world.sp_a, 2)
        assert approve(client, app_id, world.sp_a.headers).status_code == 403
        assert approve(client, app_id, world.analyst).status_code == 403
        assert approve(client, app_id, world.sp_b.headers).status_code == 404  # not its own


class TestFourEyes:
    def test_a_reason_code_needs_a_second_reviewer(self, client: TestClient, world: World) -> None:
        app_id = refer(client, world.sp_a, 2)
        body = {"verdict": "decline", "reason_code": "fraud_suspected", "internal_note": NOTE}
        pending = verdict(client, app_id, world.reviewer, **body)
        assert pending.status_code == 200, pending.text
        assert (pending.json()["status"], pending.json()["four_eyes_why"]) == (
            "pending",
            "reason fraud_suspected",
        )
        sp = client.get(f"/v1/applications/{app_id}", headers=world.sp_a.headers).json()
        assert (sp["status"], sp["final_outcome"]) == ("referred", None)
        url = f"/v1/review/cases/{app_id}/confirm"
        same = client.post(url, json={"confirm": True, "note": "ok"}, headers=world.reviewer)
        assert same.status_code == 403
        assert same.json()["code"] == "review_same_reviewer"
        done = client.post(url, json={"confirm": True, "note": "agreed"}, headers=world.reviewer2)
        assert done.status_code == 200, done.text
        assert (done.json()["status"], done.json()["confirmed_by"]) == (
            "confirmed",
            "user:reviewer2",
        )
        sp = client.get(f"/v1/applications/{app_id}", headers=world.sp_a.headers)
        assert_sp_clean(sp.text)
        assert (sp.json()["status"], sp.json()["final_outcome"]) == ("declined", "decline")
        again = client.post(url, json={"confirm": True, "note": "x"}, headers=world.reviewer2)
        assert again.status_code == 409

    def test_above_the_amount_and_a_rejection(
        self,
        client: TestClient,
        world: World,
        runtime: Runtime,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setattr(runtime.settings, "review", ReviewSettings(four_eyes_amount=100000))
        small, large = refer(client, world.sp_a, 2), refer(client, world.sp_a, 11)
        assert approve(client, small, world.reviewer).json()["status"] == "final"
        assert approve(client, large, world.reviewer).json()["status"] == "pending"
        blocked = approve(client, large, world.reviewer)
        assert blocked.status_code == 409  # waiting for the second reviewer
        url = f"/v1/review/cases/{large}/confirm"
        rejected = client.post(url, json={"confirm": False, "note": "ask for income"},
                               headers=world.reviewer2)  # fmt: skip
        assert rejected.json()["status"] == "rejected"
        staff = client.get(f"/v1/review/cases/{large}", headers=world.reviewer).json()
        assert staff["review"]["state"] == "open"
        assert staff["application"]["status"] == "referred"
        bad = client.post(url, json={"confirm": "yes please", "note": "x"}, headers=world.reviewer2)
        assert bad.status_code == 422
