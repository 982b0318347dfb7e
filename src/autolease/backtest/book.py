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

import numpy as np
import numpy.typing as npt
import pandas as pd  # type: ignore[import-untyped]
import pyarrow as pa
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
_SIGNER = ("name", "id_number", "phone")
_VEHICLES = ["vehicle_id", "vin", "plate", "first_registration_date"]
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
    tables = [
        ("applicant_id", _signing(_read(directory, "applicants", _APPLICANTS))),
        ("vehicle_id", _read(directory, "vehicles", _VEHICLES)),
        ("sp_code", _read(directory, "sps", ["sp_code", "grade"]).astype({"sp_code": str})),
        ("application_id", _read(directory, "bureau", _BUREAU)),
        ("application_id", _read(directory, "truth", _TRUTH)),
    ]
    scores_path = directory / "scores.parquet"
    if scores_path.exists():
        tables.append(("application_id", read_scores(scores_path)))
    frame = apps.reset_index(drop=True)
    frame["sp_code"] = frame["sp_code"].astype(str)
    for key, table in tables:
        frame = left_join(frame, table, key)
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


def sp_codes(directory: Path) -> pd.DataFrame:
    """``application_id`` and ``sp_code`` of every application (for figures by SP)."""
    frame = _read(directory, "applications", ["application_id", "sp_code"])
    return frame.astype({"sp_code": str})


def _read(directory: Path, table: str, columns: Sequence[str]) -> pd.DataFrame:
    path = directory / f"{table}.parquet"
    if not path.exists():
        raise BookInvalid(
            f"{path} is missing: --data must be a directory written by `autolease synth`",
            errors=[FieldError(f"data.{table}", "missing", "table not found", "缺少数据表")],
        )
    schema = pq.read_schema(path)
    for column in columns:
        if column not in schema.names:
            raise _missing(f"{table}.parquet", column)
    wanted = pa.schema([_as_read(schema.field(c)) for c in columns], metadata=schema.metadata)
    frame: pd.DataFrame = pq.read_table(path, columns=list(columns), schema=wanted).to_pandas(
        date_as_object=False
    )
    return frame


def _as_read(field: pa.Field) -> pa.Field:
    """Text columns are read as ``large_string``, pandas' ``str`` storage.

    Arrow then decodes them once: dictionary columns would become ``category``, whose
    ``astype(str)`` goes through Python objects, and ``string`` ones are copied by pandas.
    """
    kind = field.type.value_type if pa.types.is_dictionary(field.type) else field.type
    return field.with_type(pa.large_string()) if pa.types.is_string(kind) else field


def left_join(frame: pd.DataFrame, table: pd.DataFrame, key: str) -> pd.DataFrame:
    """Left-join ``table`` on ``key``, by row position when every key matches one row.

    Equal to ``frame.merge(table, on=key, how="left")`` (its fallback when a key is missing
    or repeated in ``table``, or a column name clashes) without hashing both key columns and
    copying every column of ``frame``.
    """
    rows = _rows(frame[key], table[key])
    columns = table.columns.drop(key)
    if rows is None or columns.isin(frame.columns).any():
        return frame.merge(table, on=key, how="left")
    picked = table[columns].iloc[rows].set_axis(frame.index)
    return pd.concat([frame, picked], axis=1)


def _rows(keys: pd.Series, table_keys: pd.Series) -> slice | npt.NDArray[np.intp] | None:
    """Row of ``table_keys`` matching each key; None unless each key matches exactly one."""
    index = pd.Index(table_keys)
    if not index.is_unique:
        return None
    if index[: len(keys)].equals(pd.Index(keys)):
        return slice(0, len(keys))  # the usual case: a table per application, same order
    rows = index.get_indexer(keys)
    return None if (rows < 0).any() else rows


def _missing(where: str, column: str) -> BookInvalid:
    return BookInvalid(
        f"{where} has no column {column!r}",
        errors=[FieldError(f"data.{column}", "missing", "column not found", "缺少数据列")],
    )


def _signing(people: pd.DataFrame) -> pd.DataFrame:
    """Applicants with ``name``, ``id_number`` and ``phone`` of the person who signs.

    That is the legal representative of a company; chosen before the join, the
    representative's columns need not be joined.
    """
    corporate = people["kind"].astype(str) == "corporate"
    signer = {f: people[f"legal_rep_{f}"].where(corporate, people[f]) for f in _SIGNER}
    return people.assign(**signer).drop(columns=[f"legal_rep_{f}" for f in _SIGNER])


def _shape(frame: pd.DataFrame) -> pd.DataFrame:
    """Rename and pick the book columns, keeping each column's dtype (no object round trips)."""
    frame = frame.reset_index(drop=True)
    out = pd.DataFrame(
        {
            "application_id": frame["application_id"],
            "submitted_at": frame["submitted_at"],
            "applicant_kind": frame["kind"].astype(str),
            "person_name": frame["name"],
            "id_number": frame["id_number"],
            "phone": frame["phone"],
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
