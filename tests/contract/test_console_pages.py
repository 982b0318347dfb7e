"""The console's contract pages for the lessor's operations: the book by status and title
release, one contract, and a servicing event recorded from the form (the API's models and
rules, audited; admins only, CSRF, bad input stores nothing)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select

from autolease.audit.models import AuditEvent
from autolease.contract.models import Contract, ContractEvent
from autolease.runtime import Runtime
from tests.contract.conftest import Approved
from tests.contract.test_api import accept
from tests.factories import PASSWORD
from tests.h5.conftest import h5_login

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
LIST = "/console/admin/contracts"


def console_login(client: TestClient, username: str) -> str:
    """A console session for `username`; the CSRF token of its forms."""
    page = client.get("/console/login")
    found = CSRF_FIELD.search(page.text)
    assert found
    response = client.post(
        "/console/login",
        data={"username": username, "password": PASSWORD, "csrf_token": found.group(1),
              "next": "/console/"},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303, response.text
    home = client.get("/console/")
    token = CSRF_FIELD.search(home.text) or re.search(
        r'name="csrf-token" content="([^"]+)"', home.text
    )
    assert token, "no CSRF token on the console home"
    return token.group(1)


@pytest.fixture
def booked(client: TestClient, approved: Approved) -> str:
    response = accept(client, approved)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def events_of(runtime: Runtime, contract_id: str) -> list[str]:
    with runtime.sessions() as session:
        query = select(ContractEvent.kind).where(ContractEvent.contract_id == contract_id)
        return list(session.scalars(query))


def status_of(runtime: Runtime, contract_id: str) -> str:
    with runtime.sessions() as session:
        contract = session.get(Contract, contract_id)
        assert contract is not None
        return contract.status


def record(client: TestClient, token: str, contract_id: str, **form: str) -> Response:
    return client.post(
        f"{LIST}/{contract_id}/events", data={"csrf_token": token, **form}, follow_redirects=False
    )


class TestAccess:
    def test_only_admins_open_the_contract_pages(self, client: TestClient, booked: str) -> None:
        for path in (LIST, f"{LIST}/{booked}"):
            console_login(client, "reviewer")
            refused = client.get(path)
            assert refused.status_code == 403, path
            console_login(client, "analyst")
            assert client.get(path).status_code == 403, path
        client.cookies.clear()
        assert h5_login(client, "sp_a_user").status_code == 303
        assert client.get(LIST).status_code == 403
        client.cookies.clear()
        console_login(client, "admin")
        assert client.get(LIST).status_code == 200
        assert client.get(f"{LIST}/{booked}").status_code == 200

    def test_a_reviewer_cannot_record_an_event(
        self, client: TestClient, runtime: Runtime, booked: str, approved: Approved
    ) -> None:
        token = console_login(client, "reviewer")
        refused = record(client, token, booked, kind="cancellation", event_id="c-1",
                         occurred_on="2026-12-01")  # fmt: skip
        assert refused.status_code == 403
        assert events_of(runtime, booked) == []


class TestPages:
    def test_the_list_filters_and_names_a_bad_filter(self, client: TestClient, booked: str) -> None:
        console_login(client, "admin")
        page = client.get(LIST)
        assert f'data-contract="{booked}"' in page.text
        assert booked in client.get(LIST, params={"status": "booked"}).text
        assert booked not in client.get(LIST, params={"status": "active"}).text
        assert booked not in client.get(LIST, params={"title_release": "owed"}).text
        for params in ({"status": "open"}, {"title_release": "late"}):
            bad = client.get(LIST, params=params)
            assert bad.status_code == 422, params
            assert next(iter(params)) in bad.text
        assert client.get(f"{LIST}/ctr_nope").status_code == 404

    def test_a_payout_from_the_form_is_recorded_and_audited(
        self, client: TestClient, runtime: Runtime, booked: str, approved: Approved
    ) -> None:
        token = console_login(client, "admin")
        page = client.get(f"{LIST}/{booked}")
        assert 'id="event-form"' in page.text
        financed = approved.offers[0]["financed_amount"]
        done = record(client, token, booked, kind="payout", event_id="p-1",
                      occurred_on="2026-12-01", amount=financed, reference="B1")  # fmt: skip
        assert done.status_code == 303
        assert status_of(runtime, booked) == "active"
        shown = client.get(f"{LIST}/{booked}?done=payout")
        assert 'id="done"' in shown.text
        assert 'data-kind="payout"' in shown.text
        with runtime.sessions() as session:
            audit = session.scalars(
                select(AuditEvent).where(AuditEvent.action == "contract.payout")
            ).one()
        assert (audit.entity_id, audit.actor) == (booked, "user:admin")

    def test_bad_input_refusals_and_a_forged_token_store_nothing(
        self, client: TestClient, runtime: Runtime, booked: str
    ) -> None:
        token = console_login(client, "admin")
        bad = record(client, token, booked, kind="payout", event_id="p 1",
                     occurred_on="2026-12-01", amount="-5", reference="B1")  # fmt: skip
        assert bad.status_code == 422
        text = bad.text
        assert 'id="errors"' in text
        assert "amount:" in text
        assert "event_id:" in text
        assert 'value="-5"' in text  # the form keeps what was typed
        refused = record(client, token, booked, kind="repossession", event_id="x-1",
                         occurred_on="2026-12-01")  # fmt: skip
        assert refused.status_code == 409
        assert "cannot become repossessed" in refused.text
        unknown = record(client, token, booked, kind="gift", event_id="g-1",
                         occurred_on="2026-12-01")  # fmt: skip
        assert unknown.status_code == 422
        forged = record(client, "x", booked, kind="cancellation", event_id="c-1",
                        occurred_on="2026-12-01")  # fmt: skip
        assert forged.status_code == 403
        assert events_of(runtime, booked) == []
        assert status_of(runtime, booked) == "booked"
