"""What the H5 page shows (pure): the result of a submission, VIN hints and quote summaries.

The result is built from the application as the API answers it (the same body an
idempotent replay returns), so a retried submission shows exactly what the first one did.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from autolease.documents.kinds import LABELS
from autolease.h5.schemas import ResultRead
from autolease.reasons import catalogue
from autolease.synth.calibration import CATALOG
from autolease.vehicle.vin import VinDecoded
from autolease.vehicle.wmi import brand

OFFER_FIELDS = (
    "rank",
    "term_months",
    "down_payment",
    "financed_amount",
    "monthly_payment",
    "balloon",
    "apr_percent",
    "total_cost",
    "explanation_zh",
    "explanation_en",
)


def reason_view(reason: Mapping[str, Any]) -> dict[str, str]:
    """A reason with what the applicant can do about it (from the reason-code catalogue)."""
    code = str(reason.get("code"))
    entry = catalogue.catalogue().get(code)
    return {
        "code": code,
        "severity": str(reason.get("severity")),
        "message_zh": str(reason.get("message_zh")),
        "message_en": str(reason.get("message_en")),
        "action_zh": entry.action.zh if entry else "",
        "action_en": entry.action.en if entry else "",
    }


def offer_view(offer: Mapping[str, Any]) -> dict[str, Any]:
    product = offer.get("product") or {}
    view = {k: offer.get(k) for k in OFFER_FIELDS}
    view["product_zh"] = product.get("name_zh")
    view["product_en"] = product.get("name_en")
    return view


def result_of(body: Mapping[str, Any], *, replayed: bool = False) -> ResultRead:
    """The page's result from an application body (`ApplicationRead` as JSON)."""
    decision = body.get("decision") or {}
    outcome = decision.get("outcome")
    return ResultRead(
        application_id=str(body["id"]),
        status=str(body["status"]),
        outcome=outcome,
        reasons=[reason_view(r) for r in decision.get("reasons", [])],
        offers=[offer_view(o) for o in decision.get("offers", [])],
        human_review=outcome in ("decline", "refer"),
        replayed=replayed,
    )


def models_for(wmi: str, brand_names: Sequence[str] = ()) -> list[dict[str, str]]:
    """Brand and model suggestions for a WMI, from the synthetic book's vehicle catalogue."""
    seen: list[dict[str, str]] = []
    for make, model, code, fuel, *_ in CATALOG:
        if code == wmi or make in brand_names:
            item = {"brand": make, "model": model, "fuel_type": fuel}
            if item not in seen:
                seen.append(item)
    return seen


def brands_zh(decoded: VinDecoded) -> list[str]:
    """The Chinese names of the brands the VIN's manufacturer builds."""
    names = []
    for key in decoded.brands:
        found = brand(key)
        names.append(found.names_zh[0] if found and found.names_zh else key)
    return names


def vin_view(decoded: VinDecoded) -> dict[str, Any]:
    """The VIN's decoded facts and the brand and model suggestions for the form."""
    zh = brands_zh(decoded)
    return {
        "vin": decoded.vin,
        "model_year": decoded.model_year,
        "manufacturer": decoded.manufacturer,
        "country": decoded.country,
        "brands": zh,
        "brands_en": list(decoded.brand_names()),
        "suggestions": models_for(decoded.wmi, zh),
        "warnings": list(decoded.warnings),
    }


def document_kinds(lang: str) -> dict[str, Any]:
    """The kinds of document an SP can upload, named in the page's language."""
    index = 1 if lang == "en" else 0
    names = {kind.value: label[index] for kind, label in LABELS.items()}
    return {"kinds": list(names.items()), "kind_names": names}
