"""Tests for autolease.identity.biometrics.router: /v1/biometrics over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from autolease.audit.models import AuditEvent
from autolease.auth.principal import Role
from autolease.identity.biometrics import models as _models  # noqa: F401  (registers the table)
from autolease.identity.biometrics.dependencies import get_engines
from autolease.identity.biometrics.router import router
from autolease.identity.biometrics.service import UnavailableEngines
from autolease.identity.identifiers import resident_id_check_char
from autolease.runtime import Runtime
from tests.factories import Tenant, login, make_sp, make_user
from tests.identity.biometrics.conftest import corrupt_bytes, voice

BASE = "/v1/biometrics"
JPEG = "image/jpeg"
FLAC = "audio/flac"


def rid() -> str:
    first17 = "31011019800615013"
    return first17 + resident_id_check_char(first17)


@pytest.fixture
def api(client: TestClient) -> Iterator[TestClient]:
    """The app with the biometrics router mounted (until api.py lists it)."""
    app: Any = client.app
    if not any(getattr(r, "path", "").startswith(BASE) for r in app.routes):
        app.include_router(router)
    yield client
    app.dependency_overrides.clear()


@pytest.fixture
def tenants(runtime: Runtime) -> tuple[Tenant, Tenant]:
    """Two SPs with API keys (no staff users: password hashing is slow)."""
    with runtime.sessions.begin() as session:
        return make_sp(session, runtime, "SP-A"), make_sp(session, runtime, "SP-B")


def analyst_headers(api: TestClient, runtime: Runtime) -> dict[str, str]:
    with runtime.sessions.begin() as session:
        make_user(session, runtime, "analyst", Role.RISK_ANALYST)
    return login(api, "analyst")


class TestWithoutExtra:
    def test_face_verify_says_which_extra_to_install(
        self, api: TestClient, tenants: tuple[Tenant, Tenant]
    ) -> None:
        api.app.dependency_overrides[get_engines] = UnavailableEngines  # type: ignore[attr-defined]
        files = {"image_a": ("a.jpg", b"x", JPEG), "image_b": ("b.jpg", b"y", JPEG)}
        response = api.post(f"{BASE}/face/verify", files=files, headers=tenants[0].headers)
        assert response.status_code == 503
        body = response.json()
        assert body["code"] == "biometrics_unavailable"
        assert "autolease[biometrics]" in body["detail"]

    def test_needs_authentication(self, api: TestClient, tenants: tuple[Tenant, Tenant]) -> None:
        files = {"image_a": ("a.jpg", b"x", JPEG), "image_b": ("b.jpg", b"y", JPEG)}
        assert api.post(f"{BASE}/face/verify", files=files).status_code == 401

    def test_missing_upload_is_a_validation_error(
        self, api: TestClient, tenants: tuple[Tenant, Tenant]
    ) -> None:
        files = {"image_a": ("a.jpg", b"x", JPEG)}
        response = api.post(f"{BASE}/face/verify", files=files, headers=tenants[0].headers)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "image_b"

    def test_delete_unknown_subject_is_404(
        self, api: TestClient, tenants: tuple[Tenant, Tenant]
    ) -> None:
        response = api.delete(f"{BASE}/subjects/{'0' * 64}/templates", headers=tenants[0].headers)
        assert response.status_code == 404
        assert response.json()["code"] == "biometric_template_not_found"


@pytest.fixture
def extra_installed(face_engine: Any, voice_engine: Any) -> None:
    """Skips the test unless the biometrics extra is installed."""


@pytest.mark.usefixtures("extra_installed")
class TestFaceEndpoints:
    def test_verify_match(
        self, api: TestClient, tenants: tuple[Tenant, Tenant], face_bytes: bytes
    ) -> None:
        files = {"image_a": ("a.jpg", face_bytes, JPEG), "image_b": ("b.jpg", face_bytes, JPEG)}
        response = api.post(f"{BASE}/face/verify", files=files, headers=tenants[0].headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["decision"] == "match"
        assert body["score"] == pytest.approx(1.0, abs=1e-3)
        assert body["threshold"] == pytest.approx(0.4)
        assert body["reasons"] == []
        assert "embedding" not in response.text

    @pytest.mark.parametrize(("data", "rule"), [(b"", "empty"), (corrupt_bytes(), "format")])
    def test_bad_file_is_422_naming_field(
        self,
        api: TestClient,
        tenants: tuple[Tenant, Tenant],
        face_bytes: bytes,
        data: bytes,
        rule: str,
    ) -> None:
        files = {"image_a": ("a.jpg", face_bytes, JPEG), "image_b": ("b.jpg", data, JPEG)}
        response = api.post(f"{BASE}/face/verify", files=files, headers=tenants[0].headers)
        assert response.status_code == 422
        error = response.json()["errors"][0]
        assert (error["field"], error["rule"]) == ("image_b", rule)

    def test_enrol_then_delete(
        self, api: TestClient, tenants: tuple[Tenant, Tenant], face_bytes: bytes, runtime: Runtime
    ) -> None:
        sp_a, sp_b = tenants
        response = api.post(
            f"{BASE}/face/enrol",
            files={"image": ("a.jpg", face_bytes, JPEG)},
            data={"id_number": rid()},
            headers=sp_a.headers,
        )
        assert response.status_code == 201, response.text
        enrolled = response.json()
        assert enrolled["modality"] == "face"
        ref = enrolled["subject_ref"]
        assert rid() not in response.text
        url = f"{BASE}/subjects/{ref}/templates"
        assert api.delete(url, headers=sp_b.headers).status_code == 404
        deleted = api.delete(url, headers=sp_a.headers)
        assert deleted.json() == {"subject_ref": ref, "deleted": 1}
        with runtime.sessions() as session:
            actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
        assert actions == ["biometrics.template_enrolled", "biometrics.templates_deleted"]

    def test_liveness_of_a_still_photo_fails(
        self, api: TestClient, tenants: tuple[Tenant, Tenant], face_bytes: bytes
    ) -> None:
        frames = [("frames", (f"{i}.jpg", face_bytes, JPEG)) for i in range(4)]
        response = api.post(
            f"{BASE}/liveness",
            files=frames,
            data={"challenge": "blink"},
            headers=tenants[0].headers,
        )
        assert response.status_code == 200, response.text
        assert response.json()["decision"] == "fail"
        assert response.json()["reasons"] == ["LIVENESS_NO_BLINK"]


@pytest.mark.usefixtures("extra_installed")
class TestVoiceEndpoints:
    def test_enrol_verify_and_blacklist(
        self, api: TestClient, tenants: tuple[Tenant, Tenant], runtime: Runtime
    ) -> None:
        sp_a, _ = tenants
        files = [("files", (f"{i}.flac", voice(f"speaker_a_{i}"), FLAC)) for i in (0, 1)]
        response = api.post(
            f"{BASE}/voice/enrol", files=files, data={"id_number": rid()}, headers=sp_a.headers
        )
        assert response.status_code == 201, response.text
        assert response.json()["samples"] == 2

        fraud = [("files", ("f.flac", voice("speaker_b_0"), FLAC))]
        refused = api.post(
            f"{BASE}/voice/enrol", files=fraud, data={"purpose": "blacklist"}, headers=sp_a.headers
        )
        assert refused.status_code == 403
        analyst = analyst_headers(api, runtime)
        added = api.post(
            f"{BASE}/voice/enrol",
            files=fraud,
            data={"purpose": "blacklist", "reference": "CASE-7"},
            headers=analyst,
        )
        assert added.status_code == 201, added.text
        assert added.json()["subject_ref"] is None

        def verify(name: str) -> dict[str, Any]:
            probe = {"probe": ("p.flac", voice(name), FLAC)}
            reply = api.post(
                f"{BASE}/voice/verify", files=probe, data={"id_number": rid()}, headers=sp_a.headers
            )
            assert reply.status_code == 200, reply.text
            return dict(reply.json())

        genuine = verify("speaker_a_2")
        assert (genuine["decision"], genuine["enrolled"]) == ("match", True)
        assert genuine["blacklist"]["hit"] is False
        impostor = verify("speaker_b_2")
        assert impostor["decision"] == "no_match"
        assert impostor["reasons"] == ["VOICE_MISMATCH"]
        assert impostor["blacklist"]["hit"] is True

    def test_wrong_format_is_422(self, api: TestClient, tenants: tuple[Tenant, Tenant]) -> None:
        probe = {"probe": ("p.flac", corrupt_bytes(), FLAC)}
        response = api.post(f"{BASE}/voice/verify", files=probe, headers=tenants[0].headers)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "probe"
