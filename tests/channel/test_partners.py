"""Lead-source partners: records, attribution at intake, the referral fee ledger (its balance
is the sum of its entries), and their performance."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from autolease.channel.fees import (
    FeeEntry,
    FeeEntryKind,
    FeeKind,
    FeeRule,
    balance,
    fee_for,
    payout_problem,
    signed,
)
from autolease.channel.models import ApplicationReferral, ChannelPartner
from autolease.runtime import Runtime
from tests.channel.conftest import Channel
from tests.contract.conftest import Approved
from tests.factories import login, make_body, submit

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
ops = st.lists(st.tuples(st.sampled_from(list(FeeEntryKind)), amounts), max_size=40)
PORTAL = {"code": "AUTO-PORTAL", "name": "某汽车网站", "kind": "auto_portal",
          "fee_kind": "percent", "fee_rate": "0.015"}  # fmt: skip


class TestFeeArithmetic:
    @given(ops)
    def test_balance_is_the_sum_of_posted_entries(
        self, steps: list[tuple[FeeEntryKind, Decimal]]
    ) -> None:
        posted: list[FeeEntry] = []
        running = Decimal("0.00")
        for kind, amount in steps:
            if kind is FeeEntryKind.PAYOUT and payout_problem(running, amount) is not None:
                assert amount > running  # refused: a payout never exceeds what is owed
                continue
            entry = FeeEntry(kind, amount)
            posted.append(entry)
            running += signed(entry)
        assert balance(posted) == running
        accrued = sum((e.amount for e in posted if e.kind is FeeEntryKind.ACCRUAL), Decimal(0))
        out = sum((e.amount for e in posted if e.kind is not FeeEntryKind.ACCRUAL), Decimal(0))
        assert running == accrued - out

    @given(amounts)
    def test_percent_fee_is_rounded_to_the_fen(self, financed: Decimal) -> None:
        fee = fee_for(FeeRule(FeeKind.PERCENT, rate=Decimal("0.015")), financed)
        assert fee == fee.quantize(Decimal("0.01"))
        assert abs(fee - financed * Decimal("0.015")) <= Decimal("0.005")

    def test_a_rule_needs_exactly_its_amount(self) -> None:
        assert FeeRule(FeeKind.FIXED).problem() is not None
        assert FeeRule(FeeKind.PERCENT, fixed=Decimal(1), rate=Decimal("0.01")).problem()
        assert FeeRule(FeeKind.FIXED, fixed=Decimal(800)).problem() is None


def create(client: TestClient, headers: dict[str, str], **body: Any) -> Any:
    return client.post("/v1/partners", json={**PORTAL, **body}, headers=headers)


class TestPartnerApi:
    def test_crud_and_roles(self, client: TestClient, channel: Channel) -> None:
        r = create(client, channel.admin)
        assert r.status_code == 201, r.text
        assert r.json()["fee_rate"] == "0.015000" or Decimal(r.json()["fee_rate"]) == Decimal(
            "0.015"
        )
        assert create(client, channel.admin).status_code == 409
        assert create(client, channel.analyst, code="OTHER").status_code == 403
        assert create(client, channel.a.headers, code="OTHER").status_code == 403
        listed = client.get("/v1/partners", headers=channel.analyst)
        assert [p["code"] for p in listed.json()] == ["AUTO-PORTAL"]
        assert client.get("/v1/partners", headers=channel.a.headers).status_code == 403
        patched = client.patch(
            "/v1/partners/AUTO-PORTAL",
            json={"fee_kind": "fixed", "fee_fixed": "800.00"},
            headers=channel.admin,
        )
        assert patched.status_code == 200, patched.text
        assert patched.json()["fee_rate"] is None
        assert Decimal(patched.json()["fee_fixed"]) == Decimal("800")
        assert client.get("/v1/partners/NOPE", headers=channel.admin).status_code == 404

    def test_bad_input_names_the_field(self, client: TestClient, channel: Channel) -> None:
        r = create(client, channel.admin, code="bad code")
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"].endswith("code")
        r = create(client, channel.admin, fee_kind="fixed")  # a rate, no fixed amount
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == "fee_fixed"
        r = create(client, channel.admin, fee_rate="0.5")
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"].endswith("fee_rate")


class TestAttribution:
    def test_intake_attributes_the_application(
        self, client: TestClient, channel: Channel, runtime: Runtime
    ) -> None:
        create(client, channel.admin)
        body = make_body(7)
        body["lead_source"] = {"partner_code": "AUTO-PORTAL"}
        r = submit(client, channel.a, body)
        assert r.status_code == 201, r.text
        assert r.json()["lead_source"] == "partner_referral"
        with runtime.sessions.begin() as session:
            referral = session.get(ApplicationReferral, r.json()["id"])
            assert referral is not None
            partner = session.get(ChannelPartner, referral.partner_id)
            assert partner is not None
            assert partner.code == "AUTO-PORTAL"

    def test_unknown_inactive_or_misplaced_codes_are_a_clear_422(
        self, client: TestClient, channel: Channel
    ) -> None:
        body = make_body(8)
        body["lead_source"] = {"partner_code": "NO-SUCH"}
        r = submit(client, channel.a, body)
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == "lead_source.partner_code"
        create(client, channel.admin)
        client.patch("/v1/partners/AUTO-PORTAL", json={"status": "inactive"}, headers=channel.admin)
        body["lead_source"] = {"partner_code": "AUTO-PORTAL"}
        assert submit(client, channel.a, body).status_code == 422
        body["lead_source"] = {"type": "sp", "partner_code": "AUTO-PORTAL"}
        r = submit(client, channel.a, body)
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"].endswith("partner_code")

    def test_without_a_code_intake_is_as_before(self, client: TestClient, channel: Channel) -> None:
        body = make_body(9)
        body["lead_source"] = {"type": "partner_referral", "partner_name": "某保险代理"}
        assert submit(client, channel.a, body).status_code == 201


def refer(runtime: Runtime, application_id: str, **partner: Any) -> None:
    """Attribute an already approved application to a new partner (as intake would)."""
    with runtime.sessions.begin() as session:
        row = ChannelPartner(
            code=partner.get("code", "AUTO-PORTAL"), name="某汽车网站", kind="auto_portal",
            status="active", fee_kind=partner.get("fee_kind", "percent"),
            fee_fixed_fen=partner.get("fee_fixed_fen"), fee_rate=partner.get("fee_rate"),
            created_by="t", created_at=runtime.clock.now(), updated_at=runtime.clock.now(),
        )  # fmt: skip
        session.add(row)
        session.flush()
        session.add(
            ApplicationReferral(
                application_id=application_id, partner_id=row.id, referred_at=runtime.clock.now()
            )
        )


class TestFeeLedger:
    def test_accrual_on_booking_reversal_on_cancellation_and_payouts(
        self, client: TestClient, approved: Approved, runtime: Runtime
    ) -> None:
        refer(runtime, approved.application_id, fee_rate=Decimal("0.015"))
        booked = client.post(
            f"/v1/applications/{approved.application_id}/contract",
            json={"decision_id": approved.decision_id, "offer_rank": 1, "gps_device_id": "G-1"},
            headers=approved.sp.headers,
        )
        assert booked.status_code == 201, booked.text
        contract = booked.json()
        expected = (Decimal(contract["financed_amount"]) * Decimal("0.015")).quantize(
            Decimal("0.01")
        )
        admin = approved.admin
        ledger = client.get("/v1/partners/AUTO-PORTAL/fees", headers=admin).json()
        assert [(e["kind"], Decimal(e["amount"])) for e in ledger["entries"]] == [
            ("accrual", expected)
        ]
        too_much = str(expected + Decimal("0.01"))
        r = client.post(
            "/v1/partners/AUTO-PORTAL/fees/payouts",
            json={"amount": too_much, "reference": "x"},
            headers=admin,
        )
        assert r.status_code == 422
        assert r.json()["code"] == "partner_payout_exceeds_fees"
        r = client.post(
            "/v1/partners/AUTO-PORTAL/fees/payouts",
            json={"amount": str(expected), "reference": "2026-11 结算"},
            headers=admin,
        )
        assert r.status_code == 201, r.text
        event = {
            "kind": "cancellation",
            "event_id": "c-1",
            "occurred_on": contract["booked_at"][:10],
        }
        r = client.post(f"/v1/contracts/{contract['id']}/events", json={"event": event},
                        headers=admin)  # fmt: skip
        assert r.status_code in (200, 201), r.text
        ledger = client.get("/v1/partners/AUTO-PORTAL/fees", headers=admin).json()
        kinds = [e["kind"] for e in ledger["entries"]]
        assert kinds == ["accrual", "payout", "reversal"]
        total = sum(
            (
                Decimal(e["amount"]) * (1 if e["kind"] == "accrual" else -1)
                for e in ledger["entries"]
            ),
            Decimal(0),
        )
        assert Decimal(ledger["balance"]) == total == -expected  # the partner owes it back
        assert Decimal(ledger["entries"][-1]["balance_after"]) == total
        with runtime.sessions.begin() as session:
            n = len(session.scalars(select(ChannelPartner)).all())
        assert n == 1
        assert (
            client.get("/v1/partners/AUTO-PORTAL/fees", headers=approved.sp.headers).status_code
            == 403
        )

    def test_performance_by_the_same_measures(
        self, client: TestClient, approved: Approved, runtime: Runtime
    ) -> None:
        refer(runtime, approved.application_id, fee_kind="fixed", fee_fixed_fen=80000)
        r = client.get(
            "/v1/partners/AUTO-PORTAL/performance", params={"month": "2026-11"},
            headers=login(client, "analyst"),
        )  # fmt: skip
        assert r.status_code == 200, r.text
        row = r.json()
        assert row["code"] == "AUTO-PORTAL"
        assert set(row["rates"]) == {"fpd", "m1_mob3", "m3_mob6", "m3_mob12", "early_payoff"}
        bad = client.get(
            "/v1/partners/AUTO-PORTAL/performance", params={"month": "2026-13"},
            headers=approved.admin,
        )  # fmt: skip
        assert bad.status_code == 422
