"""A slow or failing provider inside the real intake (`POST /v1/applications`): the
application is stored and referred with a specific reason, never a 5xx or a hung request."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolease.app import create_app
from autolease.identity.providers.service import IdentityChecksPrefetcher
from autolease.identity.providers.stage import ExternalChecksStage
from autolease.kit.clock import FixedClock
from autolease.origination.pipeline import Stage
from autolease.runtime import Runtime
from autolease.vehicle.history import VehicleHistory
from autolease.vehicle.service import guarded_history
from autolease.vehicle.stage import VehicleStage
from tests.factories import make_body, setup_tenants, submit
from tests.identity.test_provider_failures import LIMITS, FlakyCourt, SlowBureau


@dataclass
class SlowHistory:
    """A remote vehicle-history provider that answers only when released."""

    name: str = "slow-history"
    remote: bool = True
    release: threading.Event = field(default_factory=threading.Event)

    def lookup(self, vin: str, *, as_of: date) -> VehicleHistory | None:
        self.release.wait(10)
        return None


@dataclass
class Slow:
    bureau: SlowBureau = field(default_factory=SlowBureau)
    court: FlakyCourt = field(default_factory=FlakyCourt)
    history: SlowHistory = field(default_factory=SlowHistory)

    def release(self) -> None:
        self.bureau.release.set()
        self.history.release.set()


def with_providers(stages: tuple[Stage, ...], slow: Slow, clock: FixedClock) -> tuple[Stage, ...]:
    out: list[Stage] = []
    for stage in stages:
        if isinstance(stage, VehicleStage):
            history = guarded_history(slow.history, LIMITS, clock)
            stage = dataclasses.replace(stage, history=history)
        out.append(stage)
        if stage.name == "identity":
            out.append(ExternalChecksStage())
    return tuple(out)


@pytest.fixture
def slow(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[Slow]:
    providers = Slow()
    clock = FixedClock(runtime.clock.now())
    checks = IdentityChecksPrefetcher(
        bureau=providers.bureau, court=providers.court, calls=LIMITS, clock=clock
    )
    monkeypatch.setattr(runtime, "prefetchers", (*runtime.prefetchers, checks))
    monkeypatch.setattr(runtime, "stages", with_providers(runtime.stages, providers, clock))
    try:
        yield providers
    finally:
        providers.release()


@pytest.fixture
def client(runtime: Runtime, slow: Slow) -> Iterator[TestClient]:
    with TestClient(create_app(runtime=runtime)) as c:
        yield c


def referable(seed: int) -> dict[str, Any]:
    """A body no rule declines (LTV on the asking price within the 70 % cap)."""
    body = make_body(seed)
    financing, price = body["financing"], Decimal(body["vehicle"]["asking_price"])
    financing["amount"] = str((price * Decimal("0.6")).quantize(Decimal("0.01")))
    financing["down_payment"] = str(price - Decimal(financing["amount"]))
    return body


def reasons(decision: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["code"]: r for r in decision["reasons"]}


class TestSlowAndFailingProviders:
    def test_the_application_is_referred_with_the_specific_reasons(
        self, client: TestClient, runtime: Runtime, slow: Slow
    ) -> None:
        sp, _ = setup_tenants(runtime)
        created = submit(client, sp, referable(1))
        assert created.status_code == 201, created.text
        assert not slow.bureau.release.is_set()  # answered while the providers still hang
        decision = created.json()["decision"]
        assert decision["outcome"] == "refer"
        found = reasons(decision)
        for code, stage in (
            ("BUREAU_TIMEOUT", "identity_checks"),
            ("COURT_CHECK_UNAVAILABLE", "identity_checks"),
            ("HISTORY_CHECK_TIMEOUT", "vehicle"),
        ):
            assert (found[code]["stage"], found[code]["severity"]) == (stage, "refer")
            assert found[code]["message_zh"]
        assert "征信" in found["BUREAU_TIMEOUT"]["message_zh"]
        assert "DATA_MISSING_HARD_QUERIES_90D" in found  # the policy's refer, explained above

    def test_an_open_breaker_still_gives_201_and_a_refer(
        self, client: TestClient, runtime: Runtime, slow: Slow
    ) -> None:
        sp, _ = setup_tenants(runtime)
        responses = [submit(client, sp, referable(seed)) for seed in range(1, 5)]
        assert [r.status_code for r in responses] == [201] * 4
        assert slow.court.calls == LIMITS.failure_threshold
        last = responses[-1].json()["decision"]
        assert last["outcome"] == "refer"
        assert {"BUREAU_UNAVAILABLE", "COURT_CHECK_UNAVAILABLE"} <= set(reasons(last))
