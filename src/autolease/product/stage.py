"""Offers stage (pure): after the policy stage, match the application to the catalogue.

Reads the application facts, the vehicle stage's valuation (``valuation_p10``,
``valuation_p50``, ``residual_value_<months>m``), the credit stage's ``credit_grade`` and the
fraud stage's ``fraud_score`` from ``ctx.features``, and the outcome. Offers are made only
when the outcome is approve or refer (a referral's offers are provisional). Each offer is a
JSON-safe dict with the product terms snapshotted. When nothing fits, it adds the
``NO_FEASIBLE_OFFER`` reason (severity info: the policy has already decided) naming the binding
constraint and the smallest change.

Missing inputs fall back and say so in every offer's ``notes``: the asking price stands in
for the valuation, grade "C" for the credit grade, the demo depreciation curve for residuals,
and no fraud loading without a fraud score.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from autolease.origination.pipeline import DecisionContext, Outcome, Severity, Stage
from autolease.product.catalogue import CatalogueSource
from autolease.product.matching import MatchResult, match
from autolease.product.present import (
    NOTE_FRAUD,
    NOTE_PROVISIONAL,
    NOTE_RESIDUAL,
    NOTE_VALUATION,
    Note,
    no_offer_texts,
    note_grade,
    offer_dict,
)
from autolease.product.request import (
    CustomerNeeds,
    MatchRequest,
    MatchSettings,
    RiskView,
    VehicleView,
)

STAGE = "offers"
DEFAULT_GRADE = "C"
RESIDUAL_KEY = re.compile(r"^residual_value_(?:p\d+_)?(\d+)(?:m|_months)?$")
DAYS_PER_YEAR = Decimal("365.25")


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and number > 0 else None


def residuals_from(features: Mapping[str, Any]) -> dict[int, Decimal]:
    """Residual values by term from ``residual_value_36m``-style features (or a dict)."""
    found: dict[int, Decimal] = {}
    nested = features.get("residual_values")
    if isinstance(nested, Mapping):
        for key, value in nested.items():
            amount = _decimal(value)
            if str(key).isdigit() and amount is not None:
                found[int(key)] = amount
    for key, value in features.items():
        m = RESIDUAL_KEY.match(key)
        amount = _decimal(value)
        if m and amount is not None:
            found[int(m.group(1))] = amount
    return found


def _valuation(ctx: DecisionContext, notes: list[Note]) -> tuple[Decimal, Decimal]:
    p50 = _decimal(ctx.features.get("valuation_p50"))
    p10 = _decimal(ctx.features.get("valuation_p10"))
    if p50 is None:
        p50 = ctx.facts.asking_price
        notes.append(NOTE_VALUATION)
    return (p10 if p10 is not None else p50), p50


def _grade(ctx: DecisionContext, default: str, notes: list[Note]) -> str:
    grade = ctx.features.get("credit_grade")
    if isinstance(grade, str) and grade.strip():
        return grade.strip().upper()
    notes.append(note_grade(default))
    return default


def _fraud_score(ctx: DecisionContext, notes: list[Note]) -> float | None:
    score = ctx.features.get("fraud_score")
    if isinstance(score, int | float) and not isinstance(score, bool):
        return float(score)
    notes.append(NOTE_FRAUD)
    return None


def build_request(
    ctx: DecisionContext, settings: MatchSettings, *, flexible_term: bool, default_grade: str
) -> tuple[MatchRequest, list[Note]]:
    """The matcher's inputs from the pipeline context, and notes on every fallback used."""
    facts = ctx.facts
    notes: list[Note] = []
    p10, p50 = _valuation(ctx, notes)
    residuals = residuals_from(ctx.features)
    if not residuals:
        notes.append(NOTE_RESIDUAL)
    age_days = (ctx.business_date - facts.first_registration_date).days
    vehicle = VehicleView(
        price=facts.asking_price,
        value_p10=p10,
        value_p50=p50,
        age_years=Decimal(age_days) / DAYS_PER_YEAR,
        mileage_km=facts.mileage_km,
        seller_type=facts.seller_type,
        fuel_type=facts.fuel_type,
        residuals=residuals,
    )
    needs = CustomerNeeds(
        down_payment_available=facts.down_payment,
        applicant_kind=facts.applicant_kind,
        product_type=facts.product_type,
        amount_requested=facts.amount,
        term_months=facts.term_months,
        flexible_term=flexible_term,
        monthly_budget=facts.monthly_budget,
        monthly_income=facts.monthly_income,
    )
    risk = RiskView(_grade(ctx, default_grade, notes), _fraud_score(ctx, notes))
    return MatchRequest(needs, vehicle, risk, settings), notes


@dataclass(frozen=True)
class OffersStage:
    """The pipeline's offers stage over a catalogue (or a `CatalogueBox` refreshed per request)."""

    catalogue: CatalogueSource
    settings: MatchSettings = field(default_factory=MatchSettings)
    flexible_term: bool = False
    default_grade: str = DEFAULT_GRADE
    name: str = STAGE

    def run(self, ctx: DecisionContext) -> str:
        if ctx.outcome not in (Outcome.APPROVE, Outcome.REFER):
            return "no offers: the application is not approved or referred"
        catalogue = self.catalogue.current()
        req, notes = build_request(
            ctx, self.settings, flexible_term=self.flexible_term, default_grade=self.default_grade
        )
        if ctx.outcome is Outcome.REFER:
            notes.append(NOTE_PROVISIONAL)
        result = match(catalogue, req)
        ctx.features["offers_considered"] = result.considered
        ctx.features["offers_feasible"] = result.feasible
        ctx.features["product_catalogue"] = catalogue.fingerprint[:16]
        if result.offers:
            ctx.offers = [offer_dict(o, req, notes) for o in result.offers]
            return f"{len(result.offers)} offer(s) from {result.considered} structures"
        return _no_offer(ctx, result, notes)


def _no_offer(ctx: DecisionContext, result: MatchResult, notes: Sequence[Note]) -> str:
    assert result.binding is not None
    en, zh = no_offer_texts(result.binding, result.changes)
    ctx.add_reason("NO_FEASIBLE_OFFER", STAGE, Severity.INFO, en, zh)
    ctx.features["offer_binding_constraint"] = result.binding.value
    ctx.features["offer_changes"] = [c.as_dict() for c in result.changes]
    ctx.features["offer_notes"] = [n.code for n in notes]
    return f"no feasible offer: {result.binding.value} binds"


def replace_offers_stage(stages: Sequence[Stage], offers: Stage) -> tuple[Stage, ...]:
    """`stages` with the stage named "offers" replaced by `offers` (appended if absent)."""
    out = [offers if s.name == STAGE else s for s in stages]
    if not any(s is offers for s in out):
        out.append(offers)
    return tuple(out)
