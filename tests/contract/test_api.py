"""Offer acceptance and servicing events through the API."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from autolease.kit.clock import FixedClock
from tests.contract.conftest import Approved
from tests.factories import login


def accept(client: TestClient, ok: Approved, rank: int = 1) -> Any:
    return client.post(
        f"/v1/applications/{ok.application_id}/contract",
        json={"decision_id": ok.decision_id, "offer_rank": rank, "gps_device_id": "GPS-1"},
        headers=ok.sp.headers,
    )


def post_event(client: TestClient, ok: Approved, contract_id: str, **event: Any) -> Any:
    return client.post(
        f"/v1/contracts/{contract_id}/events", json={"event": event}, headers=ok.admin
    )


class TestAcceptance:
    def test_books_a_contract_with_the_offers_terms(
        self, client: TestClient, approved: Approved
    ) -> None:
        response = accept(client, approved)
        assert response.status_code == 201, response.text
        contract = response.json()
        offer = approved.offers[0]
        assert contract["status"] == "booked"
        assert contract["financed_amount"] == offer["financed_amount"]
        assert contract["monthly_payment"] == offer["monthly_payment"]
        assert contract["schedule"][0]["payment"] == offer["monthly_payment"]
        assert len(contract["schedule"]) >= contract["term_months"]
        assert contract["title_state"] == "pending"
        assert contract["gps_device_id"] == "GPS-1"
        app = client.get(f"/v1/applications/{approved.application_id}", headers=approved.sp.headers)
        assert app.json()["status"] == "contracted"

    def test_is_idempotent(self, client: TestClient, approved: Approved) -> None:
        first = accept(client, approved)
        again = accept(client, approved)
        assert again.status_code == 200
        assert again.headers["Idempotent-Replayed"] == "true"
        assert again.json()["id"] == first.json()["id"]
        listed = client.get("/v1/contracts", headers=approved.sp.headers).json()["items"]
        assert [c["id"] for c in listed] == [first.json()["id"]]

    def test_another_offer_after_one_was_accepted_is_refused(
        self, client: TestClient, approved: Approved
    ) -> None:
        accept(client, approved)
        if len(approved.offers) > 1:
            other = accept(client, approved, rank=2)
        else:
            other = client.post(
                f"/v1/applications/{approved.application_id}/contract",
                json={"decision_id": "dec_other", "offer_rank": 1},
                headers=approved.sp.headers,
            )
        assert other.status_code == 409
        assert other.json()["code"] == "offer_already_accepted"

    def test_an_expired_offer_is_refused(
        self, client: TestClient, approved: Approved, clock: FixedClock
    ) -> None:
        clock.advance(days=31)
        response = accept(client, approved)
        assert response.status_code == 409
        assert "expired" in response.json()["detail"]
        admin = login(client, "admin")  # the fixture's token expired with the 31 days
        assert client.get("/v1/contracts", headers=admin).json()["items"] == []

    def test_a_superseded_decision_is_refused(self, client: TestClient, approved: Approved) -> None:
        response = client.post(
            f"/v1/applications/{approved.application_id}/contract",
            json={"decision_id": "dec_not_the_latest", "offer_rank": 1},
            headers=approved.sp.headers,
        )
        assert response.status_code == 409
        assert "superseded" in response.json()["detail"]

    def test_an_unknown_rank_is_refused(self, client: TestClient, approved: Approved) -> None:
        response = accept(client, approved, rank=len(approved.offers) + 1)
        assert response.status_code == 409
        assert response.json()["code"] == "offer_not_acceptable"


class TestTenancyAndRoles:
    def test_another_sp_cannot_accept_or_see(self, client: TestClient, approved: Approved) -> None:
        other = client.post(
            f"/v1/applications/{approved.application_id}/contract",
            json={"decision_id": approved.decision_id, "offer_rank": 1},
            headers=approved.other_sp.headers,
        )
        assert other.status_code == 404
        contract_id = accept(client, approved).json()["id"]
        assert (
            client.get(
                f"/v1/contracts/{contract_id}", headers=approved.other_sp.headers
            ).status_code
            == 404
        )
        assert client.get("/v1/contracts", headers=approved.other_sp.headers).json()["items"] == []
        events = client.get(
            f"/v1/contracts/{contract_id}/events", headers=approved.other_sp.headers
        )
        assert events.status_code == 404

    def test_staff_do_not_accept_offers(self, client: TestClient, approved: Approved) -> None:
        response = client.post(
            f"/v1/applications/{approved.application_id}/contract",
            json={"decision_id": approved.decision_id, "offer_rank": 1},
            headers=approved.admin,
        )
        assert response.status_code == 403

    def test_an_sp_cannot_record_servicing_events(
        self, client: TestClient, approved: Approved
    ) -> None:
        contract_id = accept(client, approved).json()["id"]
        response = client.post(
            f"/v1/contracts/{contract_id}/events",
            json={
                "event": {
                    "kind": "repayment",
                    "event_id": "e1",
                    "occurred_on": "2026-12-01",
                    "amount": "100.00",
                }
            },
            headers=approved.sp.headers,
        )
        assert response.status_code == 403

    def test_unauthenticated_is_401(self, client: TestClient, approved: Approved) -> None:
        assert client.get("/v1/contracts").status_code == 401
        assert (
            client.post(f"/v1/applications/{approved.application_id}/contract", json={}).status_code
            == 401
        )


class TestBadInput:
    def test_accept_body_errors_name_the_field(
        self, client: TestClient, approved: Approved
    ) -> None:
        response = client.post(
            f"/v1/applications/{approved.application_id}/contract",
            json={"decision_id": approved.decision_id, "offer_rank": 0},
            headers=approved.sp.headers,
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "offer_rank"

    def test_event_errors_name_the_field_and_store_nothing(
        self, client: TestClient, approved: Approved
    ) -> None:
        contract_id = accept(client, approved).json()["id"]
        bad = post_event(
            client,
            approved,
            contract_id,
            kind="payout",
            event_id="p 1",
            occurred_on="2026-13-01",
            amount="-5",
            reference="R1",
        )
        assert bad.status_code == 422
        fields = {e["field"] for e in bad.json()["errors"]}
        assert {
            "event.payout.event_id",
            "event.payout.occurred_on",
            "event.payout.amount",
        } <= fields
        assert (
            client.get(f"/v1/contracts/{contract_id}/events", headers=approved.admin).json() == []
        )

    def test_unknown_kind(self, client: TestClient, approved: Approved) -> None:
        contract_id = accept(client, approved).json()["id"]
        bad = post_event(
            client, approved, contract_id, kind="gift", event_id="g1", occurred_on="2026-12-01"
        )
        assert bad.status_code == 422

    def test_the_list_filters_by_status_and_names_a_bad_one(
        self, client: TestClient, approved: Approved
    ) -> None:
        contract_id = accept(client, approved).json()["id"]

        def listed(status: str) -> list[str]:
            response = client.get(
                "/v1/contracts", params={"status": status}, headers=approved.admin
            )
            assert response.status_code == 200, response.text
            return [item["id"] for item in response.json()["items"]]

        assert listed("booked") == [contract_id]
        assert listed("active") == []
        bad = client.get("/v1/contracts", params={"status": "open"}, headers=approved.admin)
        assert bad.status_code == 422
        assert bad.json()["errors"][0]["field"] == "status"


class TestServicing:
    def _active(self, client: TestClient, ok: Approved) -> dict[str, Any]:
        contract = accept(client, ok).json()
        paid = post_event(
            client,
            ok,
            contract["id"],
            kind="payout",
            event_id="payout-1",
            occurred_on="2026-12-01",
            amount=contract["financed_amount"],
            reference="BANK-77",
        )
        assert paid.status_code == 201, paid.text
        return paid.json()["contract"]

    def test_payout_starts_the_schedule(self, client: TestClient, approved: Approved) -> None:
        contract = self._active(client, approved)
        assert contract["status"] == "active"
        assert contract["start_on"] == "2026-12-01"
        assert contract["schedule"][0]["due_on"] in ("2026-12-01", "2027-01-01")
        assert contract["arrears"]["bucket"] == "current"

    def test_repayments_drive_the_arrears_state(
        self, client: TestClient, approved: Approved, clock: FixedClock
    ) -> None:
        contract = self._active(client, approved)
        first_due = contract["schedule"][0]["due_on"]
        rent = contract["schedule"][0]["payment"]
        # Nothing paid 40 days after the first due date: M2, and a first payment default.
        late = client.get(
            f"/v1/contracts/{contract['id']}",
            params={"as_of": _plus(first_due, 40)},
            headers=approved.sp.headers,
        ).json()
        assert late["arrears"]["bucket"] == "M2"
        assert late["arrears"]["days_past_due"] == 40
        assert late["arrears"]["first_payment_default"] is True
        paid = post_event(
            client,
            approved,
            contract["id"],
            kind="repayment",
            event_id="r-1",
            occurred_on=first_due,
            amount=rent,
        )
        assert paid.status_code == 201
        on_time = client.get(
            f"/v1/contracts/{contract['id']}",
            params={"as_of": _plus(first_due, 5)},
            headers=approved.sp.headers,
        ).json()
        assert on_time["arrears"]["bucket"] == "current"
        assert on_time["arrears"]["first_payment_default"] is False

    def test_events_are_idempotent_per_event_id(
        self, client: TestClient, approved: Approved
    ) -> None:
        contract = self._active(client, approved)
        event = {
            "kind": "repayment",
            "event_id": "r-9",
            "occurred_on": "2026-12-20",
            "amount": "100.00",
        }
        first = post_event(client, approved, contract["id"], **event)
        again = post_event(client, approved, contract["id"], **event)
        assert (first.status_code, again.status_code) == (201, 200)
        assert again.headers["Idempotent-Replayed"] == "true"
        changed = post_event(client, approved, contract["id"], **{**event, "amount": "200.00"})
        assert changed.status_code == 409
        events = client.get(f"/v1/contracts/{contract['id']}/events", headers=approved.admin)
        assert [e["event_id"] for e in events.json()] == ["payout-1", "r-9"]

    def test_early_settlement_needs_a_valid_quote_and_its_total(
        self, client: TestClient, approved: Approved
    ) -> None:
        contract = self._active(client, approved)
        quote = post_event(
            client,
            approved,
            contract["id"],
            kind="settlement_quote",
            event_id="q-1",
            occurred_on="2026-12-10",
        )
        assert quote.status_code == 201, quote.text
        total = Decimal(quote.json()["result"]["quote"]["total"])
        assert total > Decimal(contract["financed_amount"]) * Decimal("0.9")
        short = post_event(
            client,
            approved,
            contract["id"],
            kind="settlement_payment",
            event_id="s-1",
            occurred_on="2026-12-11",
            amount=str(total - 1),
            quote_event_id="q-1",
        )
        assert short.status_code == 422
        expired = post_event(
            client,
            approved,
            contract["id"],
            kind="settlement_payment",
            event_id="s-2",
            occurred_on="2027-01-30",
            amount=str(total),
            quote_event_id="q-1",
        )
        assert expired.status_code == 422
        settled = post_event(
            client,
            approved,
            contract["id"],
            kind="settlement_payment",
            event_id="s-3",
            occurred_on="2026-12-12",
            amount=str(total),
            quote_event_id="q-1",
        )
        assert settled.status_code == 201, settled.text
        assert settled.json()["contract"]["status"] == "settled_early"
        after = post_event(
            client,
            approved,
            contract["id"],
            kind="repayment",
            event_id="r-x",
            occurred_on="2026-12-13",
            amount="10.00",
        )
        assert after.status_code == 422

    def test_status_machine_refuses_illegal_moves(
        self, client: TestClient, approved: Approved
    ) -> None:
        contract = accept(client, approved).json()
        early = post_event(
            client,
            approved,
            contract["id"],
            kind="write_off",
            event_id="w-0",
            occurred_on="2026-12-01",
            amount="1.00",
        )
        assert early.status_code == 409  # booked, never paid out
        self_paid = post_event(
            client,
            approved,
            contract["id"],
            kind="payout",
            event_id="payout-1",
            occurred_on="2026-12-01",
            amount=contract["financed_amount"],
            reference="B1",
        )
        assert self_paid.status_code == 201
        notice = post_event(
            client,
            approved,
            contract["id"],
            kind="default_notice",
            event_id="n-1",
            occurred_on="2027-02-15",
            reference="LTR-1",
        )
        assert notice.status_code == 201, notice.text
        repossessed = post_event(
            client,
            approved,
            contract["id"],
            kind="repossession",
            event_id="x-1",
            occurred_on="2027-04-01",
        )
        assert repossessed.json()["contract"]["status"] == "repossessed", repossessed.text
        written = post_event(
            client,
            approved,
            contract["id"],
            kind="write_off",
            event_id="w-1",
            occurred_on="2027-04-01",
            amount="5000.00",
        )
        assert written.json()["contract"]["status"] == "written_off"
        again = post_event(
            client,
            approved,
            contract["id"],
            kind="payout",
            event_id="p-2",
            occurred_on="2027-04-02",
            amount="1.00",
            reference="B2",
        )
        assert again.status_code == 409

    def test_extension_moves_later_due_dates(self, client: TestClient, approved: Approved) -> None:
        contract = self._active(client, approved)
        before = [row["due_on"] for row in contract["schedule"]]
        moved = post_event(
            client,
            approved,
            contract["id"],
            kind="extension",
            event_id="x-2",
            occurred_on="2027-02-01",
            from_installment=3,
            months=2,
        )
        after = [row["due_on"] for row in moved.json()["contract"]["schedule"]]
        assert after[:2] == before[:2]
        assert after[2] == _months_later(before[2], 2)


def _plus(day: str, days: int) -> str:
    from datetime import date

    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def _months_later(day: str, months: int) -> str:
    from datetime import date

    from autolease.contract.calendar import add_months

    start = date.fromisoformat(day)
    return add_months(start, months).isoformat()
