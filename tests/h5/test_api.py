"""The H5 page's JSON calls: validation as typed, the VIN, the live quote and the submission
(session with CSRF, role, tenancy, bad input, idempotency, consents)."""

from __future__ import annotations

import base64
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from autolease.origination.models import Application, ApplicationConsent
from autolease.runtime import Runtime
from tests.factories import Tenant
from tests.h5.conftest import example, h5_login, submission

SpPage = Callable[[], dict[str, str]]


def count(runtime: Runtime, model: type) -> int:
    with runtime.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


class TestCheck:
    def test_the_example_has_no_error(self, client: TestClient, sp_page: SpPage) -> None:
        response = client.post("/h5/api/check", json=example(), headers=sp_page())
        assert response.status_code == 200
        assert response.json() == {"errors": []}

    def test_a_bad_id_number_is_named_in_chinese_and_english(
        self, client: TestClient, sp_page: SpPage
    ) -> None:
        draft = example()
        draft["applicant"]["id_number"] = "310101198803151235"  # wrong check digit
        errors = client.post("/h5/api/check", json=draft, headers=sp_page()).json()["errors"]
        by_field = {e["field"]: e for e in errors}
        assert set(by_field) == {"applicant.id_number"}
        assert by_field["applicant.id_number"]["message_zh"]
        assert by_field["applicant.id_number"]["rule"] != "missing"

    def test_a_partial_draft_lists_the_missing_fields(
        self, client: TestClient, sp_page: SpPage
    ) -> None:
        draft = {"applicant": {"type": "individual", "name": "张三"}}
        errors = client.post("/h5/api/check", json=draft, headers=sp_page()).json()["errors"]
        fields = {e["field"] for e in errors}
        assert {"applicant.id_number", "applicant.phone", "vehicle", "financing"} <= fields
        assert "applicant.name" not in fields

    def test_a_company_names_its_legal_representatives_fields(
        self, client: TestClient, sp_page: SpPage
    ) -> None:
        draft = example()
        person = draft["applicant"]
        draft["applicant"] = {
            "type": "corporate",
            "name": "沙箱贸易有限公司",
            "uscc": "91350100M000100Y4X",
            "legal_representative": {"name": person["name"], "id_number": "110105197506204568"},
            "phone": person["phone"],
            "bank_card": person["bank_card"],
            "address": person["address"],
        }
        errors = client.post("/h5/api/check", json=draft, headers=sp_page()).json()["errors"]
        fields = {e["field"] for e in errors}
        assert "applicant.legal_representative.id_number" in fields  # wrong check digit
        assert "applicant.legal_representative.phone" in fields  # missing
        assert not any(f.startswith("applicant.legal_representative.name") for f in fields)

    def test_needs_a_session_and_its_csrf_token(self, client: TestClient, sp_page: SpPage) -> None:
        anonymous = client.post("/h5/api/check", json={}, headers={"Accept": "application/json"})
        assert anonymous.status_code == 401
        headers = sp_page()
        forged = client.post(
            "/h5/api/check", json={}, headers={**headers, "X-CSRF-Token": "forged"}
        )
        assert forged.status_code == 403
        assert forged.json()["code"] == "csrf_failed"

    def test_a_body_that_is_not_an_object_is_a_422(
        self, client: TestClient, sp_page: SpPage
    ) -> None:
        response = client.post("/h5/api/check", json=[1, 2], headers=sp_page())
        assert response.status_code == 422


class TestVin:
    def test_decodes_and_suggests_brand_and_models(
        self, client: TestClient, sp_page: SpPage
    ) -> None:
        response = client.get("/h5/api/vin/LHGF43ES0PF577814", headers=sp_page())
        assert response.status_code == 200
        body = response.json()
        assert "本田" in body["brands"]
        assert {"brand": "本田", "model": "雅阁", "fuel_type": "petrol"} in body["suggestions"]

    def test_a_bad_check_digit_is_a_field_error(self, client: TestClient, sp_page: SpPage) -> None:
        response = client.get("/h5/api/vin/LHGF43ES1PF577814", headers=sp_page())
        assert response.status_code == 422
        (error,) = response.json()["errors"]
        assert error["field"] == "vehicle.vin"
        assert error["message_zh"]


class TestQuote:
    def test_quotes_a_modest_request(self, client: TestClient, sp_page: SpPage) -> None:
        draft = example()
        draft["financing"].update(amount="40000.00", down_payment="59400.00")
        response = client.post("/h5/api/quote", json=draft, headers=sp_page())
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["offers"]
        assert body["offers"][0]["monthly_payment"]

    def test_too_much_asked_says_what_would_make_it_feasible(
        self, client: TestClient, sp_page: SpPage
    ) -> None:
        draft = example()
        draft["financing"].update(amount="99000.00", down_payment="400.00")
        body = client.post("/h5/api/quote", json=draft, headers=sp_page()).json()
        assert body["offers"] == []
        assert body["changes"]
        assert body["message_zh"].startswith("无可用方案")

    def test_bad_input_names_the_drafts_field(self, client: TestClient, sp_page: SpPage) -> None:
        draft = example()
        draft["vehicle"]["asking_price"] = "-1"
        response = client.post("/h5/api/quote", json=draft, headers=sp_page())
        assert response.status_code == 422
        assert "vehicle.asking_price" in {e["field"] for e in response.json()["errors"]}


class TestSubmit:
    URL = "/h5/api/applications"

    def test_submits_once_per_key_and_records_the_consents(
        self, client: TestClient, runtime: Runtime, sp_page: SpPage
    ) -> None:
        headers = {**sp_page(), "Idempotency-Key": "h5-draft-0001"}
        first = client.post(self.URL, json=submission(), headers=headers)
        assert first.status_code == 201, first.text
        again = client.post(self.URL, json=submission(), headers=headers)
        assert again.status_code == 201
        assert again.json()["replayed"] is True
        assert again.json()["application_id"] == first.json()["application_id"]
        assert first.headers["cache-control"] == "no-store"
        assert count(runtime, Application) == 1
        assert count(runtime, ApplicationConsent) == 1
        with runtime.sessions() as session:
            consent = session.scalars(select(ApplicationConsent)).one()
        assert consent.application_id == first.json()["application_id"]
        assert (consent.personal_information, consent.biometrics) == (True, False)
        assert consent.channel == "h5_staff"

    def test_a_decline_carries_what_to_do_and_the_human_review(
        self, client: TestClient, sp_page: SpPage
    ) -> None:
        headers = {**sp_page(), "Idempotency-Key": "h5-draft-0002"}
        body = submission("sandbox/decline-court-list.json")
        result = client.post(self.URL, json=body, headers=headers).json()
        assert result["outcome"] == "decline"
        assert result["human_review"] is True
        (court,) = [r for r in result["reasons"] if r["code"] == "COURT_DISHONEST"]
        assert court["message_zh"]
        assert court["action_zh"]

    def test_without_personal_information_consent_nothing_is_stored(
        self, client: TestClient, runtime: Runtime, sp_page: SpPage
    ) -> None:
        body = submission()
        body["consent"]["personal_information"] = False
        headers = {**sp_page(), "Idempotency-Key": "h5-draft-0003"}
        response = client.post(self.URL, json=body, headers=headers)
        assert response.status_code == 422
        fields = {e["field"] for e in response.json()["errors"]}
        assert fields == {"consent.personal_information"}
        assert count(runtime, Application) == 0

    def test_biometric_samples_need_their_own_consent(
        self, client: TestClient, runtime: Runtime, sp_page: SpPage
    ) -> None:
        body = submission()
        body["application"]["biometrics"] = {"selfie": base64.b64encode(b"\xff\xd8jpeg").decode()}
        headers = {**sp_page(), "Idempotency-Key": "h5-draft-0004"}
        response = client.post(self.URL, json=body, headers=headers)
        assert response.status_code == 422
        assert {e["field"] for e in response.json()["errors"]} == {"biometrics"}
        assert count(runtime, Application) == 0

    def test_a_field_error_is_named_with_the_apis_rules(
        self, client: TestClient, runtime: Runtime, sp_page: SpPage
    ) -> None:
        body = submission()
        body["application"]["financing"]["down_payment"] = "99400.00"
        headers = {**sp_page(), "Idempotency-Key": "h5-draft-0005"}
        response = client.post(self.URL, json=body, headers=headers)
        assert response.status_code == 422
        (error,) = response.json()["errors"]
        assert error["field"] == "application.financing.down_payment"
        assert error["message_zh"] == "首付款必须低于车辆报价"
        assert count(runtime, Application) == 0

    def test_an_idempotency_key_is_required(self, client: TestClient, sp_page: SpPage) -> None:
        response = client.post(self.URL, json=submission(), headers=sp_page())
        assert response.status_code == 422

    def test_staff_and_strangers_cannot_submit(
        self, client: TestClient, runtime: Runtime, tenants: tuple[Tenant, Tenant]
    ) -> None:
        headers = {"Accept": "application/json", "Idempotency-Key": "h5-draft-0006"}
        assert client.post(self.URL, json=submission(), headers=headers).status_code == 401
        a, _ = tenants
        with_key = client.post(self.URL, json=submission(), headers={**headers, **a.headers})
        assert with_key.status_code == 401  # an API key opens no page call
        assert h5_login(client, "admin").status_code == 403
        assert count(runtime, Application) == 0
