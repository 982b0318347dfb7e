"""The policy input: one flat, typed dict built from facts, stage features and reasons (pure).

`FIELDS` is the ONE place where names used by other stages are mapped to the policy's field
names. To follow a renamed feature, change its ``paths`` here (the first present one wins);
to add a field, add a row (and a rule in the policy that reads it). A field can come from a
fact of the application, from features, or from whether an earlier stage gave a reason code
(``reason`` source: ``True`` when any earlier reason has one of the codes, else ``False``).
Every field is always present in the input: a feature that is missing, ``None``, NaN, or of
an unusable type becomes ``null``, and the policy's ``DATA_MISSING_<FIELD>`` rule decides
what that means (refer, by default) — never an exception.

>>> from types import SimpleNamespace
>>> built = build_policy_input(SimpleNamespace(applicant_kind="individual", term_months=36,
...     sp_grade="B", mileage_km=1), {"applicant_age": 30, "credit_pd": float("nan")}, [])
>>> built.values["applicant_age"], built.values["credit_pd"], built.values["upstream_worst"]
(30, None, 'info')
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from numbers import Integral, Real
from typing import Any, Literal, Protocol

Kind = Literal["int", "number", "bool", "str"]
Source = Literal["feature", "fact", "reason"]
SEVERITY_ORDER = ("info", "refer", "decline")


@dataclass(frozen=True)
class InputField:
    """One policy input field: where it comes from and what type the policy expects."""

    name: str
    source: Source
    paths: tuple[str, ...]
    kind: Kind
    stage: str
    description: str


def _f(name: str, kind: Kind, stage: str, description: str, *paths: str) -> InputField:
    return InputField(name, "feature", paths or (name,), kind, stage, description)


def _fact(name: str, kind: Kind, description: str) -> InputField:
    return InputField(name, "fact", (name,), kind, "application", description)


def _reason(name: str, stage: str, description: str, *codes: str) -> InputField:
    return InputField(name, "reason", codes, "bool", stage, description)


FIELDS: tuple[InputField, ...] = (
    _fact("applicant_kind", "str", "individual | corporate"),
    _fact("term_months", "int", "lease term in months"),
    _fact("product_type", "str", "direct_lease | sale_leaseback | operating_lease"),
    _fact("sp_grade", "str", "grade A-D of the submitting SP"),
    _f("applicant_age", "int", "identity", "age from the resident ID at application"),
    _f("applicant_age_at_maturity", "int", "identity", "age from the resident ID at maturity"),
    _f("applicant_gender", "str", "identity", "M | F from the resident ID"),
    _f("phone_virtual_operator", "bool", "identity", "mobile on a virtual-operator prefix"),
    _f("company_entity_type", "str", "identity", "USCC positions 1-2 (91, 92 ...)"),
    _f("vehicle_age_years", "number", "vehicle", "years since first registration"),
    _f("vehicle_age_at_maturity_years", "number", "vehicle", "vehicle age at maturity"),
    _f("mileage_km", "int", "vehicle", "declared mileage"),
    _f("ltv", "number", "vehicle", "amount / value on the policy basis (asking price if none)"),
    _f("ltv_on_asking_price", "number", "vehicle", "financed amount / asking price"),
    _f(
        "price_to_value",
        "number",
        "vehicle",
        "invoice (else asking) price / fair value P50",
        "price_to_value",
        "invoice_to_value",
        "asking_to_value",
    ),
    _reason("history_flood", "vehicle", "flood claim on record", "FLOOD_DAMAGE"),
    _reason("history_fire", "vehicle", "fire claim on record", "FIRE_DAMAGE"),
    _reason("history_total_loss", "vehicle", "total-loss claim on record", "TOTAL_LOSS"),
    _f(
        "history_odometer_rollback",
        "bool",
        "vehicle",
        "odometer rollback in the history",
        "odometer_rollback",
        "history_odometer_rollback",
    ),
    _f("credit_pd", "number", "credit", "model probability of default (0-1)"),
    _f("credit_score", "number", "credit", "credit score"),
    _f("credit_grade", "str", "credit", "credit grade A-E"),
    _f("fraud_score", "number", "fraud", "fraud model score (0-1)"),
    _f("fraud_ring_flag", "bool", "fraud", "linked to a suspected ring in the graph"),
    _f("hard_queries_90d", "int", "bureau", "hard credit queries in 90 days"),
    _f("institutions_applied_30d", "int", "bureau", "institutions applied to in 30 days"),
    _f("open_credit_institutions", "int", "bureau", "institutions with open credit"),
    _f("court_dishonest", "bool", "court", "on the judgment-defaulter list (失信被执行人)"),
    _f("court_spending_ban", "bool", "court", "under a spending ban (限制高消费)"),
    _f("court_enforced", "bool", "court", "subject of enforcement (被执行人)"),
)
DERIVED = {
    "upstream_worst": "worst severity among earlier stages' reasons: info | refer | decline",
    "upstream_codes": "codes of earlier stages' reasons, in order",
    "upstream_refer_codes": "codes of earlier stages' refer-severity reasons, in order",
}


class HasReason(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def severity(self) -> Any: ...


@dataclass(frozen=True)
class PolicyInput:
    """The input dict and the fields whose value was present but unusable (became null)."""

    values: dict[str, Any]
    unusable: tuple[str, ...]


def build_policy_input(
    facts: object, features: Mapping[str, Any], reasons: Iterable[HasReason]
) -> PolicyInput:
    """Map facts, features and earlier reasons to the policy's input fields.

    Parameters
    ----------
    facts : object
        Anything with the fact attributes named in `FIELDS` (an ``ApplicationFacts``).
    features : mapping
        ``ctx.features`` after the earlier stages.
    reasons : iterable
        ``ctx.reasons`` of the earlier stages (objects with ``code`` and ``severity``).

    Returns
    -------
    PolicyInput
        Every field of `FIELDS` plus `DERIVED`, values coerced to the declared kind or
        ``None``.
    """
    codes, refer_codes, worst = _codes_and_worst(reasons)
    values: dict[str, Any] = {}
    unusable: list[str] = []
    get = features.get
    for name, source, paths, kind in _PLAN:  # runs for every application of a backtest
        raw: Any
        if source == _ONE_FEATURE:
            raw = get(paths[0])
        elif source == _REASON:
            values[name] = _any_of(paths, codes)
            continue
        elif source == _FACT:
            raw = getattr(facts, paths[0], None)
        else:
            raw = _first_present(get, paths)
        value = coerce(raw, kind)
        if value is None and raw is not None and not is_missing(raw):
            unusable.append(name)
        values[name] = value
    values["upstream_worst"] = SEVERITY_ORDER[worst]
    values["upstream_codes"] = codes
    values["upstream_refer_codes"] = refer_codes
    return PolicyInput(values, tuple(unusable))


_ONE_FEATURE, _FEATURES, _FACT, _REASON = range(4)


def _plan_of(spec: InputField) -> tuple[str, int, tuple[str, ...], Kind]:
    """How `build_policy_input` reads one field: name, source, paths, kind."""
    if spec.source == "reason":
        source = _REASON
    elif spec.source == "fact":
        source = _FACT
    else:
        source = _ONE_FEATURE if len(spec.paths) == 1 else _FEATURES
    return spec.name, source, spec.paths, spec.kind


def _first_present(get: Any, paths: tuple[str, ...]) -> object:
    """The first feature of ``paths`` that is neither None nor NaN."""
    for path in paths:
        raw = get(path)
        if raw is not None and not (type(raw) is float and raw != raw):
            return raw
    return None


def _codes_and_worst(reasons: Iterable[HasReason]) -> tuple[list[str], list[str], int]:
    """The reasons' codes, the refer-severity ones (both in order, the second without repeats),
    and the index of the worst severity in `SEVERITY_ORDER`."""
    codes: list[str] = []
    refer_codes: list[str] = []
    worst = 0
    for reason in reasons:
        codes.append(reason.code)
        severity = getattr(reason.severity, "value", reason.severity)
        if severity in SEVERITY_ORDER:
            worst = max(worst, SEVERITY_ORDER.index(severity))
        if severity == "refer" and reason.code not in refer_codes:
            refer_codes.append(reason.code)
    return codes, refer_codes, worst


def _any_of(wanted: tuple[str, ...], codes: list[str]) -> bool:
    """Whether any of ``wanted`` is among ``codes`` (a handful of each)."""
    return any(map(codes.__contains__, wanted))


_PLAN = tuple(_plan_of(spec) for spec in FIELDS)


def coerce(value: object, kind: Kind) -> Any:
    """Convert a value to the policy kind, or ``None`` when missing or unusable.

    Integral numbers stay ``int`` (zen-engine converts them faster than floats); NaN and
    infinities become ``None``; ``bool`` is never read as a number, nor a number as a bool.

    >>> coerce(3.0, "int"), coerce(Decimal("0.55"), "number"), coerce(1, "bool"), coerce("x", "int")
    (3, 0.55, None, None)
    """
    fast = type(value)
    if fast is int:
        return value if kind == "int" or kind == "number" else None
    if fast is float:
        return _as_float(value, kind)  # type: ignore[arg-type]
    if fast is str or fast is bool:
        return value if _KIND_OF[fast] == kind else None
    if is_missing(value):
        return None
    if kind == "bool":
        return _as_bool(value)
    if kind == "str":
        if isinstance(value, Enum):
            value = value.value
        return value if isinstance(value, str) else None
    return _as_number(value, integral=kind == "int")


_KIND_OF = {str: "str", bool: "bool"}


def _as_float(value: float, kind: Kind) -> int | float | None:
    if kind != "int" and kind != "number":
        return None
    if value != value or value in (math.inf, -math.inf):
        return None
    return int(value) if kind == "int" and value.is_integer() else value


def _as_bool(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if _is_numpy_bool(value):
        return bool(value)
    return None


def _is_numpy_bool(value: object) -> bool:
    """numpy.bool_ (named ``bool`` in numpy 2) without importing numpy."""
    kind = type(value)
    return kind.__module__ == "numpy" and kind.__name__ in ("bool", "bool_")


def _as_number(value: object, *, integral: bool) -> int | float | None:
    if isinstance(value, bool) or _is_numpy_bool(value):
        return None
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Decimal | Real):
        number = float(value)
        if not math.isfinite(number):
            return None
        if number.is_integer() and (integral or isinstance(value, Decimal)):
            return int(number)
        return number
    return None


def is_missing(value: object) -> bool:
    """``None``, NaN, or pandas' ``NA`` / ``NaT``.

    >>> is_missing(float("nan")), is_missing(0)
    (True, False)
    """
    if value is None or type(value).__name__ in _NA_TYPES:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, Decimal) and value.is_nan()


_NA_TYPES = frozenset({"NAType", "NaTType"})
