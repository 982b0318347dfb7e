"""Per-SP limits set through the API and enforced at intake with a reason code."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolease.channel.limits import Limits, Usage, breaches
from autolease.channel.reasons import REASONS
from autolease.channel.stage import FEATURE, ChannelStage
from autolease.dealer import service as dealer_service
from autolease.runtime import Runtime
from tests.channel.conftest import Channel
from tests.factories import login, make_body, make_sp, submit
from tests.origination.test_pipeline import make_ctx


def set_limits(client: TestClient, ch: Channel, code: str = "SP-A", **body: Any) -> Any:
    return client.put(f"/v1/sps/{code}/limits", json=body, headers=ch.admin)


def reasons_of(client: TestClient, app_id: str) -> dict[str, str]:
    decision = client.get(f"/v1/applications/{app_id}/decision", headers=login(client, "admin"))
    return {r["code"]: r["severity"] for r in decision.json()["reasons"]}


class TestIntake:
    def test_the_monthly_volume_refers_once_reached(
        self, client: TestClient, channel: Channel
    ) -> None:
        assert set_limits(client, channel, monthly_volume=1).status_code == 200
        first = submit(client, channel.a, make_body(31)).json()
        assert "SP_LIMIT_MONTHLY_VOLUME" not in reasons_of(client, first["id"])
        second = submit(client, channel.a, make_body(32)).json()
        assert reasons_of(client, second["id"])["SP_LIMIT_MONTHLY_VOLUME"] == "refer"
        assert second["status"] in ("referred", "declined")
        other = submit(client, channel.b, make_body(33)).json()
        assert "SP_LIMIT_MONTHLY_VOLUME" not in reasons_of(client, other["id"])

    def test_an_amount_above_the_limit_refers(self, client: TestClient, channel: Channel) -> None:
        body = make_body(34)
        set_limits(client, channel, max_amount=str(Decimal(body["financing"]["amount"]) - 1))
        app = submit(client, channel.a, body).json()
        assert reasons_of(client, app["id"])["SP_LIMIT_AMOUNT"] == "refer"
        assert app["status"] != "approved"

    def test_a_product_not_allowed_declines(self, client: TestClient, channel: Channel) -> None:
        set_limits(client, channel, products=["operating_lease"])
        app = submit(client, channel.a, make_body(35)).json()
        assert reasons_of(client, app["id"])["SP_LIMIT_PRODUCT"] == "decline"
        assert app["status"] == "declined"

    def test_the_reason_has_both_languages(self, client: TestClient, channel: Channel) -> None:
        set_limits(client, channel, products=["operating_lease"])
        app = submit(client, channel.a, make_body(36)).json()
        decision = client.get(f"/v1/applications/{app['id']}/decision", headers=channel.admin)
        reason = next(r for r in decision.json()["reasons"] if r["code"] == "SP_LIMIT_PRODUCT")
        assert reason["message_zh"] == REASONS["SP_LIMIT_PRODUCT"].message_zh
        assert reason["stage"] == "channel"


class TestLimitsApi:
    def test_an_sp_reads_its_own_limits_only(self, client: TestClient, channel: Channel) -> None:
        set_limits(client, channel, monthly_volume=10, max_amount="80000.00")
        own = client.get("/v1/sps/SP-A/limits", headers=channel.a.headers)
        assert own.json()["max_amount"] == "80000.00"
        assert client.get("/v1/sps/SP-B/limits", headers=channel.a.headers).status_code == 404

    @pytest.mark.parametrize(
        ("body", "field"),
        [({"monthly_volume": -1}, "monthly_volume"), ({"max_amount": "0"}, "max_amount"),
         ({"colour": "red"}, "colour")],
    )  # fmt: skip
    def test_bad_input(
        self, client: TestClient, channel: Channel, body: dict[str, Any], field: str
    ) -> None:
        r = set_limits(client, channel, **body)
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"].endswith(field)

    def test_only_an_admin_sets_limits(self, client: TestClient, channel: Channel) -> None:
        r = client.put("/v1/sps/SP-A/limits", json={"monthly_volume": 5}, headers=channel.analyst)
        assert r.status_code == 403
        r = client.put("/v1/sps/SP-A/limits", json={"monthly_volume": 5}, headers=channel.a.headers)
        assert r.status_code == 403


class TestPure:
    def test_no_limits_no_reasons(self) -> None:
        assert breaches(Limits(), Usage(10**6), amount=Decimal(10**7), product="x") == []

    def test_every_breach_is_named(self) -> None:
        limits = Limits(monthly_volume=3, max_amount=Decimal(100), products=("direct_lease",))
        got = breaches(limits, Usage(3), amount=Decimal("100.01"), product="sale_leaseback")
        assert got == ["SP_LIMIT_MONTHLY_VOLUME", "SP_LIMIT_AMOUNT", "SP_LIMIT_PRODUCT"]


class TestStatusAtIntake:
    @pytest.mark.parametrize("status", ["prospect", "suspended", "terminated"])
    def test_the_channel_stage_declines_an_sp_that_is_not_active(self, status: str) -> None:
        ctx = make_ctx()
        ctx.features[FEATURE] = {"status": status, "limits": None}
        ChannelStage().run(ctx)
        assert [(r.code, r.severity.value) for r in ctx.reasons] == [("SP_NOT_ACTIVE", "decline")]

    @pytest.mark.parametrize("status", ["active", "watch"])
    def test_active_and_watch_pass(self, status: str) -> None:
        ctx = make_ctx()
        ctx.features[FEATURE] = {"status": status, "limits": None}
        ChannelStage().run(ctx)
        assert ctx.reasons == []

    def test_a_prospects_key_is_refused_before_intake(
        self, client: TestClient, channel: Channel, runtime: Runtime
    ) -> None:
        with runtime.sessions.begin() as session:
            prospect = make_sp(session, runtime, "SP-P")
            dealer_service.get_by_code(session, code="SP-P").status = "prospect"
        assert submit(client, prospect, make_body(37)).status_code == 401
