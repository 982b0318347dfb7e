"""The deposit ledger: the balance is the sum of its entries and never goes below zero."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from autolease.channel.ledger import Entry, EntryKind, balance, overdraw_problem, signed
from tests.channel.conftest import Channel
from tests.contract.conftest import Approved

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
entries = st.lists(st.tuples(st.sampled_from(list(EntryKind)), amounts), max_size=40)


class TestLedgerProperties:
    @given(entries)
    def test_balance_is_the_sum_of_posted_entries_and_never_negative(
        self, ops: list[tuple[EntryKind, Decimal]]
    ) -> None:
        posted: list[Entry] = []
        running = Decimal("0.00")
        for kind, amount in ops:
            entry = Entry(kind, amount)
            if overdraw_problem(running, entry) is None:
                posted.append(entry)
                running += signed(entry)
            assert running >= 0
        assert balance(posted) == running
        tops = sum((e.amount for e in posted if e.kind is EntryKind.TOP_UP), Decimal(0))
        outs = sum((e.amount for e in posted if e.kind is not EntryKind.TOP_UP), Decimal(0))
        assert running == tops - outs

    @given(amounts, amounts)
    def test_a_refund_above_the_balance_is_refused(self, have: Decimal, extra: Decimal) -> None:
        assert overdraw_problem(have, Entry(EntryKind.REFUND, have + extra)) is not None
        assert overdraw_problem(have, Entry(EntryKind.REFUND, have)) is None


def post(client: TestClient, headers: dict[str, str], code: str, **body: object) -> Any:
    return client.post(f"/v1/sps/{code}/deposit/entries", json=body, headers=headers)


class TestLedgerApi:
    def test_top_up_refund_and_the_cached_balance(
        self, client: TestClient, channel: Channel
    ) -> None:
        r = post(client, channel.admin, "SP-A", kind="top_up", amount="50000.00", reference="入金")
        assert r.status_code == 201, r.text
        r = post(client, channel.admin, "SP-A", kind="refund", amount="20000.50", reference="退还")
        assert r.json()["balance_after"] == "29999.50"
        ledger = client.get("/v1/sps/SP-A/deposit", headers=channel.a.headers).json()
        assert ledger["balance"] == "29999.50"
        assert [e["kind"] for e in ledger["entries"]] == ["top_up", "refund"]
        sp = client.get("/v1/sps/SP-A", headers=channel.admin).json()
        assert Decimal(sp["deposit_balance"]) == Decimal(ledger["balance"])

    def test_an_overdrawing_refund_writes_nothing(
        self, client: TestClient, channel: Channel
    ) -> None:
        post(client, channel.admin, "SP-A", kind="top_up", amount="100.00", reference="入金")
        r = post(client, channel.admin, "SP-A", kind="refund", amount="100.01", reference="退还")
        assert r.status_code == 422
        assert r.json()["code"] == "sp_deposit_overdrawn"
        ledger = client.get("/v1/sps/SP-A/deposit", headers=channel.admin).json()
        assert (ledger["balance"], len(ledger["entries"])) == ("100.00", 1)

    def test_a_deduction_must_name_one_of_the_sps_contracts(
        self, client: TestClient, channel: Channel
    ) -> None:
        post(client, channel.admin, "SP-A", kind="top_up", amount="100.00", reference="入金")
        none = post(
            client, channel.admin, "SP-A", kind="deduction", amount="1.00", reference="损失"
        )
        assert none.status_code == 422
        other = post(
            client,
            channel.admin,
            "SP-A",
            kind="deduction",
            amount="1.00",
            reference="损失",
            contract_id="ctr_nope",
        )
        assert other.json()["code"] == "sp_contract_mismatch"

    def test_bad_input_and_roles(self, client: TestClient, channel: Channel) -> None:
        bad = post(client, channel.admin, "SP-A", kind="top_up", amount="-5", reference="x")
        assert bad.status_code == 422
        assert bad.json()["errors"][0]["field"].endswith("amount")
        assert (
            post(
                client, channel.analyst, "SP-A", kind="top_up", amount="5", reference="x"
            ).status_code
            == 403
        )
        assert (
            post(
                client, channel.a.headers, "SP-A", kind="top_up", amount="5", reference="x"
            ).status_code
            == 403
        )
        assert client.get("/v1/sps/SP-B/deposit", headers=channel.a.headers).status_code == 404
        assert (
            post(
                client, channel.admin, "SP-ZZ", kind="top_up", amount="5", reference="x"
            ).status_code
            == 404
        )

    def test_an_opening_deposit_is_a_ledger_entry(
        self, client: TestClient, channel: Channel
    ) -> None:
        body = {
            "code": "SP-DEP",
            "name": "有保证金",
            "region": "上海",
            "deposit_balance": "3000.00",
        }
        assert client.post("/v1/sps", json=body, headers=channel.admin).status_code == 201
        ledger = client.get("/v1/sps/SP-DEP/deposit", headers=channel.admin).json()
        assert ledger["balance"] == "3000.00"
        assert ledger["entries"][0]["reference"] == "opening balance"


class TestDeductionOnAContract:
    def test_deducts_a_loss_on_the_sps_own_contract(
        self, client: TestClient, approved: Approved
    ) -> None:
        accepted = client.post(
            f"/v1/applications/{approved.application_id}/contract",
            json={"decision_id": approved.decision_id, "offer_rank": 1},
            headers=approved.sp.headers,
        )
        assert accepted.status_code == 201, accepted.text
        contract_id = accepted.json()["id"]
        code, admin = approved.sp.code, approved.admin
        post(client, admin, code, kind="top_up", amount="10000.00", reference="入金")
        r = post(
            client,
            admin,
            code,
            kind="deduction",
            amount="2500.00",
            reference="处置损失",
            contract_id=contract_id,
        )
        assert r.status_code == 201, r.text
        assert r.json()["contract_id"] == contract_id
        assert r.json()["balance_after"] == "7500.00"
        other = post(
            client,
            admin,
            approved.other_sp.code,
            kind="deduction",
            amount="1.00",
            reference="x",
            contract_id=contract_id,
        )
        assert other.json()["code"] == "sp_contract_mismatch"
