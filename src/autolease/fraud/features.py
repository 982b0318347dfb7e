"""The fraud model's inputs, declared once (pure).

`FEATURES` lists every input: name, dtype, where it comes from and what it means. Serving
(`model_inputs`, from the facts and what the prefetchers and earlier stages put in
``ctx.features``) and training (`fraud.book.book_features`, from a book's tables) build the
same names with the same meaning, as of the application time; a test checks both paths give
equal values for the same applications.

Sources: ``application`` (the facts), ``velocity`` (`fraud.velocity`), ``graph``
(`fraud.neighbourhood`), ``device`` (`fraud.device`), ``bureau`` / ``carrier`` (the identity
providers' prefetcher), ``vehicle`` (the vehicle stage's valuation), ``biometrics``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from autolease.fraud.neighbourhood import GRAPH_FEATURES
from autolease.fraud.regions import id_province_differs
from autolease.fraud.velocity import feature_names as velocity_names
from autolease.identity.identifiers import (
    IdentifierError,
    is_virtual_operator,
    validate_resident_id,
)
from autolease.origination.pipeline import ApplicationFacts

FEATURE_SET = "fraud-v1"


@dataclass(frozen=True)
class FeatureSpec:
    name: str
    dtype: str  # "float" | "bool" | "category"
    source: str
    description: str
    categories: tuple[str, ...] = ()


def _f(name: str, source: str, description: str, dtype: str = "float") -> FeatureSpec:
    return FeatureSpec(name, dtype, source, description)


def _cat(name: str, source: str, description: str, categories: tuple[str, ...]) -> FeatureSpec:
    return FeatureSpec(name, "category", source, description, categories)


BASE_FEATURES: tuple[FeatureSpec, ...] = (
    _f("amount_to_price", "application", "financed amount / asking price"),
    _f("down_payment_ratio", "application", "down payment / asking price"),
    _f("log_amount", "application", "ln(financed amount in yuan)"),
    _f("term_months", "application", "lease term"),
    _cat("product_type", "application", "product asked for",
         ("direct_lease", "sale_leaseback", "operating_lease", "any")),
    _cat("lead_source", "application", "how the lead came in",
         ("sp", "partner_referral", "direct")),
    _cat("seller_type", "application", "who sells the car", ("dealer", "individual", "lessee")),
    _cat("sp_grade", "application", "grade of the submitting SP", ("A", "B", "C", "D")),
    _f("corporate", "application", "corporate lessee", "bool"),
    _f("income_multiple", "application", "financed amount / declared monthly income"),
    _f("invoice_to_asking", "application", "invoice price / asking price"),
    _f("vehicle_age_years", "application", "years since first registration"),
    _f("mileage_km", "application", "declared mileage"),
    _f("applicant_age", "application", "age from the resident ID"),
    _f("id_outside_residence", "application", "ID issued in another province", "bool"),
    _f("phone_virtual_operator", "application", "mobile on a virtual-operator prefix", "bool"),
    _f("contacts", "application", "emergency contacts given"),
    _f("has_employer", "application", "an employer was declared", "bool"),
    _f("price_to_value", "vehicle", "invoice (else asking) price / valuation"),
    _f("thin_file", "bureau", "no credit file at the bureau", "bool"),
    _f("hard_queries_90d", "bureau", "hard queries in 90 days"),
    _f("institutions_applied_30d", "bureau", "institutions applied to in 30 days"),
    _f("open_credit_institutions", "bureau", "institutions with open credit"),
    _f("delinquencies_24m", "bureau", "delinquencies in 24 months"),
    _f("court_enforced", "court", "subject of enforcement (被执行人)", "bool"),
    _f("phone_tenure_months", "carrier", "months the number has been in service"),
    _f("carrier_mismatch", "carrier", "three-factor check failed", "bool"),
    _f("face_match_score", "biometrics", "selfie vs ID photo similarity"),
    _f("device_emulator", "device", "emulator, headless browser or automation", "bool"),
    _f("device_rooted", "device", "rooted or jailbroken device", "bool"),
    _f("device_tz_mismatch", "device", "time zone not Chinese while the IP is", "bool"),
    _f("device_lang_mismatch", "device", "no Chinese among the languages", "bool"),
    _f("device_ip_province_mismatch", "device", "IP province differs from residence", "bool"),
)  # fmt: skip
FEATURES: tuple[FeatureSpec, ...] = (
    *BASE_FEATURES,
    *(_f(n, "velocity", "see fraud.velocity") for n in velocity_names()),
    *(_f(n, "graph", "see fraud.neighbourhood") for n in GRAPH_FEATURES if "known_bad" not in n),
)
"""Model inputs. Known-bad counts are not inputs (no labels in training): a rule uses them."""
BY_NAME = {f.name: f for f in FEATURES}


def _ratio(num: Decimal | None, den: Decimal | None) -> float | None:
    if num is None or den is None or den <= 0:
        return None
    return float(num / den)


def _age(id_number: str | None, on: date) -> float | None:
    if not id_number:
        return None
    try:
        rid = validate_resident_id(id_number, today=on)
    except IdentifierError:
        return None
    return float(rid.age_on(on))


def application_inputs(facts: ApplicationFacts, on: date) -> dict[str, Any]:
    """The ``application`` inputs, from the facts alone.

    Parameters
    ----------
    facts : ApplicationFacts
    on : date
        Business date of the application.

    Returns
    -------
    dict
    """
    price = facts.asking_price
    return {
        "amount_to_price": _ratio(facts.amount, price),
        "down_payment_ratio": _ratio(facts.down_payment, price),
        "log_amount": math.log(float(facts.amount)) if facts.amount > 0 else None,
        "term_months": float(facts.term_months),
        "product_type": facts.product_type,
        "lead_source": facts.lead_source,
        "seller_type": facts.seller_type,
        "sp_grade": facts.sp_grade,
        "corporate": facts.applicant_kind == "corporate",
        "income_multiple": _ratio(facts.amount, facts.monthly_income),
        "invoice_to_asking": _ratio(facts.invoice_price, price),
        "vehicle_age_years": round((on - facts.first_registration_date).days / 365.25, 4),
        "mileage_km": float(facts.mileage_km),
        "applicant_age": _age(facts.person.id_number, on),
        "id_outside_residence": id_province_differs(facts.person.id_number, facts.province),
        "phone_virtual_operator": is_virtual_operator(facts.person.phone),
    }


def _price_to_value(facts: ApplicationFacts, features: Mapping[str, Any]) -> float | None:
    for name in ("invoice_to_value", "asking_to_value", "price_to_value"):
        value = features.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return None


def model_inputs(facts: ApplicationFacts, features: Mapping[str, Any], on: date) -> dict[str, Any]:
    """Every input of `FEATURES` for one application at serving time.

    Parameters
    ----------
    facts : ApplicationFacts
    features : mapping
        ``ctx.features`` after the prefetchers and the earlier stages.
    on : date
        Business date.

    Returns
    -------
    dict
        Missing inputs are ``None``.
    """
    out = application_inputs(facts, on)
    for spec in FEATURES:
        if spec.name not in out:
            out[spec.name] = features.get(spec.name)
    out["price_to_value"] = _price_to_value(facts, features)
    if out.get("face_match_score") is None:
        out["face_match_score"] = features.get("biometric_face_score")
    return {spec.name: out.get(spec.name) for spec in FEATURES}
