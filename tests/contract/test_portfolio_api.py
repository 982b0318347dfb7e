"""The store's portfolio report: built from contracts and servicing events, for analysts."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.contract.conftest import Approved
from tests.factories import login


def _paid_out(client: TestClient, ok: Approved) -> dict[str, Any]:
    contract = client.post(
        f"/v1/applications/{ok.application_id}/contract",
        json={"decision_id": ok.decision_id, "offer_rank": 1},
        headers=ok.sp.headers,
    ).json()
    event = {
        "kind": "payout",
        "event_id": "p-1",
        "occurred_on": "2026-01-10",
        "amount": contract["financed_amount"],
        "reference": "B-1",
    }
    paid = client.post(
        f"/v1/contracts/{contract['id']}/events", json={"event": event}, headers=ok.admin
    )
    assert paid.status_code == 201, paid.text
    return dict(paid.json()["contract"])


def _curve(report: dict[str, Any]) -> dict[int, float]:
    return {row["mob"]: row["bad_rate"] for row in report["vintages"]["all"]}


class TestPortfolioReport:
    def test_an_unpaid_contract_goes_bad_in_its_vintage(
        self, client: TestClient, approved: Approved
    ) -> None:
        _paid_out(client, approved)
        analyst = login(client, "analyst")
        report = client.get(
            "/v1/portfolio/report", params={"as_of": "2026-06-30"}, headers=analyst
        ).json()
        assert report["contracts"] == 1
        assert report["months"][0] == "2026-01"
        curve = _curve(report)
        # Payout 10 Jan, first rent due 10 Feb (or 10 Jan in advance), nothing paid: M1 at the
        # end of February (MOB 1), M3+ once 61 days have passed (end of April, MOB 3).
        assert curve[0] == 0.0
        assert curve[3] == 1.0
        assert report["roll_rates"]["M1"]["M2"] > 0

    def test_the_html_report_draws_the_curves(self, client: TestClient, approved: Approved) -> None:
        _paid_out(client, approved)
        page = client.get("/v1/portfolio/report.html", headers=login(client, "admin"))
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        assert "<svg" in page.text
        assert "Decisions by month" in page.text
        assert "http://" not in page.text
        assert "https://" not in page.text

    def test_an_empty_book_is_an_empty_report(self, client: TestClient, approved: Approved) -> None:
        report = client.get("/v1/portfolio/report", headers=approved.admin).json()
        assert report["contracts"] == 0
        assert report["alerts"] == []
        # The store's decisions still feed the drift: this month's outcomes.
        [month] = report["outcome_rates"]
        assert month["n"] >= 1
        shares = month["approve_rate"] + month["refer_rate"] + month["decline_rate"]
        assert abs(shares - 1) < 1e-9
        if month["refer_rate"] > 0:  # a referral carries its codes into the reason shares
            assert report["reason_shares"]


class TestAccess:
    def test_sp_keys_and_reviewers_are_refused(
        self, client: TestClient, approved: Approved
    ) -> None:
        assert client.get("/v1/portfolio/report", headers=approved.sp.headers).status_code == 403
        reviewer = login(client, "reviewer")
        assert client.get("/v1/portfolio/report", headers=reviewer).status_code == 403
        assert client.get("/v1/portfolio/report").status_code == 401

    def test_a_bad_date_names_the_field(self, client: TestClient, approved: Approved) -> None:
        response = client.get(
            "/v1/portfolio/report", params={"as_of": "2026-02-30"}, headers=approved.admin
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "as_of"
