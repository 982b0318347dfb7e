"""No staff note and no staff username reach an SP, on any endpoint an SP can call."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from autolease.origination.models import Application
from autolease.origination.schemas import ApplicationPage, ApplicationRead, DecisionRead, SpActor
from autolease.origination.service.views import sp_actor
from autolease.runtime import Runtime
from tests.factories import Tenant, login, make_body, setup_tenants, submit

NOTE = "疑似冒名 internal-note"
LEAKS = ("疑似冒名", "internal-note", "user:reviewer", '"note"', "user:sp_a_user")


def assert_no_staff_detail(response: Any) -> None:
    assert response.status_code in (200, 201), response.text
    for leak in LEAKS:
        assert leak not in response.text


def referred(runtime: Runtime, client: TestClient, tenant: Tenant, seed: int) -> str:
    created = submit(client, tenant, make_body(seed))
    assert created.status_code == 201, created.text
    with runtime.sessions.begin() as session:  # whatever the stand-in models decided
        app = session.get(Application, created.json()["id"])
        assert app is not None
        app.status = "referred"
    return str(created.json()["id"])


def review(client: TestClient, app_id: str, verdict: str, note: str) -> None:
    response = client.post(
        f"/v1/applications/{app_id}/review",
        json={"decision": verdict, "note": note},
        headers=login(client, "reviewer"),
    )
    assert response.status_code == 200, response.text


@pytest.fixture
def declined(client: TestClient, runtime: Runtime) -> tuple[Tenant, str]:
    tenant, _ = setup_tenants(runtime)
    app_id = referred(runtime, client, tenant, 61)
    review(client, app_id, "decline", NOTE)
    return tenant, app_id


def test_get_shows_the_reviewers_role_without_the_note(
    client: TestClient, declined: tuple[Tenant, str]
) -> None:
    tenant, app_id = declined
    response = client.get(f"/v1/applications/{app_id}", headers=tenant.headers)
    assert_no_staff_detail(response)
    last = response.json()["status_history"][-1]
    assert last == {
        "from_status": "referred",
        "to_status": "declined",
        "actor": "reviewer",
        "occurred_at": last["occurred_at"],
    }
    assert {e["actor"] for e in response.json()["status_history"]} == {"sp", "reviewer"}


def test_sp_staff_users_see_the_sp_view_too(
    client: TestClient, declined: tuple[Tenant, str]
) -> None:
    _, app_id = declined
    response = client.get(f"/v1/applications/{app_id}", headers=login(client, "sp_a_user"))
    assert_no_staff_detail(response)


def test_staff_keep_the_full_view(client: TestClient, declined: tuple[Tenant, str]) -> None:
    _, app_id = declined
    response = client.get(f"/v1/applications/{app_id}", headers=login(client, "admin"))
    assert response.status_code == 200
    last = response.json()["status_history"][-1]
    assert last["actor"] == "user:reviewer"
    assert last["note"] == f"review decline: {NOTE}"


def test_list_and_decision(client: TestClient, declined: tuple[Tenant, str]) -> None:
    tenant, app_id = declined
    listing = client.get("/v1/applications", headers=tenant.headers)
    assert_no_staff_detail(listing)
    assert [i["status"] for i in listing.json()["items"]] == ["declined"]
    decision = client.get(f"/v1/applications/{app_id}/decision", headers=tenant.headers)
    assert_no_staff_detail(decision)


def test_withdraw_response(client: TestClient, runtime: Runtime) -> None:
    tenant, _ = setup_tenants(runtime)
    app_id = referred(runtime, client, tenant, 62)
    review(client, app_id, "approve", NOTE)
    withdrawn = client.post(
        f"/v1/applications/{app_id}/withdraw", json={"note": "客户放弃"}, headers=tenant.headers
    )
    assert_no_staff_detail(withdrawn)
    actors = [(e["to_status"], e["actor"]) for e in withdrawn.json()["status_history"]]
    assert actors[-2:] == [("approved", "reviewer"), ("withdrawn", "sp")]


def test_submit_and_its_replay_by_an_sp_user(client: TestClient, runtime: Runtime) -> None:
    setup_tenants(runtime)
    headers = {**login(client, "sp_a_user"), "Idempotency-Key": "k-71"}
    body = make_body(71)
    first = client.post("/v1/applications", json=body, headers=headers)
    again = client.post("/v1/applications", json=body, headers=headers)
    for response in (first, again):
        assert_no_staff_detail(response)
        assert {e["actor"] for e in response.json()["status_history"]} == {"sp"}
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()


def field_names(model: type[BaseModel]) -> set[str]:
    schema = model.model_json_schema()
    names: set[str] = set()
    for definition in [schema, *schema.get("$defs", {}).values()]:
        names.update(definition.get("properties", {}))
    return names


@pytest.mark.parametrize("model", [ApplicationRead, ApplicationPage, DecisionRead])
def test_sp_models_have_no_place_for_a_note_or_a_username(model: type[BaseModel]) -> None:
    names = field_names(model)
    assert "id" in names  # the walk does see the fields
    assert not names & {"note", "reviewer", "username", "features", "trace"}


def test_the_sp_actor_is_a_role() -> None:
    assert {a.value for a in SpActor} == {"sp", "reviewer", "staff", "system"}
    actor = ApplicationRead.model_json_schema()["$defs"]["StatusEventRead"]["properties"]["actor"]
    assert actor == {"$ref": "#/$defs/SpActor"}


@pytest.mark.parametrize(
    ("actor", "role"),
    [
        ("apikey:ab12cd34", "sp"),
        ("user:sp_a_user", "sp"),
        ("user:reviewer", "reviewer"),
        ("user:admin", "staff"),
        ("user:gone", "staff"),
        ("system:cli", "system"),
        ("system", "system"),
    ],
)
def test_stored_actors_map_to_roles(actor: str, role: str) -> None:
    roles = {"sp_a_user": "sp_user", "reviewer": "reviewer", "admin": "admin"}
    assert sp_actor(actor, roles) == SpActor(role)
