"""The H5 application page's "ask for a human review" form: the same use case as
`POST /v1/applications/{id}/human-review` (session, CSRF, tenancy, bad input)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from autolease.review.models import HumanReviewRequest
from autolease.runtime import Runtime
from tests.factories import Tenant, login, submit
from tests.h5.conftest import example
from tests.h5.test_portal import SpPage, page_token, status_of

FORM = 'id="human-review-form"'


def declined_by_a_reviewer(client: TestClient, tenant: Tenant) -> str:
    created = submit(client, tenant, example())
    assert created.json()["decision"]["outcome"] == "refer"
    app_id = str(created.json()["id"])
    verdict = {"verdict": "decline", "reason_code": "affordability", "internal_note": "收入不足"}
    done = client.post(
        f"/v1/review/cases/{app_id}/verdict", json=verdict, headers=login(client, "reviewer")
    )
    assert done.status_code == 200, done.text
    return app_id


def requests_of(runtime: Runtime, app_id: str) -> int:
    with runtime.sessions() as session:
        query = select(func.count()).where(HumanReviewRequest.application_id == app_id)
        return int(session.scalar(query) or 0)


def ask(client: TestClient, app_id: str, token: str, reason: str) -> Any:
    return client.post(
        f"/h5/applications/{app_id}/human-review",
        data={"csrf_token": token, "reason": reason},
        follow_redirects=False,
    )


class TestHumanReviewForm:
    def test_the_sp_asks_and_the_page_shows_the_open_request(
        self, client: TestClient, runtime: Runtime, tenants: tuple[Tenant, Tenant], sp_page: SpPage
    ) -> None:
        a, _ = tenants
        app_id = declined_by_a_reviewer(client, a)
        sp_page()
        page = client.get(f"/h5/applications/{app_id}")
        assert FORM in page.text
        token = page_token(client, f"/h5/applications/{app_id}")
        response = ask(client, app_id, token, "申请人已补充收入，请复核")
        assert response.status_code == 303, response.text
        assert response.headers["location"] == f"/h5/applications/{app_id}?review_requested=1"
        assert status_of(runtime, app_id) == "referred"
        shown = client.get(response.headers["location"]).text
        assert 'id="human-review-requested"' in shown
        assert "已申请人工复核" in shown
        assert "申请人已补充收入，请复核" in shown
        assert FORM not in shown
        queue = client.get(
            "/v1/review/queue?reason=APPLICANT_REVIEW_REQUESTED", headers=login(client, "reviewer")
        ).json()
        assert [i["application_id"] for i in queue["items"]] == [app_id]
        again = ask(client, app_id, token, "再次申请")
        assert again.status_code == 303  # the open request stands; nothing new
        assert requests_of(runtime, app_id) == 1

    def test_no_form_on_an_approved_application_and_a_post_is_refused(
        self, client: TestClient, runtime: Runtime, tenants: tuple[Tenant, Tenant], sp_page: SpPage
    ) -> None:
        a, _ = tenants
        created = submit(client, a, example())
        app_id = str(created.json()["id"])
        verdict = {"verdict": "approve", "reason_code": "risk_acceptable", "internal_note": "n"}
        client.post(
            f"/v1/review/cases/{app_id}/verdict", json=verdict, headers=login(client, "reviewer")
        )
        sp_page()
        assert FORM not in client.get(f"/h5/applications/{app_id}").text
        token = page_token(client, f"/h5/applications/{app_id}")
        assert ask(client, app_id, token, "请复核").status_code == 409
        assert requests_of(runtime, app_id) == 0

    def test_bad_reasons_csrf_and_another_sps_application(
        self, client: TestClient, runtime: Runtime, tenants: tuple[Tenant, Tenant], sp_page: SpPage
    ) -> None:
        a, b = tenants
        mine, theirs = declined_by_a_reviewer(client, a), declined_by_a_reviewer(client, b)
        sp_page()
        token = page_token(client, f"/h5/applications/{mine}")
        for reason in ("", "   ", "x" * 1001):
            assert ask(client, mine, token, reason).status_code == 422, len(reason)
        assert ask(client, mine, "forged", "请复核").status_code == 403
        assert ask(client, theirs, token, "请复核").status_code == 404
        assert requests_of(runtime, mine) == requests_of(runtime, theirs) == 0
        assert status_of(runtime, mine) == "declined"

    def test_without_a_session_the_post_is_refused(
        self, client: TestClient, runtime: Runtime, tenants: tuple[Tenant, Tenant]
    ) -> None:
        a, _ = tenants
        app_id = declined_by_a_reviewer(client, a)
        response = ask(client, app_id, "x", "请复核")
        assert response.status_code == 401  # a POST without a session: no redirect
        assert requests_of(runtime, app_id) == 0
