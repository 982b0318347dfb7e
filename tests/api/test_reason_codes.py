"""GET /v1/reason-codes: SP keys and staff read the catalogue; bad input is a clear 422."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from autolease.reasons.catalogue import catalogue
from autolease.runtime import Runtime
from tests.factories import login, setup_tenants

URL = "/v1/reason-codes"


def test_unauthenticated_is_401(client: TestClient) -> None:
    response = client.get(URL)
    assert response.status_code == 401
    assert set(response.json()) >= {"error", "code", "detail"}
    bad_key = client.get(URL, headers={"Authorization": "Bearer al_nope"})
    assert bad_key.status_code == 401


def test_an_sp_key_reads_every_code_with_both_texts(client: TestClient, runtime: Runtime) -> None:
    sp_a, _ = setup_tenants(runtime)
    response = client.get(URL, headers=sp_a.headers)
    assert response.status_code == 200, response.text
    items = response.json()
    assert [i["code"] for i in items] == sorted(catalogue())
    selfie = next(i for i in items if i["code"] == "SELFIE_MISSING")
    assert selfie["severity"] == "info"
    assert selfie["shown_to_sp"] is False
    assert selfie["text_zh"] == "申请未附自拍照"
    assert selfie["action_en"]
    assert all(i["text_zh"] and i["text_en"] and i["action_zh"] for i in items)


def test_two_sps_and_every_staff_role_see_the_same_catalogue(
    client: TestClient, runtime: Runtime
) -> None:
    sp_a, sp_b = setup_tenants(runtime)
    seen = [client.get(URL, headers=sp_a.headers), client.get(URL, headers=sp_b.headers)]
    for username in ("admin", "analyst", "reviewer", "sp_a_user"):
        seen.append(client.get(URL, headers=login(client, username)))
    assert {r.status_code for r in seen} == {200}
    assert all(r.json() == seen[0].json() for r in seen)


def test_filters_by_stage_severity_and_kind(client: TestClient, runtime: Runtime) -> None:
    sp_a, _ = setup_tenants(runtime)
    query = {"stage": "policy", "severity": "decline"}
    declines = client.get(URL, params=query, headers=sp_a.headers).json()
    assert declines
    assert {(i["stage"], i["severity"]) for i in declines} == {("policy", "decline")}
    assert "PD_DECLINE_BAND" in {i["code"] for i in declines}
    offers = client.get(URL, params={"kind": "offer"}, headers=sp_a.headers).json()
    assert "DOWN_PAYMENT_ABOVE_PRODUCT_MAX" in {i["code"] for i in offers}
    assert {i["kind"] for i in offers} == {"offer"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"severity": "fatal"}, "severity"),
        ({"kind": "note"}, "kind"),
        ({"stage": "astrology"}, "stage"),
    ],
)
def test_a_bad_query_is_422_naming_the_field(
    client: TestClient, runtime: Runtime, params: dict[str, str], field: str
) -> None:
    sp_a, _ = setup_tenants(runtime)
    response = client.get(URL, params=params, headers=sp_a.headers)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["errors"][0]["field"] == field
    assert body["errors"][0]["message_zh"]
