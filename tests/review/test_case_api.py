"""The case file, the relationship graph, the replay and audited reveals."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.factories import make_body, submit
from tests.review.conftest import World, refer


def test_the_case_file_and_its_graph(client: TestClient, world: World) -> None:
    shared = make_body(2)
    neighbour = make_body(5)
    neighbour["applicant"]["phone"] = shared["applicant"]["phone"]
    other = submit(client, world.sp_b, neighbour)
    assert other.status_code == 201
    app_id = refer(client, world.sp_a, 2)
    response = client.get(f"/v1/review/cases/{app_id}", headers=world.reviewer)
    assert response.status_code == 200, response.text
    case = response.json()
    assert case["application"]["applicant"]["phone"].count("*") >= 4
    assert case["review"]["state"] == "open"
    assert {"asking_price", "p10", "p90", "ltv", "history"} <= set(case["vehicle"])
    assert {"pd", "grade", "top_factors"} <= set(case["credit"])
    assert case["policy"]["fired"]
    assert all("rules" in r for r in case["policy"]["fired"])
    assert [t["stage"] for t in case["trace"]][:1] == ["identity"]
    assert case["decisions"][0]["outcome"] == "refer"
    nodes = {n["data"]["id"]: n["data"] for n in case["graph"]["nodes"]}
    assert nodes[app_id]["hop"] == 0
    assert nodes[other.json()["id"]]["hop"] == 1
    assert nodes[other.json()["id"]]["sp"] == "SP-B"
    phones = [n for n in nodes.values() if n["type"] == "phone" and n["shared_by"] == 2]
    assert len(phones) == 1
    edges = {(e["data"]["source"], e["data"]["target"]) for e in case["graph"]["edges"]}
    assert (other.json()["id"], phones[0]["id"]) in edges
    assert shared["applicant"]["phone"] not in response.text


def test_who_reads_a_case(client: TestClient, world: World) -> None:
    app_id = refer(client, world.sp_a, 2)
    url = f"/v1/review/cases/{app_id}"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=world.sp_a.headers).status_code == 403
    assert client.get(url, headers=world.analyst).status_code == 403
    assert client.get(url, headers=world.admin).status_code == 200
    assert client.get("/v1/review/cases/app_missing", headers=world.reviewer).status_code == 404


def test_replay(client: TestClient, world: World) -> None:
    app_id = refer(client, world.sp_a, 2)
    url = f"/v1/review/cases/{app_id}/replay"
    response = client.get(url, headers=world.reviewer)
    assert response.status_code == 200, response.text
    assert response.json()["matches"] is True
    assert client.get(url, headers=world.sp_a.headers).status_code == 403


def test_a_reveal_needs_a_reason_and_is_audited(client: TestClient, world: World) -> None:
    body = make_body(2)
    app_id = refer(client, world.sp_a, 2)
    url = f"/v1/review/cases/{app_id}/reveal"
    response = client.post(url, json={"field": "phone", "reason": "核实本人接听"},
                           headers=world.reviewer)  # fmt: skip
    assert response.status_code == 200, response.text
    assert response.json() == {"field": "phone", "value": body["applicant"]["phone"]}
    events = client.get(f"/v1/audit/events?entity_id={app_id}", headers=world.admin).json()
    revealed = [e for e in events if e["action"] == "applicant.field_revealed"]
    assert revealed[0]["payload"] == {"field": "phone", "reason": "核实本人接听"}
    assert revealed[0]["actor"] == "user:reviewer"
    assert body["applicant"]["phone"] not in str(events)
    for bad in ({"field": "phone"}, {"field": "phone", "reason": "x"},
                {"field": "password", "reason": "curious"}):  # fmt: skip
        assert client.post(url, json=bad, headers=world.reviewer).status_code == 422
    assert client.post(url, json={"field": "phone", "reason": "checking"},
                       headers=world.sp_a.headers).status_code == 403  # fmt: skip
