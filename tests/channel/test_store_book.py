"""The live book from the store: a paid-out contract's monthly states from its schedule and
payments, graded through the API."""

from __future__ import annotations

from fastapi.testclient import TestClient

from autolease.channel.service.book import load_book
from autolease.portfolio.panel import State
from autolease.runtime import Runtime
from tests.contract.conftest import Approved


def paid_out(client: TestClient, ok: Approved) -> str:
    accepted = client.post(
        f"/v1/applications/{ok.application_id}/contract",
        json={"decision_id": ok.decision_id, "offer_rank": 1},
        headers=ok.sp.headers,
    )
    assert accepted.status_code == 201, accepted.text
    contract = accepted.json()
    event = {
        "kind": "payout",
        "event_id": "payout-1",
        "occurred_on": "2026-12-01",
        "amount": contract["financed_amount"],
        "reference": "BANK-1",
    }
    paid = client.post(
        f"/v1/contracts/{contract['id']}/events", json={"event": event}, headers=ok.admin
    )
    assert paid.status_code == 201, paid.text
    return str(contract["id"])


class TestStoreBook:
    def test_an_unpaid_contract_rolls_month_by_month(
        self, client: TestClient, approved: Approved, runtime: Runtime
    ) -> None:
        paid_out(client, approved)
        with runtime.sessions.begin() as session:
            book = load_book(session, "2027-04", runtime.settings.contract)
        panel = book.panel
        assert panel.months[0] == "2026-12"
        assert panel.contracts == 1
        states = panel.states[0].tolist()
        assert states[0] in (State.CURRENT, State.M1)
        assert states[2] >= State.M1
        assert states[4] == State.M3_PLUS  # nothing paid for four months
        assert states[5] == -1  # beyond April 2027: not observed yet
        sp_code = panel.segments["sp"].codes[0]
        assert len(book.sp_ids) == 2
        assert book.sp_ids[sp_code] == min(book.sp_ids)  # SP-A, created first

    def test_grading_the_store_counts_the_contract(
        self, client: TestClient, approved: Approved
    ) -> None:
        paid_out(client, approved)
        r = client.post("/v1/sp-grades", json={"month": "2027-04"}, headers=approved.admin)
        assert r.status_code == 200, r.text
        rows = {p["sp_code"]: p for p in r.json()}
        assert rows[approved.sp.code]["figures"]["contracts"] == 1
        assert rows[approved.other_sp.code]["figures"]["contracts"] == 0
        assert rows[approved.sp.code]["figures"]["fpd_ratio"] is not None
