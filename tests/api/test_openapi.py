"""The OpenAPI document is true to the service: one error model for every 4xx, every status
an operation can return, and the canonical forms of the identifiers."""

from __future__ import annotations

import json
import random
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from autolease.app import create_app
from autolease.demo.samples import sample_batch
from autolease.identity import formats
from autolease.identity import identifiers as ids
from autolease.kit.clock import FixedClock
from autolease.kit.ids import IdFactory, id_pattern
from autolease.origination.schemas import ApplicationCreate
from autolease.runtime import Runtime
from tests.conftest import START
from tests.factories import TODAY, Tenant, make_body, setup_tenants, submit

ERROR_REF = "#/components/schemas/Error"


@pytest.fixture(scope="module")
def document(_runtime: Runtime) -> dict[str, Any]:
    """Built once: the document needs the app, not the data."""
    with TestClient(create_app(runtime=_runtime)) as client:
        response = client.get("/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


def operations(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path}", operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


class TestErrorModel:
    def test_fastapis_validation_error_is_gone(self, document: dict[str, Any]) -> None:
        assert "HTTPValidationError" not in json.dumps(document)
        assert "ValidationError" not in document["components"]["schemas"]

    def test_the_error_model_is_the_services_shape(self, document: dict[str, Any]) -> None:
        schemas = document["components"]["schemas"]
        assert schemas["Error"]["required"] == ["error", "code", "detail"]
        assert set(schemas["Error"]["properties"]) == {"error", "code", "detail", "errors"}
        assert set(schemas["FieldError"]["required"]) == {
            "field",
            "rule",
            "message_en",
            "message_zh",
        }

    def test_every_documented_4xx_uses_the_error_model(self, document: dict[str, Any]) -> None:
        errors = [
            (label, status)
            for label, operation in operations(document)
            for status, response in operation["responses"].items()
            if status.startswith("4")
            and response.get("content", {}).get("application/json", {}).get("schema")
            != {"$ref": ERROR_REF}
        ]
        assert errors == []

    def test_statuses_follow_from_credentials_bodies_and_paths(
        self, document: dict[str, Any]
    ) -> None:
        for label, operation in operations(document):
            statuses = set(operation["responses"])
            if "security" in operation:
                assert {"401", "403"} <= statuses, label
            if "requestBody" in operation:
                assert {"400", "413", "422"} <= statuses, label
            if "{" in label:
                assert {"404", "422"} <= statuses, label

    def test_credentials_are_security_schemes_not_parameters(
        self, document: dict[str, Any]
    ) -> None:
        me = dict(operations(document))["GET /v1/auth/me"]
        assert me["security"] == [{"bearer": []}, {"apiKey": []}]
        assert "parameters" not in me
        assert set(document["components"]["securitySchemes"]) == {"bearer", "apiKey"}

    @pytest.mark.parametrize(
        ("operation", "status"),
        [
            ("POST /v1/auth/token", "401"),
            ("POST /v1/auth/token", "429"),
            ("POST /v1/users", "409"),
            ("POST /v1/sps", "409"),
            ("POST /v1/fraud/labels", "404"),
            ("POST /v1/applications", "409"),
        ],
    )
    def test_statuses_a_route_declares(
        self, document: dict[str, Any], operation: str, status: str
    ) -> None:
        assert status in dict(operations(document))[operation]["responses"]


class TestIdentifierFormats:
    @pytest.mark.parametrize(
        ("schema", "field", "pattern"),
        [
            ("IndividualApplicant", "id_number", formats.RESIDENT_ID),
            ("IndividualApplicant", "phone", formats.MOBILE),
            ("IndividualApplicant", "bank_card", formats.BANK_CARD),
            ("CorporateApplicant", "uscc", formats.USCC),
            ("VehicleIn", "vin", formats.VIN),
            ("AppraisalIn", "vin", formats.VIN),
            ("LabelIn", "application_id", id_pattern("app")),
            ("ApplicationRead", "id", id_pattern("app")),
            ("DecisionRead", "id", id_pattern("dec")),
        ],
    )
    def test_identifier_fields_carry_their_pattern(
        self, document: dict[str, Any], schema: str, field: str, pattern: str
    ) -> None:
        prop = document["components"]["schemas"][schema]["properties"][field]
        assert prop["pattern"] == pattern

    def test_plate_pattern_sits_on_the_string_branch(self, document: dict[str, Any]) -> None:
        plate = document["components"]["schemas"]["VehicleIn"]["properties"]["plate"]
        assert {"type": "string", "pattern": formats.PLATE}.items() <= plate["anyOf"][0].items()

    def test_path_ids_carry_their_pattern(self, document: dict[str, Any]) -> None:
        params = {
            (label, p["name"]): p["schema"].get("pattern")
            for label, op in operations(document)
            for p in op.get("parameters", [])
            if p["in"] == "path"
        }
        assert params[("GET /v1/applications/{application_id}", "application_id")] == (
            id_pattern("app")
        )
        assert params[("GET /v1/decisions/{decision_id}/replay", "decision_id")] == (
            id_pattern("dec")
        )
        assert params[("GET /v1/vehicles/{vin}/decode", "vin")] == formats.VIN

    def test_valid_identifiers_in_their_normal_form_match_the_patterns(self) -> None:
        pairs = []
        for _, body in sample_batch(7, 200, TODAY):
            if not valid(body):
                continue
            applicant, vehicle = body["applicant"], body["vehicle"]
            pairs += [(formats.MOBILE, ids.validate_mobile(applicant["phone"]))]
            pairs += [(formats.BANK_CARD, ids.validate_bank_card(applicant["bank_card"]))]
            if applicant["type"] == "individual":
                number = ids.validate_resident_id(applicant["id_number"]).number
                pairs += [(formats.RESIDENT_ID, number)]
            else:
                pairs += [(formats.USCC, ids.validate_uscc(applicant["uscc"]).code)]
            pairs += [(formats.VIN, "".join(vehicle["vin"].split()).upper())]
            if vehicle.get("plate"):
                pairs += [(formats.PLATE, ids.validate_plate(vehicle["plate"]).plate)]
        assert len(pairs) > 700
        assert [value for pattern, value in pairs if not re.fullmatch(pattern, value)] == []

    def test_made_ids_match_their_pattern(self) -> None:
        factory = IdFactory(FixedClock(START), random.Random(1))
        for prefix in ("app", "dec"):
            assert re.fullmatch(id_pattern(prefix), factory.new(prefix))


def valid(body: dict[str, Any]) -> bool:
    try:
        ApplicationCreate.model_validate(body)
    except ValidationError:
        return False
    return True


class TestDocumentedOnly:
    """A documented pattern does not replace the validator's field-and-rule error."""

    def test_a_bad_check_character_is_still_the_validators_rule(
        self, client: TestClient, tenants: tuple[Tenant, Tenant]
    ) -> None:
        body = make_body(3)
        number = body["applicant"]["id_number"]
        body["applicant"]["id_number"] = number[:-1] + ("0" if number[-1] != "0" else "1")
        response = submit(client, tenants[0], body)
        assert response.status_code == 422
        [error] = response.json()["errors"]
        assert (error["field"], error["rule"]) == ("applicant.id_number", "checksum")

    def test_an_id_of_another_shape_is_not_found(
        self, client: TestClient, tenants: tuple[Tenant, Tenant]
    ) -> None:
        response = client.get("/v1/applications/not-an-id", headers=tenants[0].headers)
        assert response.status_code == 404
        assert response.json()["code"] == "application_not_found"


@pytest.fixture
def tenants(runtime: Runtime) -> tuple[Tenant, Tenant]:
    return setup_tenants(runtime)


def test_405_allows_every_method_of_the_path(client: TestClient) -> None:
    response = client.request("PUT", "/v1/applications")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert response.json()["code"] == "methodnotallowed"
