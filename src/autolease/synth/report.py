"""``autolease synth report``: marginals, fraud mix, default rates and a logistic-regression AUC.

The logistic regression is a plain Newton/IRLS fit in numpy (no scikit-learn) on observable
features only, trained on the first 70 % of booked contracts by application date and scored on
the last 30 %, with the booked contracts' ``default_flag`` from the truth table as the label.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd  # type: ignore[import-untyped]

from autolease.synth.calibration import AUC_RANGE

F64 = npt.NDArray[np.float64]

FEATURES = (
    "log_income", "pti", "ltv", "down_ratio", "log_asking", "vehicle_age", "km_per_year",
    "term", "hard_queries_90d", "institutions_applied_30d", "open_credit_institutions",
    "any_delinquency", "max_dpd_90", "thin_file", "court_enforced", "log_phone_tenure",
    "applicant_age", "corporate", "sale_leaseback", "operating_lease", "grade_b", "grade_c",
    "grade_d", "partner_referral",
)  # fmt: skip


def fit_logistic(x: F64, y: F64, ridge: float = 1e-4, iterations: int = 30) -> F64:
    """Logistic regression by Newton's method (IRLS) with a tiny ridge for stability.

    Parameters
    ----------
    x : ndarray of float64, shape (n, k)
        Features; an intercept column is added.
    y : ndarray of float64, shape (n,)
        Labels in {0, 1}.
    ridge : float
        L2 penalty on the non-intercept weights.
    iterations : int
        Maximum Newton steps.

    Returns
    -------
    ndarray of float64, shape (k + 1,)
        Intercept first.
    """
    design = np.column_stack([np.ones(len(x)), x])
    beta = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], ridge)
    penalty[0] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ beta, -30, 30)))
        gradient = design.T @ (y - p) - penalty * beta
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta = beta + step
        if np.max(np.abs(step)) < 1e-8:
            break
    return beta


def predict_logistic(beta: F64, x: F64) -> F64:
    """Probabilities of a fitted logistic regression.

    Parameters
    ----------
    beta : ndarray of float64
    x : ndarray of float64

    Returns
    -------
    ndarray of float64
    """
    return np.asarray(1.0 / (1.0 + np.exp(-(beta[0] + x @ beta[1:]))), dtype=np.float64)


def auc(score: F64, label: npt.NDArray[Any]) -> float:
    """Area under the ROC curve (Mann-Whitney, ties averaged).

    Parameters
    ----------
    score : ndarray of float64
    label : ndarray of bool or int

    Returns
    -------
    float
    """
    positive = np.asarray(label, dtype=bool)
    n_pos, n_neg = int(positive.sum()), int((~positive).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = pd.Series(score).rank(method="average").to_numpy()
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def feature_frame(tables: Mapping[str, Any]) -> pd.DataFrame:
    """Observable features and label of every booked contract, in application order.

    Parameters
    ----------
    tables : mapping of str to pyarrow.Table
        At least ``applications``, ``applicants``, ``bureau``, ``vehicles``, ``sps``, ``truth``.

    Returns
    -------
    pandas.DataFrame
        Columns ``FEATURES`` plus ``label`` and ``application_date``.
    """
    app = _frame(tables["applications"])
    applicant = _frame(tables["applicants"])[["applicant_id", "kind", "birth_date"]]
    bureau = _frame(tables["bureau"]).drop(columns=["applicant_id"])
    vehicle = _frame(tables["vehicles"])[["vehicle_id", "first_registration_date"]]
    grade = _frame(tables["sps"])[["sp_code", "grade"]]
    truth = _frame(tables["truth"])[["application_id", "booked", "default_flag"]]
    df = app.merge(truth, on="application_id").merge(bureau, on="application_id")
    df = df.merge(applicant, on="applicant_id").merge(vehicle, on="vehicle_id")
    df["sp_code"] = df["sp_code"].astype(str)
    df = df.merge(grade, on="sp_code")
    df = df[df["booked"]].sort_values("application_id").reset_index(drop=True)
    return _derive(df)


def _frame(table: Any) -> pd.DataFrame:
    frame: pd.DataFrame = table.to_pandas()
    return frame


def _days(later: pd.Series, earlier: pd.Series) -> pd.Series:
    delta = pd.to_datetime(later) - pd.to_datetime(earlier)
    return delta.dt.days.astype(float)


def _derive(df: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(index=df.index)
    income = df["monthly_income_fen"].astype(float) / 100
    corporate = (df["kind"].astype(str) == "corporate").astype(float)
    rent = df["quoted_monthly_rent_fen"].astype(float) / 100
    asking = df["asking_price_fen"].astype(float) / 100
    age = _days(df["application_date"], df["first_registration_date"]) / 365.25
    out["log_income"] = np.log(income.clip(lower=1000))
    out["pti"] = (rent / np.where(corporate > 0, income * 0.15, income).clip(min=1000)).clip(
        upper=2
    )
    out["ltv"] = (df["amount_fen"] / df["valuation_price_fen"]).clip(upper=2)
    out["down_ratio"] = df["down_payment_fen"] / df["asking_price_fen"]
    out["log_asking"] = np.log(asking)
    out["vehicle_age"] = age
    out["km_per_year"] = df["declared_mileage_km"] / age.clip(lower=0.25) / 10_000
    out["term"] = df["term_months"].astype(float) / 12
    for column in ("hard_queries_90d", "institutions_applied_30d", "open_credit_institutions"):
        out[column] = df[column].astype(float).clip(upper=15)
    out["any_delinquency"] = (df["delinquencies_24m"] > 0).astype(float)
    out["max_dpd_90"] = (df["max_dpd_24m"] >= 90).astype(float)
    out["thin_file"] = (~df["has_credit_file"]).astype(float)
    out["court_enforced"] = df["court_enforced"].astype(float)
    out["log_phone_tenure"] = np.log1p(df["phone_tenure_months"].astype(float))
    out["applicant_age"] = _days(df["application_date"], df["birth_date"]) / 365.25 / 10
    out["corporate"] = corporate
    product = df["product_type"].astype(str)
    out["sale_leaseback"] = (product == "sale_leaseback").astype(float)
    out["operating_lease"] = (product == "operating_lease").astype(float)
    for g in ("b", "c", "d"):
        out[f"grade_{g}"] = (df["grade"].astype(str) == g.upper()).astype(float)
    out["partner_referral"] = (df["lead_source"].astype(str) == "partner_referral").astype(float)
    out["label"] = df["default_flag"].astype(float)
    out["application_date"] = df["application_date"]
    return out


def logistic_auc(tables: Mapping[str, Any], train_share: float = 0.7) -> dict[str, Any]:
    """Out-of-time AUC of a plain logistic regression on the observable features.

    Parameters
    ----------
    tables : mapping of str to pyarrow.Table
    train_share : float
        Share of booked contracts (earliest by application) used for training.

    Returns
    -------
    dict
        ``auc_test``, ``auc_train``, sizes, default rates, ``in_range`` and coefficients.
    """
    df = feature_frame(tables)
    x = df[list(FEATURES)].to_numpy(dtype=np.float64)
    y = df["label"].to_numpy(dtype=np.float64)
    cut = int(len(df) * train_share)
    mean, sd = x[:cut].mean(axis=0), x[:cut].std(axis=0) + 1e-9
    z = (x - mean) / sd
    beta = fit_logistic(z[:cut], y[:cut])
    test_auc = auc(predict_logistic(beta, z[cut:]), y[cut:] > 0)
    return {
        "section": "logistic_regression",
        "features": list(FEATURES),
        "n_train": cut,
        "n_test": len(df) - cut,
        "default_rate_train": round(float(y[:cut].mean()), 4),
        "default_rate_test": round(float(y[cut:].mean()), 4),
        "auc_train": round(auc(predict_logistic(beta, z[:cut]), y[:cut] > 0), 4),
        "auc_test": round(test_auc, 4),
        "intended_range": list(AUC_RANGE),
        "in_range": bool(AUC_RANGE[0] <= test_auc <= AUC_RANGE[1]),
        "coefficients": {
            name: round(float(b), 4) for name, b in zip(("intercept", *FEATURES), beta, strict=True)
        },
    }


def _quantiles(series: pd.Series, scale: float = 1.0) -> dict[str, float]:
    qs = series.astype(float).quantile([0.1, 0.25, 0.5, 0.75, 0.9]) / scale
    return {f"p{int(q * 100)}": round(float(v), 2) for q, v in qs.items()}


def _shares(series: pd.Series, top: int | None = None) -> dict[str, float]:
    shares = series.astype(str).value_counts(normalize=True)
    if top is not None:
        shares = shares.head(top)
    return {str(k): round(float(v), 4) for k, v in shares.items()}


REPORT_TABLES = ("applications", "applicants", "bureau", "vehicles", "sps", "sp_truth", "truth")
"""Tables the report reads (schedules and payments are only counted)."""


def marginals(tables: Mapping[str, Any], rows: Mapping[str, int] | None = None) -> dict[str, Any]:
    """Row counts and the main marginal distributions.

    Parameters
    ----------
    tables : mapping of str to pyarrow.Table
    rows : mapping of str to int, optional
        Row counts of all tables (default: of ``tables``).

    Returns
    -------
    dict
    """
    app = _frame(tables["applications"])
    vehicles = _frame(tables["vehicles"])
    applicants = _frame(tables["applicants"])
    age = (
        pd.to_datetime(app["application_date"])
        - pd.to_datetime(
            app["vehicle_id"].map(vehicles.set_index("vehicle_id")["first_registration_date"])
        )
    ).dt.days / 365.25
    bins = pd.cut(age, [0, 3, 6, 10, 100], labels=["<3y", "3-6y", "6-10y", ">10y"])
    return {
        "section": "marginals",
        "rows": dict(rows) if rows else {name: int(t.num_rows) for name, t in tables.items()},
        "product_type": _shares(app["product_type"]),
        "lead_source": _shares(app["lead_source"]),
        "term_months": _shares(app["term_months"]),
        "fuel_type": _shares(app["fuel_type"]),
        "brand_top10": _shares(vehicles["brand"], 10),
        "vehicle_age": _shares(bins),
        "asking_price_cny": _quantiles(app["asking_price_fen"], 100),
        "km_per_year": _quantiles(app["declared_mileage_km"] / age.clip(lower=0.25)),
        "monthly_income_cny": _quantiles(app["monthly_income_fen"], 100),
        "applicant_kind": _shares(applicants["kind"]),
        "approval_rate": round(float(_frame(tables["truth"])["booked"].mean()), 4),
    }


def fraud_mix(tables: Mapping[str, Any]) -> dict[str, Any]:
    """Fraud rate, mix, ring sizes and SP counts per ring.

    Parameters
    ----------
    tables : mapping of str to pyarrow.Table

    Returns
    -------
    dict
    """
    truth = _frame(tables["truth"])
    app = _frame(tables["applications"])[["application_id", "sp_code"]]
    rings = truth.dropna(subset=["ring_id"]).merge(app, on="application_id")
    per_ring = rings.groupby("ring_id").agg(
        size=("application_id", "size"), sps=("sp_code", "nunique")
    )
    return {
        "section": "fraud_mix",
        "fraud_rate": round(float(truth["is_fraud"].mean()), 5),
        "mix": _shares(truth["fraud_type"].dropna()),
        "rings": len(per_ring),
        "ring_size": _quantiles(per_ring["size"]) if len(per_ring) else {},
        "ring_sps": _quantiles(per_ring["sps"]) if len(per_ring) else {},
        "bad_identifier": _shares(truth["bad_identifier"].dropna()),
        "fraud_default_rate": round(
            float(truth.loc[truth["is_fraud"], "latent_default_flag"].mean()), 4
        ),
    }


def default_rates(tables: Mapping[str, Any]) -> dict[str, Any]:
    """Default rate of booked contracts by SP grade and by product, and FPD by SP kind.

    Parameters
    ----------
    tables : mapping of str to pyarrow.Table

    Returns
    -------
    dict
    """
    truth = _frame(tables["truth"])
    app = _frame(tables["applications"])[["application_id", "sp_code", "product_type"]]
    sps = _frame(tables["sps"])[["sp_code", "grade"]].merge(
        _frame(tables["sp_truth"]), on="sp_code"
    )
    df = truth[truth["booked"]].merge(app, on="application_id")
    df["sp_code"] = df["sp_code"].astype(str)
    df = df.merge(sps, on="sp_code")
    df["default"] = df["default_flag"].astype(float)
    df["fpd"] = (df["default_month"] == 1).astype(float)

    def rate(column: str) -> dict[str, float]:
        grouped = df.groupby(df[column].astype(str))["default"].mean()
        return {str(k): round(float(v), 4) for k, v in grouped.items()}

    return {
        "section": "default_rates",
        "overall": round(float(df["default"].mean()), 4),
        "by_sp_grade": rate("grade"),
        "by_product": rate("product_type"),
        "fpd_bad_sps": round(float(df.loc[df["is_bad_sp"], "fpd"].mean()), 4),
        "fpd_other_sps": round(float(df.loc[~df["is_bad_sp"], "fpd"].mean()), 4),
    }


def build_report(
    tables: Mapping[str, Any], rows: Mapping[str, int] | None = None
) -> list[dict[str, Any]]:
    """All report sections.

    Parameters
    ----------
    tables : mapping of str to pyarrow.Table
        At least ``REPORT_TABLES``.
    rows : mapping of str to int, optional
        Row counts of all tables.

    Returns
    -------
    list of dict
        One JSON-serialisable dict per section.
    """
    return [marginals(tables, rows), fraud_mix(tables), default_rates(tables), logistic_auc(tables)]
