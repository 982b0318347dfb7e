"""Due diligence and the status machine through the API; every change audited."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from autolease.channel.lifecycle import Item, missing_items, transition_problem
from tests.channel.conftest import VALID_USCC, Channel

PROSPECT = {"code": "SP-NEW", "name": "新服务商", "region": "上海", "onboarding": True}


def complete_due_diligence(client: TestClient, ch: Channel, code: str) -> None:
    for item in Item:
        value = VALID_USCC if item is Item.BUSINESS_LICENCE else "checked"
        body = {"value": value, "verified": True}
        r = client.put(f"/v1/sps/{code}/due-diligence/{item.value}", json=body, headers=ch.admin)
        assert r.status_code == 200, r.text


def audit_actions(client: TestClient, ch: Channel) -> list[str]:
    r = client.get("/v1/audit/events", params={"limit": 200}, headers=ch.admin)
    assert r.status_code == 200, r.text
    return [e["action"] for e in r.json()]


class TestStatusMachine:
    def test_a_prospect_becomes_active_only_after_due_diligence(
        self, client: TestClient, channel: Channel
    ) -> None:
        assert client.post("/v1/sps", json=PROSPECT, headers=channel.admin).status_code == 201
        early = client.post(
            "/v1/sps/SP-NEW/status",
            json={"status": "active", "reason": "go live"},
            headers=channel.admin,
        )
        assert early.status_code == 409
        assert early.json()["code"] == "sp_status_change_refused"
        assert "business_licence" in early.json()["detail"]
        complete_due_diligence(client, channel, "SP-NEW")
        report = client.get("/v1/sps/SP-NEW/due-diligence", headers=channel.admin).json()
        assert report["missing"] == []
        ok = client.post(
            "/v1/sps/SP-NEW/status",
            json={"status": "active", "reason": "due diligence done"},
            headers=channel.admin,
        )
        assert ok.status_code == 200, ok.text
        assert ok.json()["status"] == "active"
        assert "sp.status_changed" in audit_actions(client, channel)

    @pytest.mark.parametrize("path", ["watch", "suspended", "terminated"])
    def test_active_moves_on_with_a_reason(
        self, client: TestClient, channel: Channel, path: str
    ) -> None:
        r = client.post(
            "/v1/sps/SP-A/status",
            json={"status": path, "reason": "rising FPD"},
            headers=channel.admin,
        )
        assert r.status_code == 200, r.text
        assert r.json()["status"] == path

    def test_terminated_is_final(self, client: TestClient, channel: Channel) -> None:
        body = {"status": "terminated", "reason": "fraud confirmed"}
        client.post("/v1/sps/SP-A/status", json=body, headers=channel.admin)
        back = {"status": "active", "reason": "try again"}
        r = client.post("/v1/sps/SP-A/status", json=back, headers=channel.admin)
        assert r.status_code == 409
        patched = client.patch("/v1/sps/SP-A", json={"status": "active"}, headers=channel.admin)
        assert patched.status_code == 409

    def test_a_reason_is_required(self, client: TestClient, channel: Channel) -> None:
        r = client.post("/v1/sps/SP-A/status", json={"status": "watch"}, headers=channel.admin)
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"].endswith("reason")

    def test_only_an_admin_changes_status(self, client: TestClient, channel: Channel) -> None:
        body = {"status": "watch", "reason": "look"}
        r = client.post("/v1/sps/SP-A/status", json=body, headers=channel.analyst)
        assert r.status_code == 403
        assert (
            client.post("/v1/sps/SP-A/status", json=body, headers=channel.a.headers).status_code
            == 403
        )


class TestDueDiligence:
    def test_a_bad_uscc_is_refused_with_its_rule(
        self, client: TestClient, channel: Channel
    ) -> None:
        body = {"value": "91350100M000100Y44", "verified": True}
        r = client.put(
            "/v1/sps/SP-A/due-diligence/business_licence", json=body, headers=channel.admin
        )
        assert r.status_code == 422
        error = r.json()["errors"][0]
        assert (error["field"], error["rule"]) == ("value", "checksum")
        assert error["message_zh"]
        report = client.get("/v1/sps/SP-A/due-diligence", headers=channel.admin).json()
        assert report["items"] == []

    def test_an_unknown_item_is_a_422(self, client: TestClient, channel: Channel) -> None:
        body = {"value": "x", "verified": True}
        r = client.put("/v1/sps/SP-A/due-diligence/horoscope", json=body, headers=channel.admin)
        assert r.status_code == 422

    def test_an_sp_sees_only_its_own(self, client: TestClient, channel: Channel) -> None:
        assert (
            client.get("/v1/sps/SP-A/due-diligence", headers=channel.a.headers).status_code == 200
        )
        other = client.get("/v1/sps/SP-B/due-diligence", headers=channel.a.headers)
        assert other.status_code == 404


class TestPure:
    def test_missing_items_keep_their_order(self) -> None:
        assert missing_items({"premises"})[0] is Item.BUSINESS_LICENCE
        assert Item.PREMISES not in missing_items({"premises"})

    def test_unknown_jumps_are_refused(self) -> None:
        assert transition_problem("prospect", "suspended", set()) is not None
        assert transition_problem("watch", "active", set()) is None
