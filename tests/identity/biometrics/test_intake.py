"""Biometric samples carried by an application, through the real intake."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolease.app import create_app
from autolease.runtime import Runtime
from tests.factories import login, make_body, setup_tenants, submit
from tests.identity.biometrics.conftest import corrupt_bytes, voice


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(runtime=runtime)) as c:
        yield c


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def identity_decision(client: TestClient, app_id: str) -> dict[str, Any]:
    response = client.get(f"/v1/applications/{app_id}/decision", headers=login(client, "analyst"))
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def codes_of(detail: dict[str, Any]) -> dict[str, str]:
    return {r["code"]: r["severity"] for r in detail["reasons"] if r["stage"] == "identity"}


def test_an_application_without_samples_gets_missing_reasons_not_an_error(
    client: TestClient, runtime: Runtime
) -> None:
    sp, _ = setup_tenants(runtime)
    created = submit(client, sp, make_body(1))
    assert created.status_code == 201, created.text
    codes = codes_of(identity_decision(client, created.json()["id"]))
    assert codes["SELFIE_MISSING"] == "info"
    assert codes["VOICE_SAMPLE_MISSING"] == "info"


def test_a_sample_that_is_not_base64_is_a_422_naming_the_field(
    client: TestClient, runtime: Runtime
) -> None:
    sp, _ = setup_tenants(runtime)
    body = make_body(2)
    body["biometrics"] = {"selfie": "%%% not base64 %%%"}
    response = submit(client, sp, body)
    assert response.status_code == 422, response.text
    fields = [e["field"] for e in response.json()["errors"]]
    assert fields == ["biometrics.selfie"]
    assert "%%%" not in response.text


def test_an_unreadable_image_is_a_422_and_nothing_is_stored(
    client: TestClient, runtime: Runtime, face_engine: Any
) -> None:
    sp, _ = setup_tenants(runtime)
    body = make_body(3)
    body["biometrics"] = {"selfie": b64(corrupt_bytes())}
    response = submit(client, sp, body)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "biometrics.selfie"
    listed = client.get("/v1/applications", headers=sp.headers)
    assert listed.status_code == 200
    assert listed.json()["items"] == []


def test_selfie_against_id_photo_and_a_voice_are_assessed(
    client: TestClient, runtime: Runtime, face_bytes: bytes, face_engine: Any, voice_engine: Any
) -> None:
    sp, _ = setup_tenants(runtime)
    body = make_body(4)
    body["biometrics"] = {
        "selfie": b64(face_bytes),
        "id_photo": b64(face_bytes),
        "voice": b64(voice("speaker_a_0")),
    }
    created = submit(client, sp, body)
    assert created.status_code == 201, created.text
    detail = identity_decision(client, created.json()["id"])
    assert detail["features"]["biometric_face_decision"] == "match"
    assert detail["features"]["biometric_face_score"] > 0.9
    assert "biometrics.face" in detail["model_versions"]
    codes = codes_of(detail)
    assert "SELFIE_MISSING" not in codes
    assert "FACE_MISMATCH" not in codes
    assert "ID_PHOTO_MISSING" not in codes
