"""The older `POST /v1/applications/{id}/review`: a wrapper over the workbench's verdict, so one
verdict is one `review_verdict` record, with the same four-eyes, roles and tenancy."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from autolease.decision.models import DecisionReview
from autolease.review.models import ReviewVerdict
from autolease.review.settings import ReviewSettings
from autolease.runtime import Runtime
from tests.review.conftest import World, refer

NOTE = "met the buyer internal-only"


def older(client: TestClient, app_id: str, headers: dict[str, str], **body: Any) -> Any:
    return client.post(f"/v1/applications/{app_id}/review", json=body, headers=headers)


def records(runtime: Runtime, app_id: str) -> tuple[int, int]:
    """How many workbench verdicts and older `decision_review` rows the application has."""
    with runtime.sessions() as session:
        verdicts = session.scalar(
            select(func.count()).where(ReviewVerdict.application_id == app_id)
        )
        older_rows = session.scalar(
            select(func.count()).where(DecisionReview.application_id == app_id)
        )
    return int(verdicts or 0), int(older_rows or 0)


class TestOneRecord:
    def test_one_verdict_is_one_record_seen_alike_by_sp_and_staff(
        self, client: TestClient, world: World, runtime: Runtime
    ) -> None:
        app_id = refer(client, world.sp_a, 4)
        done = older(client, app_id, world.reviewer, decision="decline", note=NOTE)
        assert done.status_code == 200, done.text
        body = done.json()
        assert set(body) == {
            "application_id", "decision_id", "verdict", "note", "reviewer", "reviewed_at",
            "status",
        }  # fmt: skip
        assert (body["verdict"], body["note"], body["status"]) == ("decline", NOTE, "declined")
        assert body["reviewer"] == "user:reviewer"
        assert records(runtime, app_id) == (1, 0)
        case = client.get(f"/v1/review/cases/{app_id}", headers=world.reviewer).json()["review"]
        [verdict] = case["verdicts"]
        assert (verdict["verdict"], verdict["reason_code"], verdict["internal_note"]) == (
            "decline", "unspecified", NOTE,
        )  # fmt: skip
        assert verdict["reviewed_at"] == body["reviewed_at"]
        sp = client.get(f"/v1/applications/{app_id}", headers=world.sp_a.headers).json()
        assert NOTE not in str(sp)
        staff_view = (case["status"], case["final_outcome"], case["decided_by_role"])
        sp_view = (sp["status"], sp["final_outcome"], sp["decided_by_role"])
        assert staff_view == sp_view == ("declined", "decline", "reviewer")
        assert sp["decision"]["outcome"] == "refer"

    def test_a_second_verdict_is_refused_and_writes_nothing(
        self, client: TestClient, world: World, runtime: Runtime
    ) -> None:
        app_id = refer(client, world.sp_a, 2)
        assert (
            older(client, app_id, world.reviewer, decision="approve", note="ok").status_code == 200
        )
        again = older(client, app_id, world.reviewer2, decision="decline", note="no")
        assert again.status_code == 409
        assert again.json()["code"] == "review_not_allowed"
        assert records(runtime, app_id) == (1, 0)


class TestFourEyes:
    def test_above_the_amount_the_older_endpoint_waits_for_a_second_reviewer(
        self,
        client: TestClient,
        world: World,
        runtime: Runtime,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setattr(runtime.settings, "review", ReviewSettings(four_eyes_amount=100000))
        app_id = refer(client, world.sp_a, 11)
        pending = older(client, app_id, world.reviewer, decision="approve", note=NOTE)
        assert pending.status_code == 200, pending.text
        assert (pending.json()["status"], pending.json()["verdict"]) == ("referred", "approve")
        case = client.get(f"/v1/review/cases/{app_id}", headers=world.reviewer).json()["review"]
        assert case["state"] == "awaiting_confirmation"
        assert case["verdicts"][0]["status"] == "pending"
        sp = client.get(f"/v1/applications/{app_id}", headers=world.sp_a.headers).json()
        assert (sp["status"], sp["final_outcome"]) == ("referred", None)
        blocked = older(client, app_id, world.reviewer2, decision="decline", note="x")
        assert blocked.status_code == 409  # the case waits for confirmation
        assert blocked.json()["code"] == "review_case_not_open"
        url = f"/v1/review/cases/{app_id}/confirm"
        same = client.post(url, json={"confirm": True, "note": "ok"}, headers=world.reviewer)
        assert same.status_code == 403
        assert same.json()["code"] == "review_same_reviewer"
        done = client.post(url, json={"confirm": True, "note": "agreed"}, headers=world.reviewer2)
        assert done.status_code == 200, done.text
        sp = client.get(f"/v1/applications/{app_id}", headers=world.sp_a.headers).json()
        assert (sp["status"], sp["final_outcome"]) == ("approved", "approve")
        assert records(runtime, app_id) == (1, 0)

    def test_a_held_case_is_the_holders(self, client: TestClient, world: World) -> None:
        app_id = refer(client, world.sp_a, 2)
        assert client.post(f"/v1/review/cases/{app_id}/claim", headers=world.reviewer2).is_success
        response = older(client, app_id, world.reviewer, decision="approve", note="ok")
        assert response.status_code == 409
        assert response.json()["code"] == "review_case_held"


class TestRolesTenancyAndInput:
    def test_only_reviewers(self, client: TestClient, world: World, runtime: Runtime) -> None:
        app_id = refer(client, world.sp_a, 2)
        body = {"decision": "approve", "note": "ok"}
        assert client.post(f"/v1/applications/{app_id}/review", json=body).status_code == 401
        for headers in (world.sp_a.headers, world.analyst, world.admin):
            assert older(client, app_id, headers, **body).status_code == 403
        assert older(client, app_id, world.sp_b.headers, **body).status_code == 404  # not its own
        assert older(client, "app_nope", world.reviewer, **body).status_code == 404
        assert records(runtime, app_id) == (0, 0)

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"decision": "maybe", "note": "ok"}, "decision"),
            ({"decision": "approve"}, "note"),
            ({"decision": "approve", "note": ""}, "note"),
            ({"decision": "approve", "note": "x" * 401}, "note"),
            ({"decision": "approve", "note": "ok", "reason_code": "x"}, "reason_code"),
        ],
    )
    def test_bad_bodies_are_422_naming_the_field(
        self,
        client: TestClient,
        world: World,
        runtime: Runtime,
        body: dict[str, Any],
        field: str,
    ) -> None:
        app_id = refer(client, world.sp_a, 2)
        response = older(client, app_id, world.reviewer, **body)
        assert response.status_code == 422
        assert field in response.text
        assert records(runtime, app_id) == (0, 0)
