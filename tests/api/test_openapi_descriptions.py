"""Request bodies explain themselves: a description on every field and an example per body.

The walk covers every request body of the OpenAPI document; `NOT_YET_DESCRIBED` lists the
operations still without descriptions, and a test fails when one of them becomes described,
so the list only shrinks.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolease.app import create_app
from autolease.origination.example import sample_body
from autolease.origination.schemas import ApplicationCreate
from autolease.runtime import Runtime

ROOT = Path(__file__).resolve().parents[2]
NOT_YET_DESCRIBED = frozenset(
    {
        "POST /v1/auth/token",
        "POST /v1/users",
        "POST /v1/sps/{code}/api-keys",
        "POST /v1/sps",
        "PATCH /v1/sps/{code}",
        "PUT /v1/sps/{code}/due-diligence/{item}",
        "POST /v1/sps/{code}/status",
        "POST /v1/sps/{code}/deposit/entries",
        "PUT /v1/sps/{code}/limits",
        "POST /v1/sp-grades",
        "POST /v1/sp-grades/{proposal_id}/decision",
        "POST /v1/applications/{application_id}/withdraw",
        "POST /v1/policies/{key}/versions",
        "POST /v1/policies/{key}/versions/{version}/proposals",
        "POST /v1/applications/{application_id}/review",
        "POST /v1/device/fingerprints",
        "POST /v1/fraud/labels",
        "POST /v1/products",
        "PATCH /v1/products/{code}",
        "POST /v1/biometrics/face/verify",
        "POST /v1/biometrics/face/enrol",
        "POST /v1/biometrics/liveness",
        "POST /v1/biometrics/voice/enrol",
        "POST /v1/biometrics/voice/verify",
    }
)


@pytest.fixture(scope="module")
def document(_runtime: Runtime) -> dict[str, Any]:
    with TestClient(create_app(runtime=_runtime)) as client:
        response = client.get("/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


def request_bodies(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for media in operation.get("requestBody", {}).get("content", {}).values():
                yield f"{method.upper()} {path}", media


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    ref = schema.get("$ref", "")
    if not ref:
        return "", schema
    name = ref.rsplit("/", 1)[-1]
    return name, document["components"]["schemas"][name]


def nested(schema: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for key in ("anyOf", "oneOf", "allOf"):
        yield from schema.get(key, [])
    if isinstance(schema.get("items"), dict):
        yield schema["items"]
    if isinstance(schema.get("additionalProperties"), dict):
        yield schema["additionalProperties"]


def undescribed(document: dict[str, Any], schema: dict[str, Any], seen: set[str]) -> list[str]:
    """Dotted names of the fields under `schema` that have no description."""
    name, body = resolve(document, schema)
    if name in seen:
        return []
    seen.add(name)
    missing = []
    for field, prop in body.get("properties", {}).items():
        if "description" not in prop:
            missing.append(f"{name}.{field}")
        missing += undescribed(document, prop, seen)
    for inner in nested(body):
        missing += undescribed(document, inner, seen)
    return missing


def has_example(document: dict[str, Any], media: dict[str, Any]) -> bool:
    _, body = resolve(document, media.get("schema", {}))
    return any(key in holder for holder in (media, body) for key in ("example", "examples"))


def described(document: dict[str, Any], media: dict[str, Any]) -> bool:
    fields = undescribed(document, media.get("schema", {}), set())
    return not fields and has_example(document, media)


class TestRequestBodies:
    def test_every_described_body_has_descriptions_and_an_example(
        self, document: dict[str, Any]
    ) -> None:
        gaps = {
            label: undescribed(document, media.get("schema", {}), set())
            or ["(no example)"] * (not has_example(document, media))
            for label, media in request_bodies(document)
            if label not in NOT_YET_DESCRIBED
        }
        assert {label: fields for label, fields in gaps.items() if fields} == {}
        assert "POST /v1/applications" in gaps

    def test_the_not_yet_described_list_only_shrinks(self, document: dict[str, Any]) -> None:
        labels = {label for label, _ in request_bodies(document)}
        assert labels >= NOT_YET_DESCRIBED
        done = [
            label
            for label, media in request_bodies(document)
            if label in NOT_YET_DESCRIBED and described(document, media)
        ]
        assert done == []

    def test_units_are_named(self, document: dict[str, Any]) -> None:
        schemas = document["components"]["schemas"]
        assert "CNY" in schemas["FinancingRequest"]["properties"]["amount"]["description"]
        assert "months" in schemas["FinancingRequest"]["properties"]["term_months"]["description"]
        assert "km" in schemas["VehicleIn"]["properties"]["mileage_km"]["description"]


class TestTheExample:
    def test_it_validates_and_is_the_documented_file(self, document: dict[str, Any]) -> None:
        schema = document["components"]["schemas"]["ApplicationCreate"]
        (example,) = schema["examples"]
        ApplicationCreate.model_validate(example)
        on_disk = json.loads((ROOT / "docs/examples/application.json").read_text("utf-8"))
        assert example == on_disk == sample_body()


def test_the_appraisal_example_validates(document: dict[str, Any]) -> None:
    from autolease.vehicle.schemas import AppraisalIn

    (example,) = document["components"]["schemas"]["AppraisalIn"]["examples"]
    assert AppraisalIn.model_validate(example).mileage_km == example["mileage_km"]


def test_the_quote_example_validates(document: dict[str, Any]) -> None:
    from autolease.product.schemas import QuoteRequest

    (example,) = document["components"]["schemas"]["QuoteRequest"]["examples"]
    assert QuoteRequest.model_validate(example).term_months == example["term_months"]


def test_the_servicing_event_example_validates(document: dict[str, Any]) -> None:
    from autolease.contract.schemas import EventEnvelope

    (example,) = document["components"]["schemas"]["EventEnvelope"]["examples"]
    assert EventEnvelope.model_validate(example).event.kind == "repayment"
