"""History scoring: damage, accidents, odometer rollback, implausible mileage, transfers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from autolease.origination.pipeline import Severity
from autolease.vehicle.history import (
    Claim,
    EmptyHistoryProvider,
    MaintenanceRecord,
    OdometerReading,
    StaticHistoryProvider,
    VehicleHistory,
    assess_history,
    find_rollback,
    mileage_plausibility,
)

AS_OF = date(2026, 11, 29)
VIN = "LSVAU218XN2183294"


def readings(*km: int) -> tuple[OdometerReading, ...]:
    return tuple(OdometerReading(date(2020 + i, 6, 1), k) for i, k in enumerate(km))


def assess(
    history: VehicleHistory | None,
    *,
    km: int = 60_000,
    age: float = 5.0,
    value: float | None = 100_000,
):
    return assess_history(history, declared_km=km, age_years=age, as_of=AS_OF, value_hint=value)


class TestProviders:
    def test_empty_provider_knows_nothing(self) -> None:
        assert EmptyHistoryProvider().lookup(VIN, as_of=AS_OF) is None

    def test_static_provider_finds_by_vin(self) -> None:
        record = VehicleHistory(VIN)
        provider = StaticHistoryProvider((record,))
        assert provider.lookup(VIN, as_of=AS_OF) is record
        assert provider.lookup("LFV" + VIN[3:], as_of=AS_OF) is None


class TestScore:
    def test_clean_record_scores_100_with_no_findings(self) -> None:
        a = assess(VehicleHistory(VIN, odometer=readings(10_000, 30_000, 50_000)))
        assert (a.available, a.score, a.codes, a.rollback) == (True, 100, (), False)
        assert a.last_odometer_km == 50_000

    def test_unavailable_history_is_an_info_reason_and_no_score(self) -> None:
        a = assess(None)
        assert (a.available, a.score, a.codes) == (False, None, ("HISTORY_UNAVAILABLE",))
        assert a.findings[0].severity == Severity.INFO

    @pytest.mark.parametrize(
        ("kind", "code", "grade"),
        [("flood", "FLOOD_DAMAGE", 2), ("fire", "FIRE_DAMAGE", 3), ("total_loss", "TOTAL_LOSS", 1)],
    )
    def test_damage_claims_decline(self, kind: str, code: str, grade: int) -> None:
        a = assess(VehicleHistory(VIN, claims=(Claim(date(2023, 7, 1), kind),)))  # type: ignore[arg-type]
        assert a.codes == (code,)
        assert a.findings[0].severity == Severity.DECLINE
        assert a.accident_grade == grade
        assert a.score is not None
        assert a.score <= 40

    def test_total_loss_scores_zero(self) -> None:
        a = assess(VehicleHistory(VIN, claims=(Claim(date(2023, 7, 1), "total_loss"),)))
        assert a.score == 0

    @pytest.mark.parametrize(
        ("amount", "value", "code"),
        [
            ("20000", 100_000, "ACCIDENT_SEVERE"),  # 20 % of value
            ("8000", 100_000, "ACCIDENT_MODERATE"),  # 8 %
            ("3000", 100_000, None),  # minor
            ("35000", None, "ACCIDENT_SEVERE"),  # no value: by amount
            ("12000", None, "ACCIDENT_MODERATE"),
        ],
    )
    def test_accident_severity_from_the_claim_amount(
        self, amount: str, value: float | None, code: str | None
    ) -> None:
        claim = Claim(date(2023, 7, 1), "accident", Decimal(amount))
        a = assess(VehicleHistory(VIN, claims=(claim,)), value=value)
        assert a.codes == ((code,) if code else ())
        assert a.severe_accident == (code == "ACCIDENT_SEVERE")

    def test_minor_claims_cost_points_but_add_no_reason(self) -> None:
        claims = tuple(Claim(date(2021, m, 1), "accident", Decimal("2000")) for m in (1, 2, 3))
        a = assess(VehicleHistory(VIN, claims=claims))
        assert (a.codes, a.score, a.claims) == ((), 94, 3)

    def test_many_and_recent_transfers(self) -> None:
        transfers = (date(2019, 1, 1), date(2020, 1, 1), date(2022, 1, 1), date(2024, 1, 1),
                     date(2026, 11, 20))  # fmt: skip
        a = assess(VehicleHistory(VIN, transfers=transfers))
        assert a.codes == ("TRANSFERS_MANY", "TRANSFER_RECENT")
        assert a.score == 100 - 10 - 5
        assert a.transfers == 5

    def test_score_never_below_zero(self) -> None:
        claims = (Claim(date(2021, 1, 1), "fire"), Claim(date(2022, 1, 1), "flood"))
        a = assess(VehicleHistory(VIN, claims=claims, odometer=readings(50_000, 20_000)))
        assert a.score == 0
        assert {"FIRE_DAMAGE", "FLOOD_DAMAGE", "ODOMETER_ROLLBACK"} <= set(a.codes)


class TestOdometer:
    def test_reading_below_an_earlier_one_is_rollback(self) -> None:
        assert find_rollback(readings(10_000, 40_000, 25_000), None)

    def test_small_wobble_within_tolerance_is_not(self) -> None:
        assert not find_rollback(readings(10_000, 40_000, 39_000), None)
        assert not find_rollback(readings(100_000), 95_500)  # within 5 %
        assert find_rollback(readings(100_000), 94_000)
        assert find_rollback(readings(10_000), 8_900)  # more than 1,000 km below

    def test_declared_below_latest_reading_is_rollback(self) -> None:
        a = assess(VehicleHistory(VIN, odometer=readings(20_000, 60_000)), km=30_000)
        assert a.rollback
        assert a.codes == ("ODOMETER_ROLLBACK",)
        assert a.findings[0].severity == Severity.REFER
        assert a.score == 60

    def test_maintenance_records_count_as_readings(self) -> None:
        record = VehicleHistory(VIN, maintenance=(MaintenanceRecord(date(2025, 1, 1), 80_000),))
        assert assess(record, km=50_000).rollback

    def test_declared_equal_to_latest_is_fine(self) -> None:
        assert not assess(
            VehicleHistory(VIN, odometer=readings(20_000, 60_000)), km=60_000
        ).rollback


class TestPlausibility:
    @pytest.mark.parametrize(("km", "age"), [(1_500, 5.0), (400_000, 5.0)])
    def test_implausible_mileage_is_referred(self, km: int, age: float) -> None:
        finding = mileage_plausibility(km, age)
        assert finding is not None
        assert (finding.code, finding.severity) == ("MILEAGE_IMPLAUSIBLE", Severity.REFER)

    @pytest.mark.parametrize(("km", "age"), [(60_000, 5.0), (500, 1.0), (1_000, 0.1)])
    def test_plausible_or_too_young_to_judge(self, km: int, age: float) -> None:
        assert mileage_plausibility(km, age) is None

    def test_checked_even_without_history(self) -> None:
        a = assess(None, km=1_000, age=6.0)
        assert a.codes == ("HISTORY_UNAVAILABLE", "MILEAGE_IMPLAUSIBLE")
