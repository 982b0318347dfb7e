"""The applicant's consents on `POST /v1/applications`: recorded with the application (once,
also on a replay), refused when personal information is not consented to or when biometric
samples come without their separate consent, and named field by field."""

from __future__ import annotations

import base64
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from autolease.origination.models import Application, ApplicationConsent
from autolease.runtime import Runtime
from tests.factories import login, make_body, setup_tenants, submit

CONSENT = {"personal_information": True, "biometrics": False, "text_version": "sp-2026.01"}


def consents(runtime: Runtime) -> list[ApplicationConsent]:
    with runtime.sessions() as session:
        rows = list(session.scalars(select(ApplicationConsent)))
        session.expunge_all()
        return rows


def applications(runtime: Runtime) -> int:
    with runtime.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Application)) or 0)


def with_consent(seed: int, **consent: Any) -> dict[str, Any]:
    body = make_body(seed)
    body["consent"] = {**CONSENT, **consent}
    return body


def test_consent_is_recorded_once_with_the_application(
    client: TestClient, runtime: Runtime
) -> None:
    a, _ = setup_tenants(runtime)
    first = submit(client, a, with_consent(71), key="consent-1")
    assert first.status_code == 201, first.text
    again = submit(client, a, with_consent(71), key="consent-1")
    assert again.headers.get("Idempotent-Replayed") == "true"
    (row,) = consents(runtime)
    assert row.application_id == first.json()["id"]
    assert (row.personal_information, row.biometrics) == (True, False)
    assert (row.text_version, row.channel) == ("sp-2026.01", "api")
    assert row.given_at == runtime.clock.now()


def test_without_consent_nothing_is_recorded(client: TestClient, runtime: Runtime) -> None:
    a, _ = setup_tenants(runtime)
    assert submit(client, a, make_body(72)).status_code == 201
    assert consents(runtime) == []


def test_refusals_name_the_field_and_store_nothing(client: TestClient, runtime: Runtime) -> None:
    a, _ = setup_tenants(runtime)
    selfie = {"selfie": base64.b64encode(b"\xff\xd8jpeg").decode()}
    cases: list[tuple[dict[str, Any], str]] = [
        (with_consent(73, personal_information=False), "consent.personal_information"),
        (with_consent(73, text_version="v 1!"), "consent.text_version"),
        (with_consent(73, text_version=""), "consent.text_version"),
        (with_consent(73, biometrics="yes"), "consent.biometrics"),
        (with_consent(73, extra=True), "consent.extra"),
        ({**with_consent(73), "biometrics": selfie}, "consent.biometrics"),
    ]
    for body, field in cases:
        response = submit(client, a, body)
        assert response.status_code == 422, (field, response.text)
        fields = {e["field"] for e in response.json()["errors"]}
        assert field in fields, (field, fields)
    assert applications(runtime) == 0
    assert consents(runtime) == []


def test_staff_cannot_submit_with_consent(client: TestClient, runtime: Runtime) -> None:
    setup_tenants(runtime)
    refused = client.post(
        "/v1/applications", json=with_consent(74), headers=login(client, "reviewer")
    )
    assert refused.status_code == 403
    assert consents(runtime) == []
