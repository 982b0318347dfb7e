"""The documented sandbox applications reach their documented outcomes through the API.

As a new user would: the bodies are the files under ``docs/examples/``, the providers are
the local ones with ``identity_providers.sandbox`` on (as `autolease demo` runs them), and
no model is trained, so the clean identity is referred for the missing scores only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolease.app import create_app
from autolease.identity.providers.sandbox import SANDBOX_IDENTITIES
from autolease.identity.providers.service import build_checks_stage, build_identity_prefetcher
from autolease.identity.providers.settings import IdentityProviderSettings
from autolease.origination.pipeline import Stage
from autolease.origination.schemas import ApplicationCreate, IndividualApplicant
from autolease.runtime import Runtime
from tests.factories import setup_tenants, submit

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples"
FILES = (
    "application.json",
    "sandbox/refer-multi-lending.json",
    "sandbox/decline-court-list.json",
)
SANDBOX = IdentityProviderSettings(sandbox=True)


def example(name: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return body


def with_checks(stages: tuple[Stage, ...]) -> tuple[Stage, ...]:
    out: list[Stage] = []
    for stage in stages:
        out.append(stage)
        if stage.name == "identity":
            out.append(build_checks_stage(SANDBOX))
    return tuple(out)


@pytest.fixture
def client(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    checks = build_identity_prefetcher(SANDBOX, runtime.clock)
    assert checks is not None
    monkeypatch.setattr(runtime, "prefetchers", (*runtime.prefetchers, checks))
    monkeypatch.setattr(runtime, "stages", with_checks(runtime.stages))
    with TestClient(create_app(runtime=runtime)) as c:
        yield c


def decide(client: TestClient, runtime: Runtime, name: str) -> dict[str, Any]:
    sp, _ = setup_tenants(runtime)
    created = submit(client, sp, example(name))
    assert created.status_code == 201, created.text
    decision: dict[str, Any] = created.json()["decision"]
    return decision


def codes(decision: dict[str, Any], stage: str | None = None) -> set[str]:
    return {r["code"] for r in decision["reasons"] if stage is None or r["stage"] == stage}


class TestExampleFiles:
    @pytest.mark.parametrize("name", FILES)
    def test_each_validates_against_the_request_model(self, name: str) -> None:
        parsed = ApplicationCreate.model_validate(example(name))
        assert isinstance(parsed.applicant, IndividualApplicant)
        assert parsed.applicant.id_number == example(name)["applicant"]["id_number"]

    def test_the_readme_submits_the_example(self) -> None:
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        assert "-d @docs/examples/application.json" in readme

    def test_the_example_files_use_the_sandbox_identities(self) -> None:
        bodies = [example(name) for name in FILES]
        known = [(i.name, i.id_number, i.phone, i.bank_card) for i in SANDBOX_IDENTITIES]
        given = [
            tuple(b["applicant"][k] for k in ("name", "id_number", "phone", "bank_card"))
            for b in bodies
        ]
        assert given == known


class TestSandboxIdentities:
    def test_the_clean_identity_passes_every_identity_check(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        decision = decide(client, runtime, "application.json")
        assert codes(decision, "identity_checks") == set()
        assert decision["outcome"] == "refer"  # no model scores it without `autolease demo`
        refers = {r["code"] for r in decision["reasons"] if r["severity"] != "info"}
        missing = {c for c in refers if c.startswith("DATA_MISSING_") or c.endswith("_UNAVAILABLE")}
        assert refers
        assert refers == missing, refers - missing
        assert "DATA_MISSING_HARD_QUERIES_90D" not in refers  # the bureau answered

    def test_the_multi_lending_identity_is_referred(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        decision = decide(client, runtime, "sandbox/refer-multi-lending.json")
        assert decision["outcome"] == "refer"
        assert codes(decision, "identity_checks") == {"BUREAU_MULTI_LENDING"}

    def test_the_court_list_identity_is_declined(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        decision = decide(client, runtime, "sandbox/decline-court-list.json")
        assert decision["outcome"] == "decline"
        assert codes(decision, "identity_checks") == {"COURT_DISHONEST"}


class TestOnTopOfABook:
    def test_the_demo_book_keeps_its_people_and_gains_the_sandbox(self, tmp_path: Path) -> None:
        from datetime import UTC, date, datetime

        from autolease.identity.providers.repository import read_book_registry
        from autolease.synth.config import SynthConfig
        from autolease.synth.writer import write_book

        write_book(SynthConfig(n_applications=300, seed=3, start=date(2025, 12, 1)), tmp_path)
        book = read_book_registry(tmp_path)
        both = read_book_registry(tmp_path, sandbox=True)
        assert set(book.phones) < set(both.phones)
        assert len(both.phones) == len(book.phones) + len(SANDBOX_IDENTITIES)
        now = datetime(2026, 12, 7, tzinfo=UTC)
        court_list = SANDBOX_IDENTITIES[2]
        record = both.court_record(name=court_list.name, id_number=court_list.id_number, as_of=now)
        assert record.dishonest
        assert not book.court_record(
            name=court_list.name, id_number=court_list.id_number, as_of=now
        ).dishonest
