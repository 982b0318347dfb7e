"""The title goes back after payoff: a paid-off contract shows the last day to release it and
whether that day has passed, and `GET /v1/contracts?title_release=owed|overdue` lists them
(tenancy, bad input; written-off contracts owe no release)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolease.contract.title import release_due_on, release_overdue
from autolease.kit.clock import FixedClock, business_date
from tests.contract.conftest import Approved
from tests.contract.test_api import accept, post_event
from tests.factories import login


class TestRule:
    @pytest.mark.parametrize(
        ("status", "state", "due"),
        [
            ("matured", "registered", date(2027, 1, 11)),
            ("settled_early", "pending", date(2027, 1, 11)),
            ("settled_early", "released", None),
            ("written_off", "registered", None),
            ("repossessed", "registered", None),
            ("active", "registered", None),
        ],
    )
    def test_only_a_paid_off_contract_owes_its_title(
        self, status: str, state: str, due: date | None
    ) -> None:
        assert release_due_on(status, date(2027, 1, 1), state, 10) == due

    def test_overdue_the_day_after_the_last_day(self) -> None:
        last = date(2027, 1, 11)
        assert not release_overdue(last, last)
        assert release_overdue(last, last + timedelta(days=1))
        assert not release_overdue(None, last + timedelta(days=99))


def settled(client: TestClient, ok: Approved, today: date) -> dict[str, Any]:
    """A contract paid out today and settled early two days later."""
    contract = accept(client, ok).json()
    steps: list[dict[str, Any]] = [
        {
            "kind": "payout",
            "event_id": "p",
            "amount": contract["financed_amount"],
            "reference": "B",
        },
        {"kind": "title", "event_id": "t", "state": "registered", "reference": "MTG-1"},
        {"kind": "settlement_quote", "event_id": "q", "days": 1},
    ]
    for step in steps:
        day = today + timedelta(days=step.pop("days", 0))
        done = post_event(client, ok, contract["id"], occurred_on=day.isoformat(), **step)
        assert done.status_code == 201, done.text
    total = done.json()["result"]["quote"]["total"]
    paid = post_event(
        client, ok, contract["id"], kind="settlement_payment", event_id="s",
        occurred_on=(today + timedelta(days=2)).isoformat(), amount=total, quote_event_id="q",
    )  # fmt: skip
    assert paid.status_code == 201, paid.text
    body: dict[str, Any] = paid.json()["contract"]
    return body


def listed(client: TestClient, headers: dict[str, str], which: str) -> list[str]:
    response = client.get("/v1/contracts", params={"title_release": which}, headers=headers)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


class TestApi:
    def test_a_settled_contract_owes_its_title_until_released(
        self, client: TestClient, approved: Approved, clock: FixedClock
    ) -> None:
        today = business_date(clock.now())
        contract = settled(client, approved, today)
        due = today + timedelta(days=12)
        assert contract["status"] == "settled_early"
        assert contract["title_release_due_on"] == due.isoformat()
        assert contract["title_release_overdue"] is False
        assert listed(client, approved.admin, "owed") == []  # closes in two days
        clock.advance(days=2)
        admin = login(client, "admin")
        assert listed(client, admin, "owed") == [contract["id"]]
        assert listed(client, admin, "overdue") == []
        assert listed(client, approved.sp.headers, "owed") == [contract["id"]]
        assert listed(client, approved.other_sp.headers, "owed") == []
        clock.advance(days=11)
        admin = login(client, "admin")
        assert listed(client, admin, "overdue") == [contract["id"]]
        read = client.get(f"/v1/contracts/{contract['id']}", headers=admin).json()
        assert read["title_release_overdue"] is True
        release = {
            "kind": "title", "event_id": "t-2", "state": "released", "reference": "R-1",
            "occurred_on": business_date(clock.now()).isoformat(),
        }  # fmt: skip
        released = client.post(
            f"/v1/contracts/{contract['id']}/events", json={"event": release}, headers=admin
        )
        assert released.status_code == 201, released.text
        assert released.json()["contract"]["title_release_due_on"] is None
        assert listed(client, admin, "overdue") == []
        assert listed(client, admin, "owed") == []

    def test_an_unknown_filter_is_named(self, client: TestClient, approved: Approved) -> None:
        response = client.get(
            "/v1/contracts", params={"title_release": "late"}, headers=approved.admin
        )
        assert response.status_code == 422
        assert "title_release" in response.text
