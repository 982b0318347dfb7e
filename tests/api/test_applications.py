from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event

from autolease.runtime import Runtime
from tests.factories import login, make_body, setup_tenants, submit


class TestSubmit:
    def test_clean_application_is_approved_with_masked_personal_data(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        sp_a, _ = setup_tenants(runtime)
        body = make_body(1)
        response = submit(client, sp_a, body)
        assert response.status_code == 201, response.text
        data = response.json()
        status = {"approve": "approved", "refer": "referred", "decline": "declined"}
        assert data["status"] == status[data["decision"]["outcome"]]
        assert data["decision"]["policy"]["key"] == "origination/approve"
        rid = body["applicant"]["id_number"]
        assert data["applicant"]["id_number"] == rid[:3] + "*" * 11 + rid[-4:]
        assert data["applicant"]["phone"].count("*") == 4
        assert body["applicant"]["phone"] not in response.text
        assert [e["to_status"] for e in data["status_history"]] == ["submitted", data["status"]]

    def test_the_submit_response_equals_the_stored_application(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        sp_a, _ = setup_tenants(runtime)
        for i, kind in ((2, "clean"), (3, "corporate"), (4, "over_price")):
            created = submit(client, sp_a, make_body(i, kind))
            assert created.status_code == 201, created.text
            stored = client.get(f"/v1/applications/{created.json()['id']}", headers=sp_a.headers)
            assert stored.status_code == 200
            assert created.json() == stored.json()

    def test_the_application_row_is_written_once_with_its_final_status(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        sp_a, _ = setup_tenants(runtime)
        statements: list[str] = []

        def seen(_conn: object, _cursor: object, sql: str, *_: object) -> None:
            statements.append(" ".join(sql.split()[:3]).upper())

        event.listen(runtime.engine, "before_cursor_execute", seen)
        try:
            created = submit(client, sp_a, make_body(5))
        finally:
            event.remove(runtime.engine, "before_cursor_execute", seen)
        assert created.status_code == 201, created.text
        assert statements.count("INSERT INTO APPLICATION") == 1
        assert not [s for s in statements if s.startswith("UPDATE APPLICATION")]
        # the SP came with the API key; it is not read a second time
        assert not [s for s in statements if s.startswith("SELECT SERVICE_PROVIDER.ID,")]
        stored = client.get(f"/v1/applications/{created.json()['id']}", headers=sp_a.headers)
        history = [(e["from_status"], e["to_status"]) for e in stored.json()["status_history"]]
        assert history == [(None, "submitted"), ("submitted", created.json()["status"])]

    def test_finding_leads_to_refer_with_reason(self, client: TestClient, runtime: Runtime) -> None:
        sp_a, _ = setup_tenants(runtime)
        response = submit(client, sp_a, make_body(2, "over_price"))
        assert response.status_code == 201
        decision = response.json()["decision"]
        assert decision["outcome"] in ("refer", "decline")
        codes = {r["code"] for r in decision["reasons"]}
        assert "AMOUNT_ABOVE_PRICE" in codes
        reason = next(r for r in decision["reasons"] if r["code"] == "AMOUNT_ABOVE_PRICE")
        assert reason["message_zh"]
        assert reason["message_en"]
        assert reason["stage"] == "vehicle"

    def test_corporate_applicant(self, client: TestClient, runtime: Runtime) -> None:
        sp_a, _ = setup_tenants(runtime)
        response = submit(client, sp_a, make_body(3, "corporate"))
        assert response.status_code == 201, response.text
        assert response.json()["applicant"]["kind"] == "corporate"
        assert response.json()["applicant"]["uscc"].startswith("91")

    def test_decision_records_policy_and_trace_for_staff(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        sp_a, _ = setup_tenants(runtime)
        app_id = submit(client, sp_a, make_body(4)).json()["id"]
        staff = client.get(f"/v1/applications/{app_id}/decision", headers=login(client, "analyst"))
        assert staff.status_code == 200
        detail = staff.json()
        stages = [t["stage"] for t in detail["trace"]]
        assert stages == ["identity", "vehicle", "fraud", "credit", "channel", "policy", "offers"]
        assert len(detail["policy"]["content_hash"]) == 64
        assert "applicant_age" in detail["features"]
        sp_view = client.get(f"/v1/applications/{app_id}/decision", headers=sp_a.headers)
        assert sp_view.status_code == 200
        assert "trace" not in sp_view.json()
        assert "features" not in sp_view.json()


class TestValidation:
    def _errors(self, response: Any) -> dict[str, dict[str, str]]:
        assert response.status_code == 422, response.text
        body = response.json()
        assert body["error"] == "InputInvalid"
        assert body["code"] == "validation_error"
        return {e["field"]: e for e in body["errors"]}

    def test_bad_id_check_digit_names_field_and_rule_in_both_languages(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        sp_a, _ = setup_tenants(runtime)
        body = make_body(5)
        rid = body["applicant"]["id_number"]
        body["applicant"]["id_number"] = rid[:17] + ("0" if rid[17] != "0" else "1")
        errors = self._errors(submit(client, sp_a, body))
        err = errors["applicant.id_number"]
        assert err["rule"] == "checksum"
        assert err["message_en"]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in err["message_zh"])

    def test_error_never_echoes_the_submitted_value(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        sp_a, _ = setup_tenants(runtime)
        body = make_body(6)
        body["applicant"]["phone"] = "12345678901"
        body["applicant"]["bank_card"] = "6222021234567890129"
        response = submit(client, sp_a, body)
        errors = self._errors(response)
        assert set(errors) >= {"applicant.phone", "applicant.bank_card"}
        assert "12345678901" not in response.text
        assert "6222021234567890129" not in response.text

    def test_vin_and_down_payment_and_missing_fields(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        sp_a, _ = setup_tenants(runtime)
        body = make_body(7)
        body["vehicle"]["vin"] = "LSVAB1234IO567890"
        body["financing"]["down_payment"] = body["vehicle"]["asking_price"]
        del body["applicant"]["bank_card"]
        errors = self._errors(submit(client, sp_a, body))
        assert errors["vehicle.vin"]["rule"] == "charset"
        assert errors["applicant.bank_card"]["rule"] == "missing"
        assert errors["applicant.bank_card"]["message_zh"] == "缺少必填字段"

    def test_down_payment_at_price_is_rejected(self, client: TestClient, runtime: Runtime) -> None:
        sp_a, _ = setup_tenants(runtime)
        body = make_body(8)
        body["financing"]["down_payment"] = body["vehicle"]["asking_price"]
        errors = self._errors(submit(client, sp_a, body))
        assert errors["financing.down_payment"]["rule"] == "below_asking_price"

    def test_malformed_json_gets_the_same_error_shape(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        sp_a, _ = setup_tenants(runtime)
        response = client.post(
            "/v1/applications",
            content=b"{not json",
            headers={**sp_a.headers, "Content-Type": "application/json"},
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["rule"] == "json_invalid"

    def test_invalid_input_writes_nothing(self, client: TestClient, runtime: Runtime) -> None:
        sp_a, _ = setup_tenants(runtime)
        body = make_body(9)
        body["applicant"]["id_number"] = "123"
        assert submit(client, sp_a, body).status_code == 422
        listing = client.get("/v1/applications", headers=login(client, "admin"))
        assert listing.json()["items"] == []


class TestReadAndList:
    def test_get_list_and_cursor(self, client: TestClient, runtime: Runtime) -> None:
        sp_a, _ = setup_tenants(runtime)
        ids = []
        for seed in range(5):
            runtime.clock.advance(seconds=1)  # type: ignore[attr-defined]
            ids.append(submit(client, sp_a, make_body(100 + seed)).json()["id"])
        page1 = client.get("/v1/applications?limit=3", headers=sp_a.headers).json()
        assert [i["id"] for i in page1["items"]] == ids[::-1][:3]
        page2 = client.get(
            f"/v1/applications?limit=3&cursor={page1['next_cursor']}", headers=sp_a.headers
        ).json()
        assert [i["id"] for i in page2["items"]] == ids[::-1][3:]
        assert page2["next_cursor"] is None
        one = client.get(f"/v1/applications/{ids[0]}", headers=sp_a.headers)
        assert one.status_code == 200
        assert one.json()["id"] == ids[0]

    def test_unknown_application_is_404_in_error_shape(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        sp_a, _ = setup_tenants(runtime)
        response = client.get("/v1/applications/app_nope", headers=sp_a.headers)
        assert response.status_code == 404
        assert response.json()["error"] == "ApplicationNotFound"

    def test_unknown_route_is_404_in_error_shape(self, client: TestClient) -> None:
        response = client.get("/v1/nothing-here")
        assert response.status_code == 404
        assert set(response.json()) == {"error", "code", "detail"}


class TestWithdraw:
    def test_withdraw_then_cannot_withdraw_again(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        sp_a, _ = setup_tenants(runtime)
        app_id = submit(client, sp_a, make_body(11)).json()["id"]
        first = client.post(f"/v1/applications/{app_id}/withdraw", json={}, headers=sp_a.headers)
        assert first.status_code == 200
        assert first.json()["status"] == "withdrawn"
        again = client.post(f"/v1/applications/{app_id}/withdraw", json={}, headers=sp_a.headers)
        assert again.status_code == 409
        assert again.json()["code"] == "invalid_status_transition"
