"""Vehicle history: insurer claims, transfers and odometer readings, and their score (pure).

``HistoryProvider`` is the seam for insurer-claims and maintenance data (查博士-style reports,
docs/domain.md §5.3). ``EmptyHistoryProvider`` has no data; the Parquet implementation over the
synthetic book's tables is in ``repository.py``.

``assess_history`` scores a record 0-100 (100 = nothing known against the car) with reasons:

=====================  ========  ======  ==================================================
finding                severity  points  rule
=====================  ========  ======  ==================================================
TOTAL_LOSS             decline   100     a total-loss claim
FIRE_DAMAGE            decline   60      a fire claim (accident grade 3, docs/domain.md §5.1)
FLOOD_DAMAGE           decline   60      a flood claim (accident grade 2)
ACCIDENT_SEVERE        refer     35      an accident claim ≥ 15 % of the car's value, or
                                         ≥ ¥30,000 when no value is known (likely structural)
ACCIDENT_MODERATE      info      10 each an accident claim ≥ 5 % of value / ≥ ¥10,000 (max 20)
(minor claims)         —         2 each smaller claims (max 10), no reason
ODOMETER_ROLLBACK      refer     40      a reading below an earlier one, or the declared
                                         mileage below the highest reading, by more than
                                         max(1,000 km, 5 %)
MILEAGE_IMPLAUSIBLE    refer     15      declared km a year < 1,000 for a car ≥ 2 years old
                                         (possible rollback), or > 60,000 (typo or hard use)
TRANSFERS_MANY         info      5 each  transfers beyond three (max 15)
TRANSFER_RECENT        info      5       a transfer within 30 days before the application
HISTORY_UNAVAILABLE    info      —       no record for this VIN (the score is then None)
HISTORY_CHECK_TIMEOUT  refer     —       the provider did not answer within the time limit
HISTORY_CHECK_         refer     —       the provider failed, or its circuit breaker is open
UNAVAILABLE                              after repeated failures (the score is then None)
=====================  ========  ======  ==================================================

Severities follow docs/domain.md §5.1 (accident grades 1-3 are a default hard reject); the flood,
fire and total-loss findings rest on the insurer's claim type, while ACCIDENT_SEVERE is
inferred from the amount and therefore only refers. Points are [P] and meant to be tuned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import attrgetter
from typing import Literal, Protocol

from autolease.origination.pipeline import Severity

ClaimKind = Literal["accident", "flood", "fire", "total_loss", "theft", "other"]
ACCIDENT_GRADE = {"none": 0, "structural": 1, "flood": 2, "fire": 3}


@dataclass(frozen=True)
class Claim:
    on: date
    kind: ClaimKind
    amount: Decimal | None = None


@dataclass(frozen=True)
class OdometerReading:
    on: date
    km: int
    source: str = ""


@dataclass(frozen=True)
class MaintenanceRecord:
    on: date
    km: int | None
    items: str = ""


@dataclass(frozen=True)
class VehicleHistory:
    vin: str
    claims: tuple[Claim, ...] = ()
    transfers: tuple[date, ...] = ()
    odometer: tuple[OdometerReading, ...] = ()
    maintenance: tuple[MaintenanceRecord, ...] = ()
    source: str = ""

    def readings(self) -> list[OdometerReading]:
        """Odometer readings and maintenance records with a km figure, by date."""
        if not self.maintenance:
            return sorted(self.odometer, key=_ON)
        extra = [OdometerReading(m.on, m.km, "maintenance") for m in self.maintenance if m.km]
        return sorted([*self.odometer, *extra], key=_ON)


_ON = attrgetter("on")


class HistoryProvider(Protocol):
    @property
    def name(self) -> str: ...

    def lookup(self, vin: str, *, as_of: date) -> VehicleHistory | None:
        """Everything known about ``vin`` before ``as_of``; None when the VIN is unknown."""
        ...


@dataclass(frozen=True)
class EmptyHistoryProvider:
    """No history source configured: every lookup is unknown."""

    name: str = "none"

    def lookup(self, vin: str, *, as_of: date) -> VehicleHistory | None:
        return None


@dataclass(frozen=True)
class StaticHistoryProvider:
    """An in-memory provider (tests, demos, a vendor report already fetched)."""

    records: tuple[VehicleHistory, ...] = ()
    name: str = "static"

    def lookup(self, vin: str, *, as_of: date) -> VehicleHistory | None:
        return next((r for r in self.records if r.vin == vin), None)


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    points: int
    message_en: str
    message_zh: str


@dataclass(frozen=True)
class HistoryAssessment:
    available: bool
    score: int | None
    findings: tuple[Finding, ...]
    accident_grade: int
    total_loss: bool
    flood: bool
    fire: bool
    severe_accident: bool
    rollback: bool
    claims: int
    transfers: int
    last_odometer_km: int | None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.findings)


@dataclass(frozen=True)
class HistoryRules:
    severe_share: float = 0.15
    moderate_share: float = 0.05
    severe_amount: Decimal = Decimal("30000")
    moderate_amount: Decimal = Decimal("10000")
    rollback_tolerance_km: int = 1_000
    rollback_tolerance_share: float = 0.05
    min_km_per_year: float = 1_000.0
    max_km_per_year: float = 60_000.0
    min_age_for_low_mileage: float = 2.0
    many_transfers: int = 3
    recent_transfer_days: int = 30


def _accident_level(claim: Claim, value: float | None, rules: HistoryRules) -> str:
    if claim.amount is None:
        return "moderate"
    if value:
        share = float(claim.amount) / value
        if share >= rules.severe_share:
            return "severe"
        return "moderate" if share >= rules.moderate_share else "minor"
    if claim.amount >= rules.severe_amount:
        return "severe"
    return "moderate" if claim.amount >= rules.moderate_amount else "minor"


def find_rollback(
    readings: Sequence[OdometerReading],
    declared_km: int | None,
    tolerance_km: int = 1_000,
    tolerance_share: float = 0.05,
) -> bool:
    """A reading below an earlier one, or the declared mileage below the highest reading.

    "Below" means by more than ``max(tolerance_km, tolerance_share × the higher reading)``:
    listings round mileage down to the thousand (3.5万公里) and recorded readings carry
    entry noise, while a real rollback takes off a quarter or more.
    """

    if not readings:
        return False
    rest = iter(readings)
    highest = next(rest).km
    for reading in rest:
        km = reading.km
        if km < highest - max(tolerance_km, tolerance_share * highest):
            return True
        if km > highest:
            highest = km
    return declared_km is not None and declared_km < highest - max(
        tolerance_km, tolerance_share * highest
    )


def mileage_plausibility(
    declared_km: int, age_years: float, rules: HistoryRules = HistoryRules()
) -> Finding | None:
    """MILEAGE_IMPLAUSIBLE when the declared odometer does not fit the car's age."""
    if age_years <= 0:
        return None
    per_year = declared_km / max(age_years, 0.25)
    if age_years >= rules.min_age_for_low_mileage and per_year < rules.min_km_per_year:
        return Finding(
            "MILEAGE_IMPLAUSIBLE",
            Severity.REFER,
            15,
            f"declared mileage of {per_year:,.0f} km a year is implausibly low for the car's age",
            f"申报里程年均{per_year:,.0f}公里，与车龄不符（过低，疑似调表）",
        )
    if per_year > rules.max_km_per_year:
        return Finding(
            "MILEAGE_IMPLAUSIBLE",
            Severity.REFER,
            15,
            f"declared mileage of {per_year:,.0f} km a year is implausibly high",
            f"申报里程年均{per_year:,.0f}公里，明显过高",
        )
    return None


def assess_history(
    history: VehicleHistory | None,
    *,
    declared_km: int,
    age_years: float,
    as_of: date,
    value_hint: float | None = None,
    rules: HistoryRules = HistoryRules(),
    failure: str | None = None,
) -> HistoryAssessment:
    """Score a history record 0-100 with findings; None history → HISTORY_UNAVAILABLE.

    `failure` (``"timeout"``, ``"unavailable"``, ``"circuit_open"``) says the provider gave no
    answer at all: HISTORY_CHECK_TIMEOUT or HISTORY_CHECK_UNAVAILABLE (refer) instead.
    """
    findings: list[Finding] = []
    plausibility = mileage_plausibility(declared_km, age_years, rules)
    if history is None:
        findings.append(_FAILED.get(failure or "", _UNAVAILABLE))
        if plausibility:
            findings.append(plausibility)
        return HistoryAssessment(
            False, None, tuple(findings), 0, False, False, False, False, False, 0, 0, None
        )
    claims = history.claims
    kinds = {c.kind for c in claims} if claims else _NO_KINDS
    levels = [_accident_level(c, value_hint, rules) for c in claims if c.kind == "accident"]
    severe = "severe" in levels
    total_loss, flood, fire = "total_loss" in kinds, "flood" in kinds, "fire" in kinds
    _damage_findings(findings, total_loss=total_loss, fire=fire, flood=flood, severe=severe)
    moderate = levels.count("moderate")
    if moderate:
        findings.append(
            Finding(
                "ACCIDENT_MODERATE",
                Severity.INFO,
                min(10 * moderate, 20),
                f"{moderate} moderate accident claim(s)",
                f"有{moderate}次中度事故理赔",
            )
        )
    minor_points = min(2 * levels.count("minor"), 10)
    readings = history.readings()
    rollback = find_rollback(
        readings, declared_km, rules.rollback_tolerance_km, rules.rollback_tolerance_share
    )
    if rollback:
        findings.append(_ROLLBACK)
    if plausibility:
        findings.append(plausibility)
    if history.transfers:
        findings.extend(_transfer_findings(history.transfers, as_of, rules))
    score = max(0, 100 - minor_points - sum(f.points for f in findings))
    grade = 3 if fire else 2 if flood else 1 if (severe or total_loss) else 0
    last_km = readings[-1].km if readings else None
    return HistoryAssessment(
        available=True,
        score=score,
        findings=tuple(findings),
        accident_grade=grade,
        total_loss=total_loss,
        flood=flood,
        fire=fire,
        severe_accident=severe,
        rollback=rollback,
        claims=len(claims),
        transfers=len(history.transfers),
        last_odometer_km=last_km,
    )


_NO_KINDS: frozenset[str] = frozenset()

# Findings without figures in their messages are the same every time (and immutable).
_UNAVAILABLE = Finding(
    "HISTORY_UNAVAILABLE",
    Severity.INFO,
    0,
    "no insurer-claims or maintenance history for this VIN",
    "未查到该车辆的保险理赔或维保记录",
)
_FAILED = {
    "timeout": Finding(
        "HISTORY_CHECK_TIMEOUT",
        Severity.REFER,
        0,
        "the vehicle-history provider timed out",
        "车辆历史记录查询超时",
    ),
    **dict.fromkeys(
        ("unavailable", "circuit_open"),
        Finding(
            "HISTORY_CHECK_UNAVAILABLE",
            Severity.REFER,
            0,
            "the vehicle-history provider could not be queried",
            "车辆历史记录查询暂不可用",
        ),
    ),
}
_ROLLBACK = Finding(
    "ODOMETER_ROLLBACK",
    Severity.REFER,
    40,
    "odometer readings go backwards or the declared mileage is below a recorded one",
    "里程记录出现回退，或申报里程低于历史记录（疑似调表）",
)
_TOTAL_LOSS = Finding("TOTAL_LOSS", Severity.DECLINE, 100, "a total-loss claim", "有全损理赔记录")
_FIRE = Finding("FIRE_DAMAGE", Severity.DECLINE, 60, "a fire-damage claim", "有火烧理赔记录")
_FLOOD = Finding("FLOOD_DAMAGE", Severity.DECLINE, 60, "a flood-damage claim", "有泡水理赔记录")
_SEVERE = Finding(
    "ACCIDENT_SEVERE",
    Severity.REFER,
    35,
    "a severe accident claim (possible structural damage)",
    "有重大事故理赔（疑似结构性损伤）",
)


def _damage_findings(
    findings: list[Finding], *, total_loss: bool, fire: bool, flood: bool, severe: bool
) -> None:
    for present, finding in (
        (total_loss, _TOTAL_LOSS),
        (fire, _FIRE),
        (flood, _FLOOD),
        (severe, _SEVERE),
    ):
        if present:
            findings.append(finding)


def _transfer_findings(
    transfers: Sequence[date], as_of: date, rules: HistoryRules
) -> list[Finding]:
    out = []
    extra = len(transfers) - rules.many_transfers
    if extra > 0:
        out.append(
            Finding(
                "TRANSFERS_MANY",
                Severity.INFO,
                min(5 * extra, 15),
                f"{len(transfers)} ownership transfers",
                f"过户{len(transfers)}次",
            )
        )
    if any(0 <= (as_of - t).days <= rules.recent_transfer_days for t in transfers):
        out.append(
            Finding(
                "TRANSFER_RECENT",
                Severity.INFO,
                5,
                f"transferred within {rules.recent_transfer_days} days before the application",
                f"申请前{rules.recent_transfer_days}天内有过户",
            )
        )
    return out
