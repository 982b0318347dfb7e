"""Stand-in credit and fraud scores for books without model scores (pure numpy/pandas).

The credit and fraud models arrive with their own issues; until they can score a book, a
backtest of the default policy would refer everything (``DATA_MISSING_CREDIT_PD``,
``DATA_MISSING_FRAUD_SCORE``). These stand-ins are plain logistic regressions (the synth
report's IRLS fit) on observable columns of the book, **fitted in-sample** on the book's own
labels: good enough to exercise policies, swap sets and timings, not models of record. The
report says when they were used.

* ``credit_pd``: P(default) fitted on booked applications (``default_flag``);
  ``credit_grade`` A-E from `GRADE_CUTS`; ``credit_score`` = 600 at odds 19:1, 50 points to
  double the odds.
* ``fraud_score``: P(fraud) fitted on every application (``is_fraud``).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import numpy.typing as npt
import pandas as pd  # type: ignore[import-untyped]

from autolease.synth.report import fit_logistic, predict_logistic

F64 = npt.NDArray[np.float64]
GRADE_CUTS = (0.03, 0.06, 0.10, 0.18)  # PD upper bounds of grades A-D; E above [P]
GRADES = np.array(["A", "B", "C", "D", "E"])
STANDIN_REF = "standin-logistic@1"


def credit_design(book: pd.DataFrame) -> F64:
    """Standardised observable credit features of every application (no intercept)."""
    income = book["monthly_income_fen"].astype("float64").clip(lower=100_000) / 100
    valuation = book["valuation_price_fen"].astype("float64").clip(lower=100)
    applied = pd.to_datetime(book["application_date"])
    registered = pd.to_datetime(book["first_registration_date"])
    columns = [
        np.log(income),
        book["quoted_monthly_rent_fen"].astype("float64") / 100 / income,
        (book["amount_fen"].astype("float64") / valuation).clip(upper=2),
        book["down_payment_fen"].astype("float64") / book["asking_price_fen"].astype("float64"),
        (applied - registered).dt.days.astype("float64") / 365.25,
        book["term_months"].astype("float64") / 12,
        book["hard_queries_90d"].astype("float64").clip(upper=15),
        book["institutions_applied_30d"].astype("float64").clip(upper=15),
        book["open_credit_institutions"].astype("float64").clip(upper=15),
        (book["delinquencies_24m"].astype("float64") > 0).astype("float64"),
        (book["max_dpd_24m"].astype("float64") >= 90).astype("float64"),
        (~book["has_credit_file"].astype(bool)).astype("float64"),
        book["court_enforced"].astype("float64"),
        np.log1p(book["phone_tenure_months"].astype("float64")),
        (book["applicant_kind"] == "corporate").astype("float64"),
        (book["product_type"] == "sale_leaseback").astype("float64"),
        (book["lead_source"] == "partner_referral").astype("float64"),
        *[(book["sp_grade"] == g).astype("float64") for g in ("B", "C", "D")],
    ]
    return _standardise(_stack(columns))


def fraud_design(book: pd.DataFrame) -> F64:
    """Standardised observable fraud signals (device sharing counted only from earlier rows)."""
    seen = device_seen(book)
    valuation = book["valuation_price_fen"].astype("float64").clip(lower=100)
    invoice = book["invoice_price_fen"].astype("float64")
    price = invoice.where(invoice.notna(), book["asking_price_fen"].astype("float64"))
    columns = [
        book["face_match_score"].astype("float64").fillna(1.0),
        (book["phone_tenure_months"].astype("float64") < 6).astype("float64"),
        book["device_emulator"].astype("float64"),
        book["device_rooted"].astype("float64"),
        (book["ip_province"].astype(str) != book["province"].astype(str)).astype("float64"),
        (price / valuation).clip(upper=3),
        (~book["has_credit_file"].astype(bool)).astype("float64"),
        (book["lead_source"] == "partner_referral").astype("float64"),
        np.log1p(seen.astype("float64")),
    ]
    return _standardise(_stack(columns))


def device_seen(book: pd.DataFrame) -> pd.Series:
    """Earlier applications (by ``application_id``) from the same ``device_fingerprint``.

    A missing fingerprint counts as one device. The fingerprints are hashed once, into
    integer codes, which are cheaper to group than strings.

    >>> book = pd.DataFrame({"application_id": [3, 1, 2], "device_fingerprint": ["a", "a", "b"]})
    >>> device_seen(book).tolist()
    [1, 0, 0]
    """
    device = pd.factorize(book["device_fingerprint"], use_na_sentinel=False)[0]
    order = pd.DataFrame({"application_id": book["application_id"], "device": device})
    order = order.set_axis(book.index).sort_values("application_id")
    return order.groupby("device").cumcount().reindex(book.index)


def _stack(columns: list[pd.Series]) -> F64:
    """The columns side by side, in C order (`np.column_stack` copies them slowly, strided)."""
    rows = np.stack([np.asarray(c, dtype="float64") for c in columns])
    return np.ascontiguousarray(rows.T)


def _standardise(x: F64) -> F64:
    """Non-finite values to 0, then each column to mean 0 and sd 1, in place."""
    x[~np.isfinite(x)] = 0.0
    mean, sd = x.mean(axis=0), x.std(axis=0)
    x -= mean
    x /= sd + 1e-9
    return x


def standin_scores(book: pd.DataFrame) -> pd.DataFrame:
    """Stand-in scores for every application of ``book`` (needs its outcome columns).

    Parameters
    ----------
    book : pandas.DataFrame
        A backtest book with `autolease.backtest.book.MODEL_COLUMNS` and outcomes.

    Returns
    -------
    pandas.DataFrame
        ``application_id``, ``credit_pd``, ``credit_grade``, ``credit_score``,
        ``fraud_score``.
    """
    with ThreadPoolExecutor(max_workers=2) as threads:  # numpy's big loops release the GIL
        credit = threads.submit(fitted_credit_pd, book)
        fraud_hat = fitted_fraud_score(book)
        pd_hat = credit.result()
    return pd.DataFrame(
        {
            "application_id": book["application_id"].to_numpy(),
            "credit_pd": np.round(pd_hat, 5),
            "credit_grade": grade_of(pd_hat),
            "credit_score": score_of(pd_hat),
            "fraud_score": np.round(fraud_hat, 5),
        }
    )


def fitted_credit_pd(book: pd.DataFrame) -> F64:
    """P(default) of every application, fitted on the booked ones' ``default_flag``."""
    x = credit_design(book)
    booked = book["booked"].fillna(False).astype(bool).to_numpy()
    default = book["default_flag"].fillna(False).astype(bool).to_numpy(dtype="float64")
    return predict_logistic(fit_logistic(x[booked], default[booked]), x)


def fitted_fraud_score(book: pd.DataFrame) -> F64:
    """P(fraud) of every application, fitted on all of them (``is_fraud``)."""
    x = fraud_design(book)
    fraud = book["is_fraud"].fillna(False).astype(bool).to_numpy(dtype="float64")
    return predict_logistic(fit_logistic(x, fraud), x)


def grade_of(pd_hat: F64) -> npt.NDArray[np.str_]:
    """Grade A-E of each PD by `GRADE_CUTS`.

    >>> grade_of(np.array([0.01, 0.05, 0.5])).tolist()
    ['A', 'B', 'E']
    """
    return np.asarray(GRADES[np.searchsorted(np.array(GRADE_CUTS), pd_hat, side="right")])


def score_of(pd_hat: F64) -> npt.NDArray[np.int64]:
    """Points: 600 at odds 19:1 (PD 5 %), 50 points to double the odds.

    >>> score_of(np.array([0.05])).tolist()
    [600]
    """
    p = np.clip(pd_hat, 1e-6, 1 - 1e-6)
    odds = (1 - p) / p
    return np.asarray(np.round(600 + 50 * np.log2(odds / 19)), dtype=np.int64)
