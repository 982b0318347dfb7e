"""The backtest's input: one row per historical application (pure pandas; reads Parquet).

`load_book(directory)` reads a synthetic book written by ``autolease synth`` (see
docs/synth.md) and joins what the pipeline would have known at application time:

* the application as submitted (applicant, vehicle, financing, SP grade) → the
  ``ApplicationFacts`` the stages read;
* bureau and court-list results as of the application (in production they come from the
  identity providers' prefetchers) → features ``hard_queries_90d``, ``court_*`` …;
* the vendor valuation ``valuation_price_fen`` (the vehicle stage values the car with it,
  see `autolease.backtest.stages`; vehicle history is read by the vehicle stage's own
  history provider from ``vehicle_history.parquet``);
* optional model scores (``scores.parquet``: ``application_id`` + any of ``credit_pd``,
  ``credit_score``, ``credit_grade``, ``fraud_score``, ``fraud_ring_flag``);
* outcomes for the report: ``booked``, ``default_flag`` (observed, booked only),
  ``latent_default_flag`` (the book's counterfactual outcome of every application) and
  ``is_fraud``.

Another source of history works if it produces the same columns (`BOOK_COLUMNS`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd  # type: ignore[import-untyped]
import pyarrow.parquet as pq

from autolease.backtest.exceptions import BookInvalid
from autolease.exceptions import FieldError

SCORE_COLUMNS = ("credit_pd", "credit_score", "credit_grade", "fraud_score", "fraud_ring_flag")
OUTCOME_COLUMNS = ("booked", "default_flag", "latent_default_flag", "is_fraud")
FACT_COLUMNS = (
    "application_id",
    "submitted_at",
    "applicant_kind",
    "person_name",
    "id_number",
    "phone",
    "uscc",
    "bank_card",
    "province",
    "monthly_income_fen",
    "vin",
    "plate",
    "brand",
    "first_registration_date",
    "mileage_km",
    "asking_price_fen",
    "invoice_price_fen",
    "fuel_type",
    "seller_type",
    "product_type",
    "amount_fen",
    "term_months",
    "down_payment_fen",
    "monthly_budget_fen",
    "lead_source",
    "sp_grade",
)
FEATURE_COLUMNS = (
    "hard_queries_90d",
    "institutions_applied_30d",
    "open_credit_institutions",
    "court_dishonest",
    "court_spending_ban",
    "court_enforced",
    "valuation_price_fen",
)
MODEL_COLUMNS = (
    "quoted_monthly_rent_fen",
    "phone_tenure_months",
    "face_match_score",
    "device_fingerprint",
    "device_emulator",
    "device_rooted",
    "ip_province",
    "has_credit_file",
    "delinquencies_24m",
    "max_dpd_24m",
    "application_date",
)
"""Observable inputs of the stand-in models (`autolease.backtest.standin`); not policy inputs."""
BOOK_COLUMNS = FACT_COLUMNS + FEATURE_COLUMNS + OUTCOME_COLUMNS + MODEL_COLUMNS

_APPLICATIONS = [
    "application_id",
    "applicant_id",
    "vehicle_id",
    "sp_code",
    "submitted_at",
    "application_date",
    "lead_source",
    "product_type",
    "term_months",
    "declared_brand",
    "fuel_type",
    "declared_mileage_km",
    "asking_price_fen",
    "invoice_price_fen",
    "valuation_price_fen",
    "seller_type",
    "amount_fen",
    "down_payment_fen",
    "monthly_budget_fen",
    "monthly_income_fen",
    "bank_card",
    "quoted_monthly_rent_fen",
    "phone_tenure_months",
    "face_match_score",
    "device_fingerprint",
    "device_emulator",
    "device_rooted",
    "ip_province",
]
_APPLICANTS = [
    "applicant_id",
    "kind",
    "name",
    "id_number",
    "uscc",
    "legal_rep_name",
    "legal_rep_id_number",
    "legal_rep_phone",
    "phone",
    "province",
]
_BUREAU = [
    "application_id",
    "hard_queries_90d",
    "institutions_applied_30d",
    "open_credit_institutions",
    "court_dishonest",
    "court_enforced",
    "spending_ban",
    "has_credit_file",
    "delinquencies_24m",
    "max_dpd_24m",
]
_TRUTH = ["application_id", "is_fraud", "booked", "default_flag", "latent_default_flag"]


def load_book(directory: Path, *, limit: int | None = None) -> pd.DataFrame:
    """Read and join a synthetic book into the backtest frame.

    Parameters
    ----------
    directory : Path
        Output of ``autolease synth`` (Parquet tables).
    limit : int, optional
        Keep the first ``limit`` applications (in application order).

    Returns
    -------
    pandas.DataFrame
        `BOOK_COLUMNS` (plus score columns when ``scores.parquet`` exists), one row per
        application, in application order.

    Raises
    ------
    BookInvalid
        A table or a column is missing (the error names it).
    """
    apps = _read(directory, "applications", _APPLICATIONS)
    if limit is not None:
        apps = apps.iloc[:limit]
    people = _read(directory, "applicants", _APPLICANTS)
    cars = _read(directory, "vehicles", ["vehicle_id", "vin", "plate", "first_registration_date"])
    sps = _read(directory, "sps", ["sp_code", "grade"])
    frame = apps.merge(people, on="applicant_id", how="left", suffixes=("", "_applicant"))
    frame = frame.merge(cars, on="vehicle_id", how="left")
    frame["sp_code"] = frame["sp_code"].astype(str)
    frame = frame.merge(sps.astype({"sp_code": str}), on="sp_code", how="left")
    frame = frame.merge(_read(directory, "bureau", _BUREAU), on="application_id", how="left")
    frame = frame.merge(_read(directory, "truth", _TRUTH), on="application_id", how="left")
    scores_path = directory / "scores.parquet"
    if scores_path.exists():
        frame = frame.merge(read_scores(scores_path), on="application_id", how="left")
    return _shape(frame)


def count_applications(directory: Path) -> int:
    """Applications in a book, from the Parquet footer (0 when there is no such table)."""
    path = directory / "applications.parquet"
    if not path.is_file():
        return 0
    return int(pq.read_metadata(path).num_rows)


def read_scores(path: Path) -> pd.DataFrame:
    """Model scores by application (``application_id`` plus any of `SCORE_COLUMNS`)."""
    scores = pd.read_parquet(path)
    if "application_id" not in scores.columns:
        raise _missing(str(path), "application_id")
    return scores[["application_id", *[c for c in SCORE_COLUMNS if c in scores.columns]]]


def _read(directory: Path, table: str, columns: Sequence[str]) -> pd.DataFrame:
    path = directory / f"{table}.parquet"
    if not path.exists():
        raise BookInvalid(
            f"{path} is missing: --data must be a directory written by `autolease synth`",
            errors=[FieldError(f"data.{table}", "missing", "table not found", "缺少数据表")],
        )
    names = set(pq.read_schema(path).names)
    for column in columns:
        if column not in names:
            raise _missing(f"{table}.parquet", column)
    frame: pd.DataFrame = pq.read_table(path, columns=list(columns)).to_pandas(date_as_object=False)
    return frame


def _missing(where: str, column: str) -> BookInvalid:
    return BookInvalid(
        f"{where} has no column {column!r}",
        errors=[FieldError(f"data.{column}", "missing", "column not found", "缺少数据列")],
    )


def _shape(frame: pd.DataFrame) -> pd.DataFrame:
    """Rename and pick the book columns, keeping each column's dtype (no object round trips)."""
    frame = frame.reset_index(drop=True)
    corporate = frame["kind"].astype(str) == "corporate"

    def person(field: str) -> pd.Series:
        return frame[f"legal_rep_{field}"].where(corporate, frame[field])

    out = pd.DataFrame(
        {
            "application_id": frame["application_id"],
            "submitted_at": frame["submitted_at"],
            "applicant_kind": frame["kind"].astype(str),
            "person_name": person("name"),
            "id_number": person("id_number"),
            "phone": person("phone"),
            "uscc": frame["uscc"],
            "bank_card": frame["bank_card"],
            "province": frame["province"],
            "monthly_income_fen": frame["monthly_income_fen"],
            "vin": frame["vin"],
            "plate": frame["plate"],
            "brand": frame["declared_brand"],
            "first_registration_date": _day(frame["first_registration_date"]),
            "mileage_km": frame["declared_mileage_km"],
            "asking_price_fen": frame["asking_price_fen"],
            "invoice_price_fen": frame["invoice_price_fen"],
            "fuel_type": frame["fuel_type"].astype("string").astype(str),
            "seller_type": frame["seller_type"].astype(str),
            "product_type": frame["product_type"].astype(str),
            "amount_fen": frame["amount_fen"],
            "term_months": frame["term_months"],
            "down_payment_fen": frame["down_payment_fen"],
            "monthly_budget_fen": frame["monthly_budget_fen"],
            "lead_source": frame["lead_source"].astype(str),
            "sp_grade": frame["grade"],
            "court_spending_ban": frame["spending_ban"],
        }
    )
    out["application_date"] = _day(frame["application_date"])
    for column in FEATURE_COLUMNS + OUTCOME_COLUMNS + SCORE_COLUMNS + MODEL_COLUMNS:
        if column in frame.columns and column not in out.columns:
            out[column] = frame[column]
    if "default_flag" in out.columns:
        out["default_flag"] = out["default_flag"].astype("boolean")
    return out


def _day(column: pd.Series) -> pd.Series:
    """A date column as ``datetime64[s]`` (Parquet ``date32`` is read as datetimes)."""
    return pd.to_datetime(column).astype("datetime64[s]")
