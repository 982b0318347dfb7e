"""The queue: filters, sort against the SLA, keyset pages, figures, roles, bad input."""

from __future__ import annotations

from fastapi.testclient import TestClient

from autolease.kit.clock import FixedClock
from tests.review.conftest import World, refer

URL = "/v1/review/queue"


def ids(client: TestClient, world: World, **params: object) -> list[str]:
    response = client.get(URL, params=params, headers=world.reviewer)
    assert response.status_code == 200, response.text
    return [i["application_id"] for i in response.json()["items"]]


def test_filters_sort_and_pages(client: TestClient, world: World, clock: FixedClock) -> None:
    first = refer(client, world.sp_a, 2)
    clock.advance(hours=10)
    second = refer(client, world.sp_b, 4)  # 20 h old: due (past half the SLA)
    clock.advance(hours=20)
    third = refer(client, world.sp_a, 11)  # 118,600
    assert ids(client, world) == [first, second, third]
    assert ids(client, world, sort="newest") == [third, second, first]
    assert ids(client, world, sp="SP-B") == [second]
    assert ids(client, world, amount_band="100k_200k") == [third]
    assert ids(client, world, age="overdue") == [first]  # 30 h against a 24 h SLA
    assert ids(client, world, age="due") == [second]
    assert ids(client, world, age="fresh") == [third]
    assert ids(client, world, reason="NO_FEASIBLE_OFFER") == []  # info-level: not a referrer
    assert ids(client, world, reason="DATA_MISSING_CREDIT_PD") == [first, second, third]
    assert ids(client, world, stage="policy") == [first, second, third]
    assert ids(client, world, stage="channel") == []
    page = client.get(URL, params={"limit": 2}, headers=world.reviewer).json()
    assert [i["application_id"] for i in page["items"]] == [first, second]
    assert page["items"][0]["age_band"] == "overdue"
    assert page["items"][0]["applicant_name"].endswith("*")
    rest = client.get(URL, params={"limit": 2, "cursor": page["next_cursor"]},
                      headers=world.reviewer).json()  # fmt: skip
    assert ([i["application_id"] for i in rest["items"]], rest["next_cursor"]) == ([third], None)


def test_decided_cases_leave_the_queue(client: TestClient, world: World) -> None:
    app_id = refer(client, world.sp_a, 2)
    body = {"verdict": "approve", "reason_code": "risk_acceptable", "internal_note": "ok"}
    client.post(f"/v1/review/cases/{app_id}/verdict", json=body, headers=world.reviewer)
    assert ids(client, world) == []
    assert ids(client, world, state="closed") == [app_id]
    withdrawn = refer(client, world.sp_a, 4)
    client.post(f"/v1/applications/{withdrawn}/withdraw", json={}, headers=world.sp_a.headers)
    assert ids(client, world) == []


def test_roles_and_bad_input(client: TestClient, world: World) -> None:
    refer(client, world.sp_a, 2)
    assert client.get(URL).status_code == 401
    assert client.get(URL, headers=world.sp_a.headers).status_code == 403
    assert client.get(URL, headers=world.analyst).status_code == 403
    assert client.get(URL, headers=world.admin).status_code == 200
    for params, field in [
        ({"cursor": "bogus"}, "cursor"),
        ({"sp": "SP-NONE"}, "sp"),
    ]:
        response = client.get(URL, params=params, headers=world.reviewer)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == field
    for params in [
        {"amount_band": "huge"},
        {"age": "ancient"},
        {"limit": 0},
        {"limit": 201},
        {"sort": "random"},
        {"reason": "DROP TABLE"},
        {"state": "lost"},
    ]:
        response = client.get(URL, params=params, headers=world.reviewer)
        assert response.status_code == 422, (params, response.text)


def test_metrics(client: TestClient, world: World, clock: FixedClock) -> None:
    a, b, c = (refer(client, world.sp_a, s) for s in (2, 4, 10))
    clock.advance(hours=30)
    approve = {"verdict": "approve", "reason_code": "risk_acceptable", "internal_note": "ok"}
    decline = {"verdict": "decline", "reason_code": "affordability", "internal_note": "no"}
    client.post(f"/v1/review/cases/{a}/verdict", json=approve, headers=world.reviewer)
    clock.advance(hours=2)
    client.post(f"/v1/review/cases/{b}/verdict", json=decline, headers=world.reviewer2)
    response = client.get("/v1/review/metrics", headers=world.admin)
    assert response.status_code == 200, response.text
    m = response.json()
    assert m["waiting"]["open"] == 1
    assert (m["overdue"], m["decided"]) == (1, 2)
    assert m["oldest_age_hours"] == 32.0
    assert m["time_to_verdict_hours_p50"] in (30.0, 32.0)
    assert m["time_to_verdict_hours_p90"] == 32.0
    assert (m["override_rate"], m["approve_share"]) == (0.5, 0.5)
    by = {r["reviewer"]: r for r in m["reviewers"]}
    assert (by["user:reviewer"]["verdicts"], by["user:reviewer"]["overrides"]) == (1, 1)
    assert (by["user:reviewer2"]["verdicts"], by["user:reviewer2"]["overrides"]) == (1, 0)
    assert c
    assert client.get("/v1/review/metrics", headers=world.sp_a.headers).status_code == 403
    assert client.get("/v1/review/metrics?days=0", headers=world.admin).status_code == 422
