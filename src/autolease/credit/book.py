"""Raw credit inputs and the default target from a synthetic-book style set of tables (pure).

The tables are those written by `autolease.synth` (``applications``, ``applicants``,
``vehicles``, ``bureau``, ``sps``, ``truth``), passed in as pandas frames or pyarrow tables;
the caller reads the files. Columns map one to one onto `features.RAW_INPUTS` (money from fen
to yuan, dates to day numbers, the applicant's age in whole calendar years on the application
date), then `features.compute` builds the features exactly as serving does.

Only booked applications with an observed outcome are labelled (``truth.default_flag``); the
latent columns of ``truth`` are never read. Any other book with the same columns works.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from autolease.credit.exceptions import CreditDataInvalid
from autolease.credit.features import compute

F64 = npt.NDArray[np.float64]
REQUIRED = {
    "applications": (
        "application_id",
        "applicant_id",
        "vehicle_id",
        "sp_code",
        "application_date",
        "product_type",
        "term_months",
        "amount_fen",
        "down_payment_fen",
        "asking_price_fen",
        "monthly_income_fen",
    ),
    "applicants": ("applicant_id", "kind", "birth_date"),
    "vehicles": ("vehicle_id", "first_registration_date"),
    "truth": ("application_id", "booked", "default_flag"),
}
_BUREAU_COUNTS = (
    "hard_queries_90d",
    "institutions_applied_30d",
    "open_credit_institutions",
    "delinquencies_24m",
    "max_dpd_24m",
)


@dataclass(frozen=True)
class BookFrame:
    """Features, target and dates of the labelled applications of a book."""

    features: pd.DataFrame
    y: npt.NDArray[np.int8]
    application_date: npt.NDArray[np.datetime64]
    application_id: npt.NDArray[np.int64]


def _frame(table: Any) -> pd.DataFrame:
    if isinstance(table, pd.DataFrame):
        return table
    return table.to_pandas()


def _check(tables: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    frames = {}
    for name, columns in REQUIRED.items():
        if name not in tables:
            raise CreditDataInvalid(f"the book has no {name!r} table")
        frame = _frame(tables[name])
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise CreditDataInvalid(f"table {name!r} lacks columns {missing}")
        frames[name] = frame
    for name in ("bureau", "sps"):
        if name in tables:
            frames[name] = _frame(tables[name])
    return frames


def _days(series: pd.Series) -> F64:
    values = pd.to_datetime(series).to_numpy(dtype="datetime64[D]")
    out = np.asarray(values.astype("int64"), dtype=np.float64)
    out[np.isnat(values)] = np.nan
    return out


def whole_years(birth_day: F64, as_of_day: F64) -> F64:
    """Age in whole calendar years (birthday reached or not) between two day numbers.

    Parameters
    ----------
    birth_day, as_of_day : ndarray of float64
        Days since 1970-01-01 (NaN = unknown).

    Returns
    -------
    ndarray of float64

    Examples
    --------
    >>> d = lambda s: float(np.datetime64(s, "D").astype(np.int64))
    >>> whole_years(np.array([d("1990-06-15")]), np.array([d("2026-06-14")])).tolist()
    [35.0]
    """
    known = ~(np.isnan(birth_day) | np.isnan(as_of_day))
    born = np.where(known, birth_day, 0).astype("int64").astype("datetime64[D]")
    today = np.where(known, as_of_day, 0).astype("int64").astype("datetime64[D]")
    by, ty = born.astype("datetime64[Y]"), today.astype("datetime64[Y]")
    years = (ty - by).astype(np.int64)
    bm, tm = _month_of_year(born), _month_of_year(today)
    bd, td = _day_of_month(born), _day_of_month(today)
    before_birthday = (tm < bm) | ((tm == bm) & (td < bd))
    return np.where(known, years - before_birthday, np.nan).astype(np.float64)


def _month_of_year(days: Any) -> Any:
    return (days.astype("datetime64[M]") - days.astype("datetime64[Y]")).astype(np.int64)


def _day_of_month(days: Any) -> Any:
    return (days - days.astype("datetime64[M]")).astype(np.int64)


def raw_from_book(tables: Mapping[str, Any]) -> tuple[dict[str, Any], pd.DataFrame]:
    """Raw inputs of every application of a book, and the joined application rows.

    Parameters
    ----------
    tables : mapping of str to pandas.DataFrame or pyarrow.Table

    Returns
    -------
    (dict of str to ndarray, pandas.DataFrame)
    """
    frames = _check(tables)
    apps = frames["applications"]
    joined = apps.merge(
        frames["applicants"][["applicant_id", "kind", "birth_date"]],
        on="applicant_id",
        how="left",
        validate="many_to_one",
    ).merge(
        frames["vehicles"][["vehicle_id", "first_registration_date"]],
        on="vehicle_id",
        how="left",
        validate="many_to_one",
    )
    if "bureau" in frames:
        joined = joined.merge(
            frames["bureau"].drop(columns=["applicant_id"], errors="ignore"),
            on="application_id",
            how="left",
            validate="one_to_one",
        )
    if "sps" in frames:
        sps = frames["sps"][["sp_code", "grade"]].rename(columns={"grade": "sp_grade"})
        joined = joined.merge(sps, on="sp_code", how="left", validate="many_to_one")
    return _raw(joined), joined


def _money(frame: pd.DataFrame, column: str) -> F64:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    return np.asarray(pd.to_numeric(frame[column], errors="coerce"), dtype=np.float64) / 100.0


def _number(frame: pd.DataFrame, column: str) -> F64:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    parsed = pd.to_numeric(frame[column].astype(object), errors="coerce")
    return np.asarray(parsed, dtype=np.float64)


def _text(frame: pd.DataFrame, column: str) -> npt.NDArray[np.object_]:
    if column not in frame.columns:
        return np.full(len(frame), None, dtype=object)
    values = frame[column].astype(object)
    return np.asarray(values.where(values.notna(), None).map(_plain), dtype=object)


def _plain(value: Any) -> Any:
    return None if value is None else str(value)


def _raw(j: pd.DataFrame) -> dict[str, Any]:
    as_of = _days(j["application_date"])
    raw: dict[str, Any] = {
        "as_of_day": as_of,
        "applicant_age": whole_years(_days(j["birth_date"]), as_of),
        "applicant_kind": _text(j, "kind"),
        "monthly_income_yuan": _money(j, "monthly_income_fen"),
        "amount_yuan": _money(j, "amount_fen"),
        "down_payment_yuan": _money(j, "down_payment_fen"),
        "asking_price_yuan": _money(j, "asking_price_fen"),
        "invoice_price_yuan": _money(j, "invoice_price_fen"),
        "valuation_yuan": _money(j, "valuation_price_fen"),
        "term_months": _number(j, "term_months"),
        "first_registration_day": _days(j["first_registration_date"]),
        "mileage_km": _number(j, "declared_mileage_km"),
        "product_type": _text(j, "product_type"),
        "seller_type": _text(j, "seller_type"),
        "lead_source": _text(j, "lead_source"),
        "fuel_type": _text(j, "fuel_type"),
        "sp_grade": _text(j, "sp_grade"),
        "phone_tenure_months": _number(j, "phone_tenure_months"),
        "has_credit_file": _number(j, "has_credit_file"),
        "first_credit_day": _days(j["first_credit_date"])
        if "first_credit_date" in j
        else np.full(len(j), np.nan),
        "outstanding_debt_yuan": _money(j, "outstanding_debt_fen"),
        "court_enforced": _number(j, "court_enforced"),
        "court_dishonest": _number(j, "court_dishonest"),
    }
    for name in _BUREAU_COUNTS:
        raw[name] = _number(j, name)
    return raw


def book_frame(tables: Mapping[str, Any]) -> BookFrame:
    """Features and the observed default flag of the booked, labelled applications.

    Parameters
    ----------
    tables : mapping of str to pandas.DataFrame or pyarrow.Table

    Returns
    -------
    BookFrame
    """
    raw, joined = raw_from_book(tables)
    features = pd.DataFrame(compute(raw))
    truth = _check(tables)["truth"][["application_id", "booked", "default_flag"]]
    labelled = joined[["application_id"]].merge(truth, on="application_id", how="left")
    flag = labelled["default_flag"].astype(object)
    keep = (labelled["booked"].astype(object) == True).to_numpy() & flag.notna().to_numpy()  # noqa: E712
    if keep.sum() == 0:
        raise CreditDataInvalid("the book has no booked application with an observed outcome")
    y = flag[keep].astype(bool).to_numpy().astype(np.int8)
    dates = pd.to_datetime(joined["application_date"]).to_numpy(dtype="datetime64[D]")[keep]
    return BookFrame(
        features=features[keep].reset_index(drop=True),
        y=y,
        application_date=dates,
        application_id=joined["application_id"].to_numpy(np.int64)[keep],
    )
