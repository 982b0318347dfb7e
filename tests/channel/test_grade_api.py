"""Grade proposals through the API: run, list, confirm (audited), and the policy reads it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from autolease.channel.models import SpGradeProposal
from autolease.channel.service import grading
from autolease.dealer import service as dealer_service
from autolease.runtime import Runtime
from tests.channel.conftest import Channel
from tests.factories import make_body, submit


def propose_d(runtime: Runtime, code: str = "SP-A") -> int:
    """A D proposal as the grade policy makes one for a bad SP."""
    with runtime.sessions.begin() as session:
        sp = dealer_service.get_by_code(session, code=code)
        row = SpGradeProposal(
            sp_id=sp.id,
            month="2026-11",
            grade="D",
            previous_grade=sp.grade,
            rule="SP_GRADE_D_M3_MOB6",
            figures={"m3_mob6_ratio": 2.6},
            actions=["SP_ACTION_HOLD_PAYOUTS"],
            policy_version="t",
            status="proposed",
            proposed_at=runtime.clock.now(),
        )
        session.add(row)
        session.flush()
        return row.id


def reason_codes(client: TestClient, ch: Channel, app_id: str) -> set[str]:
    decision = client.get(f"/v1/applications/{app_id}/decision", headers=ch.admin).json()
    return {r["code"] for r in decision["reasons"]}


class TestRun:
    def test_every_sp_gets_a_proposal_with_its_figures(
        self, client: TestClient, channel: Channel
    ) -> None:
        r = client.post("/v1/sp-grades", json={"month": "2026-11"}, headers=channel.admin)
        assert r.status_code == 200, r.text
        rows = {p["sp_code"]: p for p in r.json()}
        assert set(rows) == {"SP-A", "SP-B"}
        assert rows["SP-A"]["grade"] == "B"  # no book yet: like the peers
        assert rows["SP-A"]["status"] == "proposed"
        assert "m3_mob6_ratio" in rows["SP-A"]["figures"]
        assert rows["SP-A"]["actions"] == []  # a B SP without alerts: nothing to do
        listed = client.get("/v1/sp-grades", params={"month": "2026-11"}, headers=channel.analyst)
        assert [p["sp_code"] for p in listed.json()] == ["SP-A", "SP-B"]

    def test_bad_month_and_roles(self, client: TestClient, channel: Channel) -> None:
        bad = client.post("/v1/sp-grades", json={"month": "2026-13"}, headers=channel.admin)
        assert bad.status_code == 422
        assert bad.json()["errors"][0]["field"].endswith("month")
        assert (
            client.get("/v1/sp-grades", params={"month": "26-1"}, headers=channel.admin).status_code
            == 422
        )
        ok = {"month": "2026-11"}
        assert client.post("/v1/sp-grades", json=ok, headers=channel.analyst).status_code == 403
        assert client.post("/v1/sp-grades", json=ok, headers=channel.a.headers).status_code == 403
        assert client.get("/v1/sp-grades", params=ok, headers=channel.a.headers).status_code == 403


class TestConfirmation:
    def test_a_confirmed_d_is_what_the_origination_policy_reads(
        self, client: TestClient, channel: Channel, runtime: Runtime
    ) -> None:
        before = submit(client, channel.a, make_body(41)).json()
        assert "SP_GRADE_D" not in reason_codes(client, channel, before["id"])
        proposal = propose_d(runtime)
        after_proposal = submit(client, channel.a, make_body(42)).json()
        assert "SP_GRADE_D" not in reason_codes(client, channel, after_proposal["id"])
        r = client.post(
            f"/v1/sp-grades/{proposal}/decision",
            json={"confirm": True, "note": "月度评级确认"},
            headers=channel.admin,
        )
        assert r.status_code == 200, r.text
        assert (r.json()["status"], r.json()["decided_by"]) == ("confirmed", "user:admin")
        assert client.get("/v1/sps/SP-A", headers=channel.admin).json()["grade"] == "D"
        after = submit(client, channel.a, make_body(43)).json()
        assert "SP_GRADE_D" in reason_codes(client, channel, after["id"])
        events = client.get("/v1/audit/events", params={"entity_id": "SP-A"}, headers=channel.admin)
        assert "sp.grade_confirmed" in [e["action"] for e in events.json()]

    def test_a_rejected_grade_changes_nothing_and_is_final(
        self, client: TestClient, channel: Channel, runtime: Runtime
    ) -> None:
        proposal = propose_d(runtime)
        url = f"/v1/sp-grades/{proposal}/decision"
        assert client.post(url, json={"confirm": False}, headers=channel.admin).status_code == 200
        assert client.get("/v1/sps/SP-A", headers=channel.admin).json()["grade"] == "B"
        again = client.post(url, json={"confirm": True}, headers=channel.admin)
        assert again.status_code == 409
        assert again.json()["code"] == "sp_grade_proposal_decided"

    def test_decision_bad_input_and_roles(
        self, client: TestClient, channel: Channel, runtime: Runtime
    ) -> None:
        proposal = propose_d(runtime)
        url = f"/v1/sp-grades/{proposal}/decision"
        assert client.post(url, json={}, headers=channel.admin).status_code == 422
        assert client.post(url, json={"confirm": True}, headers=channel.analyst).status_code == 403
        assert (
            client.post(url, json={"confirm": True}, headers=channel.a.headers).status_code == 403
        )
        missing = client.post(
            "/v1/sp-grades/999999/decision", json={"confirm": True}, headers=channel.admin
        )
        assert missing.status_code == 404
        # An id past a 32-bit key is refused as input on both stores (PostgreSQL would fail).
        huge = client.post(
            f"/v1/sp-grades/{2**40}/decision", json={"confirm": True}, headers=channel.admin
        )
        assert huge.status_code == 422
        assert huge.json()["errors"][0]["field"] == "proposal_id"


class TestConcurrentRuns:
    def test_a_run_that_loses_the_race_is_a_409_not_a_500(
        self, client: TestClient, channel: Channel, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        first = client.post("/v1/sp-grades", json={"month": "2026-11"}, headers=channel.admin)
        assert first.status_code == 200, first.text
        # the second run read no proposals before the first committed its own (the race)
        monkeypatch.setattr(grading.repository, "proposal", lambda *_args: None)
        second = client.post("/v1/sp-grades", json={"month": "2026-11"}, headers=channel.admin)
        assert second.status_code == 409, second.text
        assert second.json()["code"] == "sp_grade_run_conflict"
        monkeypatch.undo()
        listed = client.get("/v1/sp-grades", params={"month": "2026-11"}, headers=channel.admin)
        assert len(listed.json()) == 2  # nothing half-written
        again = client.post("/v1/sp-grades", json={"month": "2026-11"}, headers=channel.admin)
        assert again.status_code == 200  # run again: it updates the proposals
