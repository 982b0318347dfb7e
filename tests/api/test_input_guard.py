"""The request guard and the input policy over HTTP: limits, auth before body, one policy for
both stores (these tests run on SQLite and on PostgreSQL)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import MutableMapping
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolease.app import create_app
from autolease.runtime import Runtime
from tests.factories import PASSWORD, Tenant, login, make_body, setup_tenants, submit

JSON = {"Content-Type": "application/json"}
CHUNK = b"a" * 65536


def the_error(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert len(errors) == 1, errors
    return dict(errors[0])


def nothing_stored(client: TestClient) -> bool:
    listing = client.get("/v1/applications", headers=login(client, "admin"))
    return bool(listing.json()["items"] == [])


def post_raw(client: TestClient, tenant: Tenant, text: str) -> Any:
    headers = {**tenant.headers, **JSON}
    return client.post("/v1/applications", content=text.encode(), headers=headers)


class Streamed:
    """Call the app as a server would, handing the body over in chunks, and count them."""

    def __init__(self, chunks: int, headers: dict[str, str]) -> None:
        self.chunks = chunks
        self.headers = headers
        self.read = 0
        self.messages: list[dict[str, Any]] = []

    async def receive(self) -> dict[str, Any]:
        if self.read == self.chunks:
            return {"type": "http.disconnect"}
        self.read += 1
        return {"type": "http.request", "body": CHUNK, "more_body": self.read < self.chunks}

    async def send(self, message: MutableMapping[str, Any]) -> None:
        self.messages.append(dict(message))

    def post(self, runtime: Runtime, path: str) -> int:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": b"",
            "headers": [(k.lower().encode(), v.encode()) for k, v in self.headers.items()],
            "client": ("127.0.0.1", 5000),
            "server": ("testserver", 80),
        }
        asyncio.run(create_app(runtime=runtime)(scope, self.receive, self.send))
        return int(self.messages[0]["status"])


class TestBodyLimits:
    def test_a_declared_length_over_the_limit_is_413_before_reading(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        setup_tenants(runtime)
        limit = runtime.settings.api.max_body_bytes
        body = b'{"name": "' + b"a" * limit + b'"}'
        response = client.post("/v1/sps", content=body, headers={**login(client, "admin"), **JSON})
        assert response.status_code == 413
        assert response.json()["code"] == "content_too_large"
        assert set(response.json()) == {"error", "code", "detail"}

    def test_a_streamed_body_is_cut_off_at_the_limit(self, runtime: Runtime) -> None:
        sp_a, _ = setup_tenants(runtime)
        limit = runtime.settings.api.max_sample_body_bytes
        stream = Streamed(chunks=8000, headers={**sp_a.headers, **JSON})  # 500 MiB, no length
        assert stream.post(runtime, "/v1/applications") == 413
        assert stream.read == limit // len(CHUNK) + 1

    def test_json_routes_take_a_small_body_and_sample_routes_a_larger_one(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        sp_a, _ = setup_tenants(runtime)
        body = make_body(1)
        body["biometrics"] = {"selfie": "%" * 200_000}
        response = submit(client, sp_a, body)  # admitted: the samples are what is wrong
        assert the_error(response)["field"] == "biometrics.selfie"
        body = {"note": "a" * 200_000}
        response = client.post("/v1/applications/app_x/withdraw", json=body, headers=sp_a.headers)
        assert response.status_code == 413


class TestAuthenticationBeforeBody:
    def test_no_credential_is_401_whatever_the_body(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        for body in (b"{not json", b'{"applicant": 1}', b'{"zz": "\\u0000"}'):
            response = client.post("/v1/applications", content=body, headers=JSON)
            assert response.status_code == 401
            assert response.json()["code"] == "unauthenticated"
            assert "errors" not in response.json()

    def test_a_made_up_key_gets_401_not_the_fields(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        setup_tenants(runtime)
        fake = {"Authorization": "Bearer ak_deadbeef_" + "0" * 40, **JSON}
        response = client.post("/v1/applications", content=b'{"applicant": 1}', headers=fake)
        assert response.status_code == 401
        assert "errors" not in response.json()

    def test_the_body_of_a_stranger_is_never_read(self, runtime: Runtime) -> None:
        for headers in ({}, {"Authorization": "Bearer not-a-credential"}):
            stream = Streamed(chunks=8000, headers={**headers, **JSON})
            assert stream.post(runtime, "/v1/applications") == 401
            assert stream.read == 0

    def test_public_routes_stay_public(self, client: TestClient, runtime: Runtime) -> None:
        setup_tenants(runtime)
        token = client.post("/v1/auth/token", json={"username": "admin", "password": PASSWORD})
        assert token.status_code == 200
        assert client.get("/health").status_code == 200
        assert client.get("/openapi.json").status_code == 200
        assert client.get("/v1/device/collector.js").status_code == 200
        fingerprint = client.post("/v1/device/fingerprints", json={"signals": {"cpu": 8}})
        assert fingerprint.status_code == 201


class TestControlCharacters:
    def test_login_with_nul_is_422_naming_the_field(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        response = client.post(
            "/v1/auth/token", json={"username": "a\x00b", "password": "x"}, headers=JSON
        )
        error = the_error(response)
        assert (error["field"], error["rule"]) == ("username", "control_character")
        assert error["message_zh"]

    @pytest.mark.parametrize(
        ("path", "field"),
        [
            ("/v1/sps/A%00B", "code"),
            ("/v1/applications/app_%00", "application_id"),
            ("/v1/decisions/dec_%00/replay", "decision_id"),
            ("/v1/applications?cursor=%00", "cursor"),
            ("/v1/applications?status=approved&cursor=a%0Ab", "cursor"),
            ("/v1/sps/A%C2%85B", "code"),
        ],
    )
    def test_paths_and_queries_with_control_characters_are_422(
        self, client: TestClient, runtime: Runtime, path: str, field: str
    ) -> None:
        setup_tenants(runtime)
        error = the_error(client.get(path, headers=login(client, "admin")))
        assert (error["field"], error["rule"]) == (field, "control_character")

    @pytest.mark.parametrize(
        ("section", "name", "field"),
        [
            ("vehicle", "brand", "vehicle.brand"),
            ("seller", "name", "vehicle.seller.name"),
            ("lead_source", "partner_name", "lead_source.partner_name"),
            ("applicant", "employer", "applicant.employer"),
        ],
    )
    def test_nul_in_an_application_is_422_and_stores_nothing(
        self, client: TestClient, runtime: Runtime, section: str, name: str, field: str
    ) -> None:
        sp_a, _ = setup_tenants(runtime)
        body = make_body(1)
        part = body["vehicle"]["seller"] if section == "seller" else body.setdefault(section, {})
        part[name] = "名\x00字"
        error = the_error(submit(client, sp_a, body))
        assert (error["field"], error["rule"]) == (field, "control_character")
        assert nothing_stored(client)

    @pytest.mark.parametrize(
        ("path", "body", "field"),
        [
            ("/v1/sps", {"code": "SP-N", "name": "a\x00", "region": "北京"}, "name"),
            (
                "/v1/users",
                {"username": "u_n", "display_name": "\x00", "role": "admin", "password": "x" * 12},
                "display_name",
            ),
            ("/v1/sps/SP-A/api-keys", {"label": "k\x00"}, "label"),
        ],
    )
    def test_nul_in_staff_bodies_is_422(
        self, client: TestClient, runtime: Runtime, path: str, body: dict[str, str], field: str
    ) -> None:
        setup_tenants(runtime)
        response = client.post(path, json=body, headers=login(client, "admin"))
        assert the_error(response)["field"] == field

    def test_free_text_keeps_tabs_and_line_breaks(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        sp_a, _ = setup_tenants(runtime)
        app_id = submit(client, sp_a, make_body(2)).json()["id"]
        note = "客户来电\n取消申请\t(电话)\r\n"
        response = client.post(
            f"/v1/applications/{app_id}/withdraw", json={"note": note}, headers=sp_a.headers
        )
        assert response.status_code == 200, response.text


class TestStrictJson:
    @pytest.mark.parametrize(
        ("value", "rule"),
        [("NaN", "json_constant"), ("Infinity", "json_constant"), ("1e400", "number_too_large")],
    )
    def test_non_json_numbers_in_device_signals_are_422(
        self, client: TestClient, runtime: Runtime, value: str, rule: str
    ) -> None:
        sp_a, _ = setup_tenants(runtime)
        body = make_body(3)
        body["device"] = {"signals": {"cpu": "__X__"}}
        response = post_raw(client, sp_a, _json(body).replace('"__X__"', value))
        error = the_error(response)
        assert (error["field"], error["rule"]) == ("device.signals.cpu", rule)
        assert nothing_stored(client)

    def test_duplicate_keys_are_422(self, client: TestClient, runtime: Runtime) -> None:
        sp_a, _ = setup_tenants(runtime)
        text = _json(make_body(4)).replace('"term_months": ', '"term_months": 12, "term_months": ')
        error = the_error(post_raw(client, sp_a, text))
        assert (error["field"], error["rule"]) == ("financing.term_months", "duplicate_key")

    def test_a_utf16_body_is_422(self, client: TestClient, runtime: Runtime) -> None:
        sp_a, _ = setup_tenants(runtime)
        headers = {**sp_a.headers, **JSON}
        body = _json(make_body(5)).encode("utf-16")
        error = the_error(client.post("/v1/applications", content=body, headers=headers))
        assert (error["field"], error["rule"]) == ("body", "json_encoding")

    def test_malformed_json_names_body_and_position(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        sp_a, _ = setup_tenants(runtime)
        error = the_error(post_raw(client, sp_a, '{"applicant": {,}}'))
        assert (error["field"], error["rule"]) == ("body", "json_invalid")
        assert "line 1 column 16 (char 15)" in error["message_en"]
        assert "第1行第16列" in error["message_zh"]


class TestDeviceSignalCaps:
    @pytest.mark.parametrize(
        ("signals", "field", "rule"),
        [
            ({"canvas": "x" * 257}, "device.signals.canvas", "too_long"),
            ({"extra": "x" * 1_048_576}, "device.signals.extra", "too_long"),
            ({"cpu": 10**7}, "device.signals.cpu", "out_of_range"),
            ({"k" * 65: 1}, "device.signals", "signal_name"),
        ],
    )
    def test_signals_keep_the_collector_bounds(
        self,
        client: TestClient,
        runtime: Runtime,
        signals: dict[str, object],
        field: str,
        rule: str,
    ) -> None:
        sp_a, _ = setup_tenants(runtime)
        body = make_body(6)
        body["device"] = {"signals": signals}
        error = the_error(submit(client, sp_a, body))
        assert (error["field"], error["rule"]) == (field, rule)


class TestStrictTypes:
    @pytest.mark.parametrize(
        ("name", "value", "rule"),
        [
            ("term_months", "12", "int_type"),
            ("amount", "１２３", "decimal_parsing"),
            ("down_payment", "1e3", "decimal_parsing"),
            ("balloon_wanted", "yes", "bool_type"),
        ],
    )
    def test_lax_values_are_422(
        self, client: TestClient, runtime: Runtime, name: str, value: str, rule: str
    ) -> None:
        sp_a, _ = setup_tenants(runtime)
        body = make_body(7)
        body["financing"][name] = value
        error = the_error(submit(client, sp_a, body))
        assert (error["field"], error["rule"]) == (f"financing.{name}", rule)

    def test_money_as_an_ascii_string_or_a_number_is_accepted(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        sp_a, _ = setup_tenants(runtime)
        body = make_body(8)
        assert isinstance(body["financing"]["amount"], str)
        assert submit(client, sp_a, body).status_code == 201
        body = make_body(9)
        body["financing"]["down_payment"] = float(body["financing"]["down_payment"])
        assert submit(client, sp_a, body).status_code == 201

    def test_quotes_take_integers_only_as_integers(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        sp_a, _ = setup_tenants(runtime)
        body = {
            "vehicle_price": "100000.00",
            "first_registration_date": "2023-01-01",
            "mileage_km": "３０000",
        }
        error = the_error(client.post("/v1/quotes", json=body, headers=sp_a.headers))
        assert (error["field"], error["rule"]) == ("mileage_km", "int_type")


def _json(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False)
