from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from autolease.auth.principal import Role
from autolease.decision.files import load_one, packaged_root
from autolease.runtime import Runtime
from tests.decision.conftest import graph
from tests.decision.wiring import app_with_decisions, wire
from tests.factories import Tenant, login, make_body, make_sp, make_user

KEY = "origination/approve"
VERSION = load_one(packaged_root(), KEY).document.version
CASES = """
[policy]
version = "api-1"
[defaults]
applicant_age = 30
[[case]]
name = "everyone is declined"
outcome = "decline"
reasons = ["DECLINE_ALL"]
"""


@pytest.fixture
def http(runtime: Runtime) -> TestClient:
    with TestClient(app_with_decisions(runtime)) as client:
        return client


def people(runtime: Runtime, *roles: Role) -> Tenant:
    with runtime.sessions.begin() as session:
        tenant = make_sp(session, runtime, "SP-A")
        for role in roles:
            make_user(session, runtime, role.value, role)
    return tenant


class TestListPolicies:
    def test_staff_see_packaged_policies_with_the_version_in_force(
        self, runtime: Runtime, http: TestClient
    ) -> None:
        people(runtime, Role.REVIEWER)
        response = http.get("/v1/policies", headers=login(http, "reviewer"))
        assert response.status_code == 200
        policies = {p["key"]: p for p in response.json()}
        assert policies[KEY]["active_version"] == VERSION
        assert policies[KEY]["active_source"] == "file"

    def test_an_sp_may_not_list_policies(self, runtime: Runtime, http: TestClient) -> None:
        tenant = people(runtime)
        assert http.get("/v1/policies", headers=tenant.headers).status_code == 403


class TestActivate:
    def test_one_analyst_proposes_another_approves_and_the_listing_shows_it(
        self, runtime: Runtime, http: TestClient
    ) -> None:
        people(runtime, Role.RISK_ANALYST)
        with runtime.sessions.begin() as session:
            make_user(session, runtime, "checker", Role.RISK_ANALYST)
        maker, checker = login(http, "risk_analyst"), login(http, "checker")
        base = f"/v1/policies/{KEY}/versions/{VERSION}"
        proposed = http.post(f"{base}/proposals", json={"note": "go"}, headers=maker)
        assert proposed.status_code == 201, proposed.text
        assert (proposed.json()["status"], proposed.json()["proposed_by"]) == (
            "pending",
            "user:risk_analyst",
        )
        listed = {p["key"]: p for p in http.get("/v1/policies", headers=maker).json()}
        assert listed[KEY]["active_source"] == "file"
        response = http.post(f"{base}/activate", headers=checker)
        assert response.status_code == 201, response.text
        assert response.json()["activated_by"] == "user:checker"
        listed = {p["key"]: p for p in http.get("/v1/policies", headers=maker).json()}
        assert listed[KEY]["active_source"] == "activation"
        assert [v["version"] for v in listed[KEY]["versions"]] == [VERSION]

    def test_the_proposer_may_not_approve(self, runtime: Runtime, http: TestClient) -> None:
        people(runtime, Role.RISK_ANALYST)
        headers = login(http, "risk_analyst")
        base = f"/v1/policies/{KEY}/versions/{VERSION}"
        assert http.post(f"{base}/proposals", json={}, headers=headers).status_code == 201
        response = http.post(f"{base}/activate", headers=headers)
        assert response.status_code == 403
        assert response.json()["code"] == "self_approval_refused"
        assert response.json()["errors"][0]["message_zh"] == "提议人不能审批自己的变更"

    def test_another_analyst_rejects_and_the_proposals_list_it(
        self, runtime: Runtime, http: TestClient
    ) -> None:
        people(runtime, Role.RISK_ANALYST, Role.REVIEWER)
        with runtime.sessions.begin() as session:
            make_user(session, runtime, "checker", Role.RISK_ANALYST)
        maker, checker = login(http, "risk_analyst"), login(http, "checker")
        base = f"/v1/policies/{KEY}/versions/{VERSION}"
        assert http.post(f"{base}/proposals", json={}, headers=maker).status_code == 201
        own = http.post(f"{base}/reject", headers=maker)
        assert (own.status_code, own.json()["code"]) == (403, "self_approval_refused")
        pending = http.get("/v1/policies/proposals?status=pending", headers=maker).json()
        assert [(p["key"], p["status"]) for p in pending] == [(KEY, "pending")]
        rejected = http.post(f"{base}/reject", headers=checker)
        assert rejected.status_code == 200, rejected.text
        assert (rejected.json()["status"], rejected.json()["decided_by"]) == (
            "rejected",
            "user:checker",
        )
        assert http.get("/v1/policies/proposals?status=pending", headers=maker).json() == []
        listed = http.get(f"/v1/policies/proposals?key={KEY}", headers=checker).json()
        assert [p["status"] for p in listed] == ["rejected"]
        again = http.post(f"{base}/reject", headers=checker)
        assert (again.status_code, again.json()["code"]) == (404, "change_not_found")
        reviewer = login(http, "reviewer")
        assert http.get("/v1/policies/proposals", headers=reviewer).status_code == 403
        bad = http.get("/v1/policies/proposals?status=maybe", headers=maker)
        assert bad.status_code == 422

    def test_activation_needs_a_proposal(self, runtime: Runtime, http: TestClient) -> None:
        people(runtime, Role.RISK_ANALYST)
        path = f"/v1/policies/{KEY}/versions/{VERSION}/activate"
        response = http.post(path, headers=login(http, "risk_analyst"))
        assert response.status_code == 404
        assert response.json()["code"] == "change_not_found"

    def test_a_reviewer_may_not_propose_or_activate(
        self, runtime: Runtime, http: TestClient
    ) -> None:
        tenant = people(runtime, Role.REVIEWER)
        base = f"/v1/policies/{KEY}/versions/{VERSION}"
        headers = login(http, "reviewer")
        assert http.post(f"{base}/proposals", json={}, headers=headers).status_code == 403
        assert http.post(f"{base}/activate", headers=headers).status_code == 403
        assert http.post(f"{base}/proposals", json={}, headers=tenant.headers).status_code == 403
        assert http.post(f"{base}/proposals", json={}).status_code == 401

    def test_an_unknown_version_is_404(self, runtime: Runtime, http: TestClient) -> None:
        people(runtime, Role.RISK_ANALYST)
        path = f"/v1/policies/{KEY}/versions/0.0.0/proposals"
        response = http.post(path, json={}, headers=login(http, "risk_analyst"))
        assert response.status_code == 404
        assert response.json()["code"] == "policy_not_found"

    def test_a_back_dated_or_malformed_proposal_is_422(
        self, runtime: Runtime, http: TestClient
    ) -> None:
        people(runtime, Role.RISK_ANALYST)
        headers = login(http, "risk_analyst")
        path = f"/v1/policies/{KEY}/versions/{VERSION}/proposals"
        past = http.post(
            path, json={"effective_from": "2020-01-01T00:00:00+08:00"}, headers=headers
        )
        assert past.status_code == 422
        assert past.json()["errors"][0]["field"] == "effective_from"
        extra = http.post(path, json={"approver": "me"}, headers=headers)
        assert extra.status_code == 422


class TestUploadVersion:
    def test_a_new_version_is_uploaded_with_its_cases(
        self, runtime: Runtime, http: TestClient
    ) -> None:
        people(runtime, Role.RISK_ANALYST)
        body = {
            "version": "api-1",
            "content": graph([("true", "DECLINE_ALL", "decline")]),
            "cases": CASES,
        }
        response = http.post(
            f"/v1/policies/{KEY}/versions", json=body, headers=login(http, "risk_analyst")
        )
        assert response.status_code == 201, response.text
        assert response.json()["source"] == "api"

    def test_failing_cases_are_a_422_naming_the_case(
        self, runtime: Runtime, http: TestClient
    ) -> None:
        people(runtime, Role.RISK_ANALYST)
        body = {"version": "api-1", "content": graph([]), "cases": CASES}
        response = http.post(
            f"/v1/policies/{KEY}/versions", json=body, headers=login(http, "risk_analyst")
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "cases.everyone is declined"


class TestReplayAndReview:
    def test_replay_then_review_a_referred_application(
        self, runtime: Runtime, http: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        wired = wire(runtime, monkeypatch)
        tenant = people(runtime, Role.REVIEWER, Role.RISK_ANALYST)
        data = wired.submit(http, tenant, make_body(2))
        reviewer = login(http, "reviewer")
        replay = http.get(f"/v1/decisions/{data['decision_id']}/replay", headers=reviewer)
        assert replay.status_code == 200, replay.text
        assert replay.json()["matches"] is True
        path = f"/v1/applications/{data['id']}/review"
        analyst = http.post(path, json={"decision": "approve", "note": "ok"},
                            headers=login(http, "risk_analyst"))  # fmt: skip
        assert analyst.status_code == 403
        done = http.post(path, json={"decision": "approve", "note": "met the buyer"},
                         headers=reviewer)  # fmt: skip
        assert done.status_code == 200, done.text
        assert (done.json()["status"], done.json()["verdict"]) == ("approved", "approve")
        again = http.post(path, json={"decision": "decline", "note": "x"}, headers=reviewer)
        assert again.status_code == 409
        assert again.json()["code"] == "review_not_allowed"
        events = http.get(f"/v1/audit/events?entity_id={data['id']}",
                          headers=login(http, "risk_analyst")).json()  # fmt: skip
        reviewed = [e for e in events if e["action"] == "application.reviewed"]
        assert json.dumps(reviewed[0]["payload"], ensure_ascii=False).count("met the buyer") == 1

    def test_an_sp_may_not_replay(
        self, runtime: Runtime, http: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        wired = wire(runtime, monkeypatch)
        tenant = people(runtime)
        data = wired.submit(http, tenant, make_body(2))
        response = http.get(f"/v1/decisions/{data['decision_id']}/replay", headers=tenant.headers)
        assert response.status_code == 403

    def test_a_review_note_is_required(
        self, runtime: Runtime, http: TestClient, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        wired = wire(runtime, monkeypatch)
        tenant = people(runtime, Role.REVIEWER)
        data = wired.submit(http, tenant, make_body(2))
        response = http.post(
            f"/v1/applications/{data['id']}/review",
            json={"decision": "approve"},
            headers=login(http, "reviewer"),
        )
        assert response.status_code == 422
