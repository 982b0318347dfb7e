"""schemathesis against the ASGI app, in-process, with every check: the service answers as its
OpenAPI document says. A bounded number of cases per operation keeps it within a CI run.

The engine (what `schemathesis run` drives) is used rather than its pytest plugin: it runs
the same phases as the command line (examples, coverage, fuzzing) and counts cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events

from autolease.app import create_app
from autolease.identity.biometrics import extra
from autolease.runtime import Runtime
from tests.factories import login, setup_tenants

pytestmark = pytest.mark.schemathesis

MAX_EXAMPLES = 10
SP_FACING = r"^/v1/applications(/\{application_id\}(/decision|/withdraw)?)?$"
BIOMETRICS = r"^/v1/biometrics/"
# A schema cannot say that an ID's check character, a VIN's check digit or a card's Luhn
# digit is right, nor rules across fields (minimum below maximum, a known SP): such
# schema-valid bodies get the documented 422, which is the service's answer, not a fault.
POSITIVE_ANSWERS = ["2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx"]


@dataclass
class Tally:
    operations: set[str] = field(default_factory=set)
    cases: int = 0
    failures: list[str] = field(default_factory=list)


def config_for(sp: dict[str, str], staff: dict[str, str]) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict({
        "seed": 20261129,
        "generation": {"max-examples": MAX_EXAMPLES, "database": "none"},
        "phases": {"stateful": {"enabled": False}},
        "auth": {"auto-signup": False},
        "checks": {"positive_data_acceptance": {"expected-statuses": POSITIVE_ANSWERS}},
        "operations": [
            {"include-path-regex": SP_FACING, "headers": sp},
            {"include-path-regex": BIOMETRICS, "headers": staff, "checks": biometrics_checks()},
            {"exclude-path-regex": f"{SP_FACING}|{BIOMETRICS}", "headers": staff},
        ],
    })  # fmt: skip


def biometrics_checks() -> dict[str, Any]:
    """Without the optional extra, a sample that passes validation gets the documented 503."""
    if extra.face_available() and extra.voice_available():
        return {}
    return {"not_a_server_error": {"expected-statuses": ["2xx", "3xx", "4xx", "503"]}}


def run(config: SchemathesisConfig, runtime: Runtime) -> Tally:
    schema = schemathesis.openapi.from_asgi(
        "/openapi.json", create_app(runtime=runtime), config=config
    )
    tally = Tally()
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            tally.operations.add(event.recorder.label)
            tally.cases += len(event.recorder.cases)
            tally.failures += [
                f"{event.recorder.label}: {check.name} {check.failure_info.failure.title}"
                for checks in event.recorder.checks.values()
                for check in checks
                if check.failure_info is not None
            ]
        elif isinstance(event, events.NonFatalError | events.FatalError):
            tally.failures.append(f"error: {event!r}")
    return tally


def test_the_service_answers_as_its_openapi_document_says(runtime: Runtime) -> None:
    sp, _ = setup_tenants(runtime)
    with TestClient(create_app(runtime=runtime)) as client:
        staff = login(client, "admin")
    tally = run(config_for(sp.headers, staff), runtime)
    print(f"schemathesis: {len(tally.operations)} operations, {tally.cases} cases")  # noqa: T201
    assert len(tally.operations) >= 40
    assert not tally.failures, "\n".join(sorted(set(tally.failures)))
