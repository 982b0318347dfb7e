"""The default origination policy stated in plain Python, independently of its JDM graph.

Used by the differential test: for any input both must give the same outcome and the same
set of reason codes. Thresholds are written out here on purpose (not read from the graph).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

DECLINE, REFER = "decline", "refer"

Rule = tuple[str, str, Callable[[Mapping[str, Any]], bool]]


def _num(x: Mapping[str, Any], field: str) -> float | None:
    value = x.get(field)
    return None if value is None else float(value)


def _gt(field: str, limit: float) -> Callable[[Mapping[str, Any]], bool]:
    return lambda x: (v := _num(x, field)) is not None and v > limit


def _ge(field: str, limit: float) -> Callable[[Mapping[str, Any]], bool]:
    return lambda x: (v := _num(x, field)) is not None and v >= limit


def _lt(field: str, limit: float) -> Callable[[Mapping[str, Any]], bool]:
    return lambda x: (v := _num(x, field)) is not None and v < limit


def _between(field: str, low: float, high: float) -> Callable[[Mapping[str, Any]], bool]:
    return lambda x: (v := _num(x, field)) is not None and low <= v < high


def _missing(field: str) -> Rule:
    return (f"DATA_MISSING_{field.upper()}", REFER, lambda x: x.get(field) is None)


def _true(field: str) -> Callable[[Mapping[str, Any]], bool]:
    return lambda x: x.get(field) is True


def _is(field: str, value: str) -> Callable[[Mapping[str, Any]], bool]:
    return lambda x: x.get(field) == value


def _corporate_entity(x: Mapping[str, Any]) -> bool:
    entity = x.get("company_entity_type")
    return (
        x.get("applicant_kind") == "corporate" and entity is not None and entity not in {"91", "92"}
    )


def _grade_cap(grade: str, cap: float) -> Callable[[Mapping[str, Any]], bool]:
    return lambda x: x.get("credit_grade") == grade and _gt("ltv", cap)(x)


RULES: tuple[Rule, ...] = (
    _missing("applicant_age"),
    _missing("applicant_age_at_maturity"),
    ("APPLICANT_AGE_BELOW_MIN", DECLINE, _lt("applicant_age", 18)),
    ("APPLICANT_AGE_ABOVE_MAX", DECLINE, _gt("applicant_age", 60)),
    ("APPLICANT_AGE_AT_MATURITY_ABOVE_MAX", DECLINE, _gt("applicant_age_at_maturity", 65)),
    (
        "DATA_MISSING_COMPANY_ENTITY_TYPE",
        REFER,
        lambda x: x.get("applicant_kind") == "corporate" and x.get("company_entity_type") is None,
    ),
    ("CORPORATE_ENTITY_NOT_ALLOWED", DECLINE, _corporate_entity),
    (
        "CORPORATE_OPERATING_LEASE",
        REFER,
        lambda x: (
            x.get("applicant_kind") == "corporate" and x.get("product_type") == "operating_lease"
        ),
    ),
    _missing("vehicle_age_years"),
    _missing("vehicle_age_at_maturity_years"),
    _missing("mileage_km"),
    ("TERM_NOT_OFFERED", DECLINE, lambda x: _num(x, "term_months") not in {12, 24, 36, 48}),
    (
        "TERM_48_VEHICLE_TOO_OLD",
        DECLINE,
        lambda x: _num(x, "term_months") == 48 and _gt("vehicle_age_years", 3)(x),
    ),
    ("VEHICLE_AGE_AT_MATURITY_ABOVE_MAX", DECLINE, _gt("vehicle_age_at_maturity_years", 8)),
    ("MILEAGE_ABOVE_MAX", DECLINE, _gt("mileage_km", 150_000)),
    ("VEHICLE_FLOOD_DAMAGE", DECLINE, _true("history_flood")),
    ("VEHICLE_FIRE_DAMAGE", DECLINE, _true("history_fire")),
    ("VEHICLE_TOTAL_LOSS", DECLINE, _true("history_total_loss")),
    ("ODOMETER_ROLLBACK", DECLINE, _true("history_odometer_rollback")),
    _missing("ltv"),
    _missing("price_to_value"),
    ("LTV_ABOVE_MAX", DECLINE, _gt("ltv", 0.70)),
    ("LTV_ABOVE_GRADE_CAP", REFER, _grade_cap("B", 0.60)),
    ("LTV_ABOVE_GRADE_CAP", REFER, _grade_cap("C", 0.50)),
    ("LTV_ABOVE_GRADE_CAP", REFER, _grade_cap("D", 0.40)),
    ("PRICE_TO_VALUE_ABOVE_MAX", REFER, _gt("price_to_value", 1.15)),
    _missing("credit_pd"),
    _missing("credit_grade"),
    ("PD_DECLINE_BAND", DECLINE, _ge("credit_pd", 0.20)),
    ("PD_REFER_BAND", REFER, _between("credit_pd", 0.08, 0.20)),
    ("CREDIT_GRADE_E", DECLINE, _is("credit_grade", "E")),
    _missing("fraud_score"),
    ("FRAUD_DECLINE_BAND", DECLINE, _ge("fraud_score", 0.80)),
    ("FRAUD_REFER_BAND", REFER, _between("fraud_score", 0.50, 0.80)),
    ("FRAUD_RING_LINK", REFER, _true("fraud_ring_flag")),
    _missing("hard_queries_90d"),
    _missing("institutions_applied_30d"),
    _missing("open_credit_institutions"),
    ("MULTI_LENDING_QUERIES", REFER, _gt("hard_queries_90d", 6)),
    ("MULTI_LENDING_APPLICATIONS", REFER, _ge("institutions_applied_30d", 5)),
    ("MULTI_LENDING_OPEN_CREDIT", REFER, _ge("open_credit_institutions", 5)),
    _missing("court_dishonest"),
    _missing("court_spending_ban"),
    _missing("court_enforced"),
    ("COURT_DISHONEST", DECLINE, _true("court_dishonest")),
    ("COURT_SPENDING_BAN", DECLINE, _true("court_spending_ban")),
    ("COURT_ENFORCED", REFER, _true("court_enforced")),
    _missing("sp_grade"),
    ("SP_GRADE_D", REFER, _is("sp_grade", "D")),
    ("STAGE_DECLINE", DECLINE, _is("upstream_worst", "decline")),
)
"""Rules in order; after them, when the worst earlier reason is a refer, each of the earlier
stages' refer codes (``upstream_refer_codes``) is named as a refer of its own."""


def decide(x: Mapping[str, Any]) -> tuple[str, list[tuple[str, str]]]:
    """Outcome and the (code, severity) of every rule that fires, in rule order."""
    hits = [(code, severity) for code, severity, test in RULES if test(x)]
    stage_refer = x.get("upstream_worst") == REFER
    if stage_refer:
        hits += [(code, REFER) for code in x.get("upstream_refer_codes", [])]
    severities = {severity for _, severity in hits} | ({REFER} if stage_refer else set())
    outcome = "decline" if DECLINE in severities else "refer" if REFER in severities else "approve"
    return outcome, hits
