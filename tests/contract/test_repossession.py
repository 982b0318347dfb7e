"""Repossession only after a default: enough days past due on the day, a default notice given
in the same delinquency, and its notice period run (the pure rule and the API)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolease.contract.repossession import (
    Notice,
    RepossessionRefused,
    RepossessionRule,
    notice_relied_on,
)
from tests.contract.conftest import Approved
from tests.contract.test_api import accept, post_event

RULE = RepossessionRule(min_days_past_due=60, notice_period_days=7)
DAY = date(2027, 3, 1)


def relied(days_past_due: int, notices: list[Notice]) -> Notice:
    return notice_relied_on(RULE, as_of=DAY, days_past_due=days_past_due, notices=notices)


class TestRule:
    def test_allowed_after_the_default_a_notice_and_its_period(self) -> None:
        notice = Notice("n-1", DAY - timedelta(days=7))
        assert relied(60, [notice]) == notice

    @pytest.mark.parametrize("days_past_due", [0, 1, 59])
    def test_too_few_days_past_due(self, days_past_due: int) -> None:
        notices = [Notice("n-1", DAY - timedelta(days=30))]
        with pytest.raises(RepossessionRefused, match=f"is {days_past_due} days past due"):
            relied(days_past_due, notices)

    def test_no_notice_or_one_of_an_earlier_delinquency(self) -> None:
        before_the_arrears = [Notice("old", DAY - timedelta(days=61))]
        after_the_day = [Notice("later", DAY + timedelta(days=1))]
        for notices in ([], before_the_arrears, after_the_day):
            with pytest.raises(RepossessionRefused, match="record a default_notice first"):
                relied(60, notices)
        on_the_due_date = Notice("due", DAY - timedelta(days=60))
        assert relied(60, [on_the_due_date]) == on_the_due_date

    def test_the_notice_period_has_not_run(self) -> None:
        with pytest.raises(RepossessionRefused, match="until 2027-03-02"):
            relied(90, [Notice("n-2", DAY - timedelta(days=6))])
        first, second = Notice("n-1", DAY - timedelta(9)), Notice("n-2", DAY - timedelta(days=2))
        assert relied(90, [second, first]) == first  # the earliest notice of the delinquency


def paid_out(client: TestClient, approved: Approved) -> tuple[str, date]:
    """A contract paid out on 1 Dec 2026 with nothing repaid; its first rent's due date."""
    contract = accept(client, approved).json()
    payout = post_event(
        client,
        approved,
        contract["id"],
        kind="payout",
        event_id="p-1",
        occurred_on="2026-12-01",
        amount=contract["financed_amount"],
        reference="B1",
    )
    assert payout.status_code == 201, payout.text
    read = client.get(
        f"/v1/contracts/{contract['id']}", params={"as_of": "2026-12-01"}, headers=approved.admin
    )
    first_due = date.fromisoformat(read.json()["schedule"][0]["due_on"])
    return str(contract["id"]), first_due


def event(client: TestClient, approved: Approved, contract_id: str, **body: Any) -> Any:
    return post_event(client, approved, contract_id, **body)


def status_of(client: TestClient, approved: Approved, contract_id: str) -> str:
    read = client.get(f"/v1/contracts/{contract_id}", headers=approved.admin)
    return str(read.json()["status"])


class TestApi:
    def test_a_repossession_waits_for_the_default_the_notice_and_its_period(
        self, client: TestClient, approved: Approved
    ) -> None:
        contract_id, first_due = paid_out(client, approved)
        day = first_due + timedelta(days=60)
        early = event(
            client, approved, contract_id, kind="repossession", event_id="x-0",
            occurred_on=(day - timedelta(days=1)).isoformat(),
        )  # fmt: skip
        assert early.status_code == 422
        assert "59 days past due" in early.text
        no_notice = event(
            client, approved, contract_id, kind="repossession", event_id="x-1",
            occurred_on=day.isoformat(),
        )  # fmt: skip
        assert no_notice.status_code == 422
        assert "record a default_notice first" in no_notice.text
        notice_day = day - timedelta(days=3)
        notice = event(
            client, approved, contract_id, kind="default_notice", event_id="n-1",
            occurred_on=notice_day.isoformat(), reference="LTR-2027-001",
        )  # fmt: skip
        assert notice.status_code == 201, notice.text
        result = notice.json()["result"]
        assert result["days_past_due"] == 57
        assert result["remedy_by"] == (notice_day + timedelta(days=7)).isoformat()
        waiting = event(
            client, approved, contract_id, kind="repossession", event_id="x-2",
            occurred_on=day.isoformat(),
        )  # fmt: skip
        assert waiting.status_code == 422
        assert "gives the lessee until" in waiting.text
        assert status_of(client, approved, contract_id) == "active"
        done = event(
            client, approved, contract_id, kind="repossession", event_id="x-3",
            occurred_on=(notice_day + timedelta(days=7)).isoformat(),
        )  # fmt: skip
        assert done.status_code == 201, done.text
        assert done.json()["contract"]["status"] == "repossessed"
        assert done.json()["result"]["notice_event_id"] == "n-1"
        assert done.json()["result"]["days_past_due"] == 64

    def test_catching_up_voids_the_notice(self, client: TestClient, approved: Approved) -> None:
        contract_id, first_due = paid_out(client, approved)
        notice = event(
            client, approved, contract_id, kind="default_notice", event_id="n-1",
            occurred_on=(first_due + timedelta(days=10)).isoformat(), reference="LTR-1",
        )  # fmt: skip
        assert notice.status_code == 201, notice.text
        read = client.get(f"/v1/contracts/{contract_id}", headers=approved.admin).json()
        rent = read["schedule"][0]["payment"]
        paid = event(
            client, approved, contract_id, kind="repayment", event_id="r-1",
            occurred_on=(first_due + timedelta(days=20)).isoformat(), amount=rent,
        )  # fmt: skip
        assert paid.status_code == 201, paid.text
        second_due = date.fromisoformat(read["schedule"][1]["due_on"])
        late = event(
            client, approved, contract_id, kind="repossession", event_id="x-1",
            occurred_on=(second_due + timedelta(days=70)).isoformat(),
        )  # fmt: skip
        assert late.status_code == 422
        assert "record a default_notice first" in late.text

    def test_a_notice_needs_arrears_and_an_active_contract(
        self, client: TestClient, approved: Approved
    ) -> None:
        booked = accept(client, approved).json()["id"]
        not_paid_out = event(
            client, approved, booked, kind="default_notice", event_id="n-0",
            occurred_on="2026-12-20", reference="LTR-0",
        )  # fmt: skip
        assert not_paid_out.status_code == 422
        contract_id, first_due = paid_out(client, approved)
        current = event(
            client, approved, contract_id, kind="default_notice", event_id="n-1",
            occurred_on=first_due.isoformat(), reference="LTR-1",
        )  # fmt: skip
        assert current.status_code == 422
        assert "not past due" in current.text

    def test_bad_input_is_named(self, client: TestClient, approved: Approved) -> None:
        contract_id, first_due = paid_out(client, approved)
        day = (first_due + timedelta(days=5)).isoformat()
        for body, field in (
            ({"occurred_on": day}, "reference"),
            ({"occurred_on": day, "reference": "bad ref!"}, "reference"),
            ({"occurred_on": "2027-02-30", "reference": "LTR-1"}, "occurred_on"),
            ({"occurred_on": day, "reference": "LTR-1", "days": 3}, "days"),
        ):
            response = event(
                client, approved, contract_id, kind="default_notice", event_id="n-1", **body
            )
            assert response.status_code == 422, body
            assert field in response.text, (body, response.text)
        assert status_of(client, approved, contract_id) == "active"
