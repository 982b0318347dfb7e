"""The vehicle stage with a guarded history provider that fails: a specific refer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from autolease.kit.clock import FixedClock
from autolease.kit.guard import ProviderCallSettings
from autolease.origination.pipeline import Severity
from autolease.vehicle.history import StaticHistoryProvider, VehicleHistory, assess_history
from autolease.vehicle.service import guarded_history
from autolease.vehicle.stage import VehicleStage
from tests.vehicle.test_stage import codes, run_stage, severity_of, vehicle_body

LIMITS = ProviderCallSettings(failure_threshold=2, cooldown_seconds=60)


@dataclass
class BrokenHistory:
    name: str = "broken"
    calls: int = 0

    def lookup(self, vin: str, *, as_of: date) -> VehicleHistory | None:
        self.calls += 1
        raise OSError("connection reset")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 29, tzinfo=UTC))


class TestFailedHistory:
    def test_a_failing_provider_refers_with_history_check_unavailable(
        self, clock: FixedClock
    ) -> None:
        stage = VehicleStage(history=guarded_history(BrokenHistory(), LIMITS, clock))
        ctx = run_stage(vehicle_body(), stage=stage)
        assert "HISTORY_UNAVAILABLE" not in codes(ctx)
        assert severity_of(ctx, "HISTORY_CHECK_UNAVAILABLE") is Severity.REFER
        assert ctx.features["history_status"] == "unavailable"
        assert ctx.features["history_score"] is None

    def test_the_open_breaker_stops_calling_and_still_refers(self, clock: FixedClock) -> None:
        broken = BrokenHistory()
        stage = VehicleStage(history=guarded_history(broken, LIMITS, clock))
        statuses = [
            run_stage(vehicle_body(), stage=stage).features["history_status"] for _ in range(3)
        ]
        assert statuses == ["unavailable", "unavailable", "circuit_open"]
        assert broken.calls == 2

    def test_a_healthy_guarded_provider_changes_nothing(self, clock: FixedClock) -> None:
        plain = VehicleStage(history=StaticHistoryProvider())
        guarded = VehicleStage(history=guarded_history(StaticHistoryProvider(), LIMITS, clock))
        before, after = (
            run_stage(vehicle_body(), stage=plain),
            run_stage(vehicle_body(), stage=guarded),
        )
        assert codes(after) == codes(before)
        assert after.features == before.features
        assert "history_status" not in after.features

    def test_a_timeout_is_its_own_finding(self) -> None:
        found = assess_history(None, declared_km=50_000, age_years=3, as_of=date(2026, 11, 29),
                               failure="timeout")  # fmt: skip
        assert [(f.code, f.severity) for f in found.findings] == [
            ("HISTORY_CHECK_TIMEOUT", Severity.REFER)
        ]
        assert found.findings[0].message_zh == "车辆历史记录查询超时"
