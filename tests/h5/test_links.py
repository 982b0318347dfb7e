"""Applicant links: issued through the API by an SP, opened without a login, spent by one
application (tenancy, role, bad input, expiry, a suspended SP)."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from autolease.dealer.models import ServiceProvider
from autolease.h5.models import ApplicantLink
from autolease.kit.clock import FixedClock
from autolease.origination.models import Application, ApplicationConsent
from autolease.runtime import Runtime
from tests.factories import Tenant, login
from tests.h5.conftest import submission

URL = "/v1/applicant-links"
SUBMIT = "/h5/api/applications"


def issue(client: TestClient, tenant: Tenant, **body: object) -> dict[str, str]:
    response = client.post(URL, json=body, headers=tenant.headers)
    assert response.status_code == 201, response.text
    issued: dict[str, str] = response.json()
    return issued


def link_headers(token: str, key: str) -> dict[str, str]:
    return {"X-Applicant-Link": token, "Idempotency-Key": key, "Accept": "application/json"}


class TestIssue:
    def test_an_sp_key_issues_a_link_and_only_its_hash_is_kept(
        self, client: TestClient, runtime: Runtime, tenants: tuple[Tenant, Tenant]
    ) -> None:
        a, _ = tenants
        link = issue(client, a, reference="CRM-1", ttl_minutes=30)
        assert link["url"] == "/h5/a/" + link["token"]
        assert link["reference"] == "CRM-1"
        with runtime.sessions() as session:
            row = session.scalars(select(ApplicantLink)).one()
        assert link["token"] not in row.token_hash
        assert row.expires_at - runtime.clock.now() == timedelta(minutes=30)

    def test_staff_and_strangers_cannot_issue(
        self, client: TestClient, tenants: tuple[Tenant, Tenant]
    ) -> None:
        assert client.post(URL, json={}).status_code == 401
        staff = client.post(URL, json={}, headers=login(client, "admin"))
        assert staff.status_code == 403

    def test_bad_input_names_the_field(
        self, client: TestClient, tenants: tuple[Tenant, Tenant]
    ) -> None:
        a, _ = tenants
        for body, field in (
            ({"ttl_minutes": 2}, "ttl_minutes"),
            ({"ttl_minutes": "60"}, "ttl_minutes"),
            ({"reference": "张三 13800000000"}, "reference"),
            ({"name": "x"}, "name"),
        ):
            response = client.post(URL, json=body, headers=a.headers)
            assert response.status_code == 422, body
            assert field in {e["field"] for e in response.json()["errors"]}


class TestOpen:
    def test_the_link_opens_the_flow_without_a_login(
        self, client: TestClient, tenants: tuple[Tenant, Tenant]
    ) -> None:
        a, _ = tenants
        link = issue(client, a)
        page = client.get(link["url"])
        assert page.status_code == 200
        assert f'data-link="{link["token"]}"' in page.text
        assert page.headers["referrer-policy"] == "no-referrer"

    def test_unknown_and_expired_links_are_404(
        self, client: TestClient, runtime: Runtime, tenants: tuple[Tenant, Tenant]
    ) -> None:
        a, _ = tenants
        assert client.get("/h5/a/not-a-token").status_code == 404
        link = issue(client, a, ttl_minutes=5)
        assert isinstance(runtime.clock, FixedClock)
        runtime.clock.advance(minutes=6)
        assert client.get(link["url"]).status_code == 404
        late = client.post(
            SUBMIT, json=submission(), headers=link_headers(link["token"], "link-key-late")
        )
        assert late.status_code == 404

    def test_a_suspended_sps_link_no_longer_opens(
        self, client: TestClient, runtime: Runtime, tenants: tuple[Tenant, Tenant]
    ) -> None:
        a, _ = tenants
        link = issue(client, a)
        with runtime.sessions.begin() as session:
            session.execute(
                update(ServiceProvider)
                .where(ServiceProvider.code == a.code)
                .values(status="suspended")
            )
        assert client.get(link["url"]).status_code == 404


class TestSubmitByLink:
    def test_one_application_for_the_links_sp_then_the_link_is_spent(
        self, client: TestClient, runtime: Runtime, tenants: tuple[Tenant, Tenant]
    ) -> None:
        a, _ = tenants
        link = issue(client, a)
        first = client.post(
            SUBMIT, json=submission(), headers=link_headers(link["token"], "link-key-0001")
        )
        assert first.status_code == 201, first.text
        app_id = first.json()["application_id"]
        replay = client.post(
            SUBMIT, json=submission(), headers=link_headers(link["token"], "link-key-0001")
        )
        assert replay.status_code == 201
        assert replay.json()["application_id"] == app_id
        other = client.post(
            SUBMIT, json=submission(), headers=link_headers(link["token"], "link-key-0002")
        )
        assert other.status_code == 409
        assert other.json()["code"] == "link_spent"
        assert client.get(link["url"]).status_code == 409
        with runtime.sessions() as session:
            app = session.get(Application, app_id)
            assert app is not None
            sp = session.scalars(
                select(ServiceProvider).where(ServiceProvider.code == a.code)
            ).one()
            assert app.sp_id == sp.id
            consent = session.scalars(select(ApplicationConsent)).one()
            assert consent.channel == "h5_link"
            assert len(session.scalars(select(Application)).all()) == 1

    def test_the_link_submits_as_its_own_sp_only(
        self, client: TestClient, tenants: tuple[Tenant, Tenant]
    ) -> None:
        a, b = tenants
        link = issue(client, a)
        app_id = client.post(
            SUBMIT, json=submission(), headers=link_headers(link["token"], "link-key-0003")
        ).json()["application_id"]
        assert client.get(f"/v1/applications/{app_id}", headers=a.headers).status_code == 200
        assert client.get(f"/v1/applications/{app_id}", headers=b.headers).status_code == 404


def test_the_access_log_never_holds_a_links_token(
    client: TestClient, tenants: tuple[Tenant, Tenant], caplog: pytest.LogCaptureFixture
) -> None:
    a, _ = tenants
    link = issue(client, a)
    with caplog.at_level(logging.INFO, logger="autolease.access"):
        assert client.get(link["url"]).status_code == 200
    lines = [r.getMessage() for r in caplog.records if r.name == "autolease.access"]
    assert lines
    assert lines[-1].startswith("GET /h5/a/… 200 ")
    assert all(link["token"] not in line for line in lines)
