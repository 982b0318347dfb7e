"""File-backed sources of the vehicle domain: the synthetic book's history and price tables.

The book (``autolease synth --out DIR``) writes Parquet tables; the ones read here:

``vehicle_history.parquet``
    ``vehicle_id, vin, event_date (date32), event_type (odometer_reading | transfer |
    insurance_claim), claim_type (accident | flood | fire | total_loss; null unless a claim),
    claim_amount_fen (int64, null unless a claim), odometer_km (int64, null unless a reading)``
``vehicles.parquet``
    ``vehicle_id, vin, plate, brand, model, fuel_type, first_registration_date, model_year,
    msrp_fen``
``applications.parquet`` / ``applicants.parquet``
    the declared car, prices in fen, application date; the applicant's province.

``ParquetHistoryProvider`` loads the history once into a sorted numpy record array (14 bytes
an event) and answers ``lookup(vin)`` from a VIN's slice, so a lookup costs microseconds and does
no I/O inside the pipeline; the API and the backtest share it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd  # type: ignore[import-untyped]
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from autolease.vehicle.history import Claim, ClaimKind, OdometerReading, VehicleHistory

HISTORY_TABLE = "vehicle_history.parquet"
_CLAIM_KINDS: dict[str, ClaimKind] = {
    "accident": "accident",
    "flood": "flood",
    "fire": "fire",
    "total_loss": "total_loss",
    "theft": "theft",
}
_EPOCH = date(1970, 1, 1).toordinal()


_EVENT_TYPES = ("odometer_reading", "transfer", "insurance_claim")
_HISTORY_COLUMNS = [
    "vin",
    "event_date",
    "event_type",
    "claim_type",
    "claim_amount_fen",
    "odometer_km",
]


class ParquetHistoryProvider:
    """Insurer claims, transfers and odometer readings from a book's ``vehicle_history``.

    VINs are read dictionary-encoded (Arrow unifies the row groups' dictionaries into integer
    codes) and the events stably sorted by (code, day) into one packed record array, so the
    index builds in about a second on a 5M-event book (sorting fixed-width unicode took
    ~30 s) and a lookup is one slice of it.
    """

    name = "book"

    def __init__(self, book_dir: Path) -> None:
        path = Path(book_dir) / HISTORY_TABLE
        if not path.is_file():
            raise FileNotFoundError(f"no {HISTORY_TABLE} in {book_dir}")
        table = pq.read_table(path, columns=_HISTORY_COLUMNS, read_dictionary=["vin"])
        vins, vin_code = _vin_codes(table.column("vin"))
        day = np.asarray(table.column("event_date").cast("int32").to_numpy(), dtype=np.int64)
        order = _order_by(vin_code, day)
        self._code = dict(zip(vins, range(len(vins)), strict=True))
        sorted_code = vin_code if order is None else vin_code[order]
        self._start = np.searchsorted(sorted_code, np.arange(len(vins) + 1))
        kind = _codes(table.column("event_type"), _EVENT_TYPES)
        events = np.empty(len(day), dtype=_EVENT_RECORD)
        events["day"] = day
        events["kind"] = kind
        events["claim"] = _codes(table.column("claim_type"), tuple(_CLAIM_KINDS))
        # A reading's km and a claim's amount share one field (an event is one or the other).
        events["value"] = np.where(
            kind == 0,
            _floats(table.column("odometer_km")),
            _floats(table.column("claim_amount_fen")),
        )
        self._events = events if order is None else events[order]
        first, last = (int(day.min()), int(day.max())) if len(day) else (0, -1)
        self._dates = {d: date.fromordinal(d + _EPOCH) for d in range(first, last + 1)}
        self.events = len(day)

    def lookup(self, vin: str, *, as_of: date) -> VehicleHistory | None:
        code = self._code.get(vin)
        if code is None:
            return None
        start = self._start
        cutoff = as_of.toordinal() - _EPOCH
        claims: list[Claim] = []
        transfers: list[date] = []
        readings: list[OdometerReading] = []
        dates = self._dates
        for day, kind, claim, value in self._events[start[code] : start[code + 1]].tolist():
            if day >= cutoff:
                continue
            on = dates[day]
            if kind == 0 and value == value:  # value != value: NaN, no reading
                readings.append(OdometerReading(on, int(value), "book"))
            elif kind == 1:
                transfers.append(on)
            elif kind == 2:
                money = None if value != value else Decimal(int(value)) / 100
                claims.append(Claim(on, _KINDS[claim] if claim >= 0 else "other", money))
        return VehicleHistory(vin, tuple(claims), tuple(transfers), tuple(readings), (), "book")


_EVENT_RECORD = np.dtype([("day", "<i4"), ("kind", "i1"), ("claim", "i1"), ("value", "<f8")])
_KINDS: tuple[ClaimKind, ...] = tuple(_CLAIM_KINDS.values())


def _vin_codes(column: pa.ChunkedArray) -> tuple[list[str], Any]:
    """The distinct VINs and each event's index among them (-1 for a missing VIN)."""
    if not pa.types.is_dictionary(column.type):
        column = column.dictionary_encode()
    unified = column.unify_dictionaries()
    if unified.num_chunks == 0:
        return [], np.zeros(0, dtype=np.int64)
    indices = [np.asarray(c.indices.fill_null(-1), dtype=np.int64) for c in unified.chunks]
    return unified.chunk(0).dictionary.to_pylist(), np.concatenate(indices)


def _order_by(code: Any, day: Any) -> Any:
    """``np.lexsort((day, code))``, a stable sort by code then day; None when already sorted.

    Both fit one int64 key (codes below 2**31, days within 2**31): the synthetic book is
    written in that order, which one comparison of neighbours confirms.
    """
    if len(day) < 2:
        return None
    span = int(day.max()) - int(day.min()) + 1
    if span >= 2**31 or len(code) >= 2**31:  # pragma: no cover - no such book
        return np.lexsort((day, code))
    key = code * span + (day - day.min())
    if bool(np.all(key[1:] >= key[:-1])):
        return None
    return np.argsort(key, kind="stable")


def _codes(column: pa.ChunkedArray, names: tuple[str, ...]) -> Any:
    """Index of each value in ``names``; -1 for null or any other value."""
    found = pc.index_in(column.cast(pa.string()), value_set=pa.array(names, pa.string()))
    return np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int8)


def _floats(column: pa.ChunkedArray) -> Any:
    """A numeric column as float64 with NaN for null."""
    return np.asarray(column.to_numpy(zero_copy_only=False), dtype=float)


def book_price_table(book_dir: Path, price: str = "valuation_price") -> Any:
    """A flat price table from a synthetic book, in the canonical column names.

    ``price`` picks the label: ``valuation_price`` (the vendor valuation the lessor bought,
    the default), ``asking_price`` or ``invoice_price``. Applications that re-use a car are
    kept (each is a separate observation at its own date and mileage).
    """
    book = Path(book_dir)
    apps = pq.read_table(
        book / "applications.parquet",
        columns=[
            "application_id",
            "applicant_id",
            "vehicle_id",
            "application_date",
            "declared_brand",
            "declared_model",
            "fuel_type",
            "declared_mileage_km",
            "seller_type",
            f"{price}_fen",
        ],
    ).to_pandas()
    cars = pq.read_table(
        book / "vehicles.parquet", columns=["vehicle_id", "first_registration_date"]
    ).to_pandas()
    people = pq.read_table(
        book / "applicants.parquet", columns=["applicant_id", "province"]
    ).to_pandas()
    frame = apps.merge(cars, on="vehicle_id", how="left").merge(
        people, on="applicant_id", how="left"
    )
    out = pd.DataFrame(
        {
            "price": frame[f"{price}_fen"].astype(float) / 100,
            "brand": frame["declared_brand"].astype(str),
            "model": frame["declared_model"].astype(str),
            "fuel": frame["fuel_type"].astype(str),
            "seller_type": frame["seller_type"].astype(str),
            "region": frame["province"].astype(str),
            "registration_date": frame["first_registration_date"].astype(str),
            "sale_date": frame["application_date"].astype(str),
            "mileage_km": frame["declared_mileage_km"].astype(float),
        }
    )
    return cast(Any, out)


BOOK_MANIFEST = "manifest.json"
_TABLE_SUFFIXES = (".csv", ".parquet", ".pq")


def read_price_table(path: Path) -> Any:
    """A CSV or Parquet price table, a folder of such tables, or a synthetic book directory.

    A folder is a synthetic book when it holds the book's ``manifest.json``; otherwise its
    CSV/Parquet files are read as one table, and they must all have the same columns.
    """
    path = Path(path)
    if path.is_dir():
        if (path / BOOK_MANIFEST).is_file():
            return book_price_table(path)
        return _folder_table(path)
    return _one_table(path)


def _one_table(path: Path) -> Any:
    if path.suffix.lower() in (".parquet", ".pq"):
        return pq.read_table(path).to_pandas()
    return pd.read_csv(path)


def _folder_table(folder: Path) -> Any:
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in _TABLE_SUFFIXES)
    if not files:
        raise ValueError(
            f"folder {folder.name!r} holds no CSV or Parquet table and no synthetic book "
            f"({BOOK_MANIFEST})"
        )
    tables = [_one_table(p) for p in files]
    expected = list(tables[0].columns)
    for file, table in zip(files[1:], tables[1:], strict=True):
        if sorted(table.columns) != sorted(expected):
            extra = sorted(set(table.columns) - set(expected))
            lacking = sorted(set(expected) - set(table.columns))
            raise ValueError(
                f"table {file.name!r} does not have the columns of {files[0].name!r} "
                f"(extra: {extra}, missing: {lacking})"
            )
    return pd.concat([t[expected] for t in tables], ignore_index=True)
