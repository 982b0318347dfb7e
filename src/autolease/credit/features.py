"""The credit features, declared once and computed by one function (pure).

`FEATURES` declares every application-level input of the origination credit model: name,
dtype, description (English and Chinese, used in reason texts), the as-of rule and, where it
is sensible, the monotone direction (+1: a higher value must not lower the PD; −1: must not
raise it). `compute` turns *raw inputs* (`RAW_INPUTS`, one array per raw column) into the
features. Training and backtests call it on whole columns built from a synthetic (or real)
book (`credit.book.raw_from_book`); serving calls it on one-row columns built from the
pipeline's facts and the earlier stages' features (`raw_from_application`). Nothing else
computes a feature, so training, backtests and serving cannot drift apart.

Everything is as of the application's business date: ages and tenures count to that date,
bureau figures come from the report pulled for the application, and no outcome or later
event is an input.

>>> raw = {"amount_yuan": np.array([70000.0]), "asking_price_yuan": np.array([100000.0])}
>>> float(compute(raw)["ltv_on_asking_price"][0])
0.7
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from autolease.credit.encoding import ColumnSpec, InputSchema
from autolease.credit.model import FeatureLabel

F64 = npt.NDArray[np.float64]
Dtype = Literal["float", "int", "bool", "category"]
FEATURE_SET = "credit_application/1"
REFERENCE_ANNUAL_RATE = 0.10
DAYS_PER_YEAR = 365.25
EPOCH = date(1970, 1, 1)

PRODUCT_TYPES = ("direct_lease", "sale_leaseback", "operating_lease")
SELLER_TYPES = ("dealer", "individual", "lessee")
LEAD_SOURCES = ("sp", "partner_referral", "direct")
FUEL_TYPES = ("petrol", "diesel", "hev", "phev", "bev", "erev", "fcev", "other")
SP_GRADES = ("A", "B", "C", "D")
APPLICANT_KINDS = ("individual", "corporate")


@dataclass(frozen=True)
class FeatureSpec:
    """One declared feature."""

    name: str
    dtype: Dtype
    description_en: str
    description_zh: str
    as_of: str
    source: str
    monotone: int = 0
    categories: tuple[str, ...] = ()

    @property
    def label(self) -> FeatureLabel:
        return FeatureLabel(self.description_en, self.description_zh)

    @property
    def column(self) -> ColumnSpec:
        if self.dtype == "category":
            return ColumnSpec(self.name, "categorical", self.categories)
        return ColumnSpec(self.name, "numeric")


_APP = "application date"
_BUREAU = "bureau report pulled for this application (on or before the application date)"


def _f(
    name: str,
    dtype: Dtype,
    en: str,
    zh: str,
    as_of: str,
    source: str,
    monotone: int = 0,
    categories: tuple[str, ...] = (),
) -> FeatureSpec:
    return FeatureSpec(name, dtype, en, zh, as_of, source, monotone, categories)


FEATURES: tuple[FeatureSpec, ...] = (
    _f(
        "applicant_age",
        "int",
        "applicant age",
        "申请人年龄",
        "whole years from the resident-ID birth date to the application date",
        "identity",
    ),
    _f(
        "applicant_kind",
        "category",
        "applicant type",
        "申请人类型",
        "as declared",
        "application",
        categories=APPLICANT_KINDS,
    ),
    _f(
        "monthly_income_yuan",
        "float",
        "monthly income",
        "月收入",
        "declared at application",
        "application",
        -1,
    ),
    _f(
        "payment_to_income",
        "float",
        "instalment to income",
        "月供收入比",
        f"level payment on the financed amount at {REFERENCE_ANNUAL_RATE:.0%} a year over the "
        "term, divided by monthly income",
        "application",
        +1,
    ),
    _f(
        "debt_to_income",
        "float",
        "outstanding debt to annual income",
        "负债收入比",
        f"outstanding debt in the {_BUREAU} over 12 months of declared income",
        "bureau",
        +1,
    ),
    _f("amount_yuan", "float", "financed amount", "融资金额", "as applied for", "application"),
    _f("term_months", "int", "lease term", "租期", "as applied for", "application", +1),
    _f(
        "down_payment_ratio",
        "float",
        "down payment share",
        "首付比例",
        "down payment / asking price",
        "application",
        -1,
    ),
    _f(
        "ltv_on_asking_price",
        "float",
        "financed amount to asking price",
        "融资额与报价比",
        "financed amount / asking price",
        "application",
        +1,
    ),
    _f(
        "ltv_on_valuation",
        "float",
        "financed amount to valuation",
        "融资额与估值比",
        "financed amount / valuation on the application date (missing until valued)",
        "vehicle",
        +1,
    ),
    _f(
        "price_to_value",
        "float",
        "price to valuation",
        "车价与估值比",
        "invoice (else asking) price / valuation on the application date",
        "vehicle",
        +1,
    ),
    _f(
        "vehicle_age_years",
        "float",
        "vehicle age",
        "车龄",
        "years from first registration to the application date",
        "vehicle",
        +1,
    ),
    _f("mileage_km", "int", "mileage", "里程", "declared at application", "vehicle", +1),
    _f(
        "product_type",
        "category",
        "lease product",
        "租赁产品",
        "as applied for",
        "application",
        categories=PRODUCT_TYPES,
    ),
    _f(
        "seller_type",
        "category",
        "seller type",
        "卖方类型",
        "as declared",
        "application",
        categories=SELLER_TYPES,
    ),
    _f(
        "lead_source",
        "category",
        "lead source",
        "进件渠道",
        "as submitted",
        "application",
        categories=LEAD_SOURCES,
    ),
    _f(
        "fuel_type",
        "category",
        "powertrain",
        "动力类型",
        "as declared",
        "vehicle",
        categories=FUEL_TYPES,
    ),
    _f(
        "sp_grade",
        "category",
        "SP grade",
        "服务商等级",
        "the SP's grade on the application date",
        "application",
        categories=SP_GRADES,
    ),
    _f(
        "phone_tenure_months",
        "int",
        "mobile number tenure",
        "手机号在网时长",
        "months in service on the application date (carrier check)",
        "identity",
        -1,
    ),
    _f("has_credit_file", "bool", "has a credit file", "有征信记录", _BUREAU, "bureau", -1),
    _f(
        "credit_history_years",
        "float",
        "length of credit history",
        "信用历史长度",
        f"years from the first credit line to the application date ({_BUREAU})",
        "bureau",
        -1,
    ),
    _f(
        "hard_queries_90d",
        "int",
        "hard credit queries in 90 days",
        "近90天硬查询次数",
        _BUREAU,
        "bureau",
        +1,
    ),
    _f(
        "institutions_applied_30d",
        "int",
        "institutions applied to in 30 days",
        "近30天申请机构数",
        _BUREAU,
        "bureau",
        +1,
    ),
    _f(
        "open_credit_institutions",
        "int",
        "institutions with open credit",
        "在贷机构数",
        _BUREAU,
        "bureau",
        +1,
    ),
    _f(
        "delinquencies_24m",
        "int",
        "delinquencies in 24 months",
        "近24个月逾期次数",
        _BUREAU,
        "bureau",
        +1,
    ),
    _f(
        "max_dpd_24m",
        "int",
        "worst days past due in 24 months",
        "近24个月最长逾期天数",
        _BUREAU,
        "bureau",
        +1,
    ),
    _f(
        "court_enforced",
        "bool",
        "subject of court enforcement",
        "被执行人记录",
        "court lists checked for this application",
        "bureau",
        +1,
    ),
    _f(
        "court_dishonest",
        "bool",
        "judgment defaulter",
        "失信被执行人",
        "court lists checked for this application",
        "bureau",
        +1,
    ),
)
BY_NAME = {f.name: f for f in FEATURES}

RAW_INPUTS: dict[str, str] = {
    "as_of_day": "application business date, days since 1970-01-01",
    "applicant_age": "whole years on the application date (identity stage)",
    "applicant_kind": "individual | corporate",
    "monthly_income_yuan": "declared monthly income, yuan",
    "amount_yuan": "financed amount, yuan",
    "down_payment_yuan": "down payment, yuan",
    "asking_price_yuan": "asking price, yuan",
    "invoice_price_yuan": "invoice price, yuan (optional)",
    "valuation_yuan": "valuation on the application date, yuan (optional)",
    "term_months": "lease term in months",
    "first_registration_day": "first registration date, days since 1970-01-01",
    "mileage_km": "declared mileage",
    "product_type": "lease product",
    "seller_type": "dealer | individual | lessee",
    "lead_source": "sp | partner_referral | direct",
    "fuel_type": "declared powertrain",
    "sp_grade": "grade of the submitting SP",
    "phone_tenure_months": "carrier tenure (optional)",
    "has_credit_file": "1 / 0 (optional, bureau)",
    "first_credit_day": "first credit line, days since 1970-01-01 (optional, bureau)",
    "hard_queries_90d": "optional, bureau",
    "institutions_applied_30d": "optional, bureau",
    "open_credit_institutions": "optional, bureau",
    "delinquencies_24m": "optional, bureau",
    "max_dpd_24m": "optional, bureau",
    "outstanding_debt_yuan": "optional, bureau",
    "court_enforced": "1 / 0 (optional, court lists)",
    "court_dishonest": "1 / 0 (optional, court lists)",
}
_PASS_THROUGH = (
    "applicant_age",
    "monthly_income_yuan",
    "amount_yuan",
    "term_months",
    "mileage_km",
    "phone_tenure_months",
    "has_credit_file",
    "hard_queries_90d",
    "institutions_applied_30d",
    "open_credit_institutions",
    "delinquencies_24m",
    "max_dpd_24m",
    "court_enforced",
    "court_dishonest",
)
_CATEGORIES = (
    "applicant_kind",
    "product_type",
    "seller_type",
    "lead_source",
    "fuel_type",
    "sp_grade",
)


def schema() -> InputSchema:
    """The model input schema of the declared features, in declaration order."""
    return InputSchema(tuple(f.column for f in FEATURES))


def labels() -> dict[str, FeatureLabel]:
    """Reason-text labels of the declared features."""
    return {f.name: f.label for f in FEATURES}


def monotone() -> dict[str, int]:
    """Declared monotone directions (features without one are left out)."""
    return {f.name: f.monotone for f in FEATURES if f.monotone}


def _num(raw: Mapping[str, Any], name: str, n: int) -> F64:
    if name not in raw:
        return np.full(n, np.nan)
    return np.asarray(raw[name], dtype=np.float64)


def _ratio(a: F64, b: F64) -> F64:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = a / b
    return np.where(np.isfinite(out), out, np.nan)


def level_payment(principal: F64, annual_rate: float, term: F64) -> F64:
    """等额本息 instalment ``P r (1+r)^n / ((1+r)^n − 1)``.

    Parameters
    ----------
    principal : ndarray of float64
    annual_rate : float
    term : ndarray of float64
        Months.

    Returns
    -------
    ndarray of float64

    Examples
    --------
    >>> round(float(level_payment(np.array([100_000.0]), 0.08, np.array([36.0]))[0]), 2)
    3133.64
    """
    r = annual_rate / 12.0
    growth = (1.0 + r) ** term
    return np.asarray(principal * r * growth / (growth - 1.0), dtype=np.float64)


def compute(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Every declared feature from raw inputs (missing raw inputs give missing features).

    Parameters
    ----------
    raw : mapping of str to array-like
        Columns named in `RAW_INPUTS`, all of the same length.

    Returns
    -------
    dict of str to ndarray
        One array per name in `FEATURES` (float64, or object for categories).
    """
    n = _rows(raw)
    out: dict[str, Any] = {name: _num(raw, name, n) for name in _PASS_THROUGH}
    for name in _CATEGORIES:
        out[name] = _categories(raw, name, n)
    amount, asking = _num(raw, "amount_yuan", n), _num(raw, "asking_price_yuan", n)
    income, term = _num(raw, "monthly_income_yuan", n), _num(raw, "term_months", n)
    valuation, invoice = _num(raw, "valuation_yuan", n), _num(raw, "invoice_price_yuan", n)
    as_of = _num(raw, "as_of_day", n)
    out["payment_to_income"] = _ratio(level_payment(amount, REFERENCE_ANNUAL_RATE, term), income)
    out["debt_to_income"] = _ratio(_num(raw, "outstanding_debt_yuan", n), 12.0 * income)
    out["down_payment_ratio"] = _ratio(_num(raw, "down_payment_yuan", n), asking)
    out["ltv_on_asking_price"] = _ratio(amount, asking)
    out["ltv_on_valuation"] = _ratio(amount, valuation)
    out["price_to_value"] = _ratio(np.where(np.isnan(invoice), asking, invoice), valuation)
    out["vehicle_age_years"] = (as_of - _num(raw, "first_registration_day", n)) / DAYS_PER_YEAR
    out["credit_history_years"] = (as_of - _num(raw, "first_credit_day", n)) / DAYS_PER_YEAR
    return {f.name: out[f.name] for f in FEATURES}


def _rows(raw: Mapping[str, Any]) -> int:
    lengths = {len(np.atleast_1d(np.asarray(v, dtype=object))) for v in raw.values()}
    if len(lengths) > 1:
        raise ValueError(f"raw inputs have different lengths: {sorted(lengths)}")
    return lengths.pop() if lengths else 0


def _categories(raw: Mapping[str, Any], name: str, n: int) -> npt.NDArray[np.object_]:
    if name not in raw:
        return np.full(n, None, dtype=object)
    return np.asarray(raw[name], dtype=object)


def day_number(value: date | None) -> float:
    """Days since 1970-01-01 (NaN for None)."""
    return float((value - EPOCH).days) if value is not None else float("nan")


def raw_from_application(
    facts: Any, stage_features: Mapping[str, Any], business_date: date
) -> dict[str, Any]:
    """One-row raw inputs from `ApplicationFacts` and the earlier stages' features.

    Parameters
    ----------
    facts : ApplicationFacts
    stage_features : mapping
        ``ctx.features`` after the identity and vehicle stages (and the bureau, once
        connected: the keys named like the bureau raw inputs, ``bureau_first_credit_date``
        as a date or ISO string, ``outstanding_debt_yuan``, and ``valuation_p50`` (else
        ``valuation_yuan`` or ``ltv``) from the vehicle valuation).
    business_date : date

    Returns
    -------
    dict of str to ndarray (length 1)
    """
    g = stage_features.get
    raw: dict[str, Any] = {
        "as_of_day": day_number(business_date),
        "applicant_age": _scalar(g("applicant_age")),
        "applicant_kind": facts.applicant_kind,
        "monthly_income_yuan": _scalar(facts.monthly_income),
        "amount_yuan": _scalar(facts.amount),
        "down_payment_yuan": _scalar(facts.down_payment),
        "asking_price_yuan": _scalar(facts.asking_price),
        "invoice_price_yuan": _scalar(facts.invoice_price),
        "valuation_yuan": _valuation(facts, stage_features),
        "term_months": float(facts.term_months),
        "first_registration_day": day_number(facts.first_registration_date),
        "mileage_km": float(facts.mileage_km),
        "product_type": facts.product_type,
        "seller_type": facts.seller_type,
        "lead_source": facts.lead_source,
        "fuel_type": facts.fuel_type,
        "sp_grade": facts.sp_grade,
        "first_credit_day": _date_day(g("bureau_first_credit_date")),
        "outstanding_debt_yuan": _scalar(g("outstanding_debt_yuan")),
    }
    for name in (
        "phone_tenure_months",
        "has_credit_file",
        "hard_queries_90d",
        "institutions_applied_30d",
        "open_credit_institutions",
        "delinquencies_24m",
        "max_dpd_24m",
        "court_enforced",
        "court_dishonest",
    ):
        raw[name] = _scalar(g(name))
    return {
        k: np.array([v], dtype=object if isinstance(v, str | None) else np.float64)
        for k, v in raw.items()
    }


def _scalar(value: Any) -> float:
    if value is None or isinstance(value, str):
        return float("nan")
    if isinstance(value, bool | int | float | Decimal):
        return float(value)
    return float("nan")


def _date_day(value: Any) -> float:
    """Day number of a date or an ISO date string (features are stored as JSON)."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return float("nan")
    return day_number(value) if isinstance(value, date) else float("nan")


def _valuation(facts: Any, stage_features: Mapping[str, Any]) -> float:
    """The fair value (P50) the model was trained on, never the conservative LTV basis."""
    for name in ("valuation_p50", "valuation_yuan"):
        direct = _scalar(stage_features.get(name))
        if not np.isnan(direct):
            return direct
    ltv = _scalar(stage_features.get("ltv"))
    if ltv > 0:
        return float(facts.amount) / ltv
    return float("nan")


def application_features(
    facts: Any, stage_features: Mapping[str, Any], business_date: date
) -> dict[str, Any]:
    """The declared features of one application as plain values (None when missing).

    Parameters
    ----------
    facts : ApplicationFacts
    stage_features : mapping
    business_date : date

    Returns
    -------
    dict of str to float, str or None
    """
    columns = compute(raw_from_application(facts, stage_features, business_date))
    out: dict[str, Any] = {}
    for name, values in columns.items():
        value = values[0]
        if isinstance(value, float | np.floating):
            out[name] = None if np.isnan(value) else float(value)
        else:
            out[name] = value
    return out
