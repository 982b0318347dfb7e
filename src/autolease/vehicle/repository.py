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

``ParquetHistoryProvider`` loads the history once into sorted numpy arrays (a few bytes per
event) and answers ``lookup(vin)`` by binary search, so a lookup costs microseconds and does
no I/O inside the pipeline.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd  # type: ignore[import-untyped]
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


class ParquetHistoryProvider:
    """Insurer claims, transfers and odometer readings from a book's ``vehicle_history``."""

    name = "book"

    def __init__(self, book_dir: Path) -> None:
        path = Path(book_dir) / HISTORY_TABLE
        if not path.is_file():
            raise FileNotFoundError(f"no {HISTORY_TABLE} in {book_dir}")
        table = pq.read_table(
            path,
            columns=[
                "vin",
                "event_date",
                "event_type",
                "claim_type",
                "claim_amount_fen",
                "odometer_km",
            ],
        )
        vin = np.asarray(table.column("vin").to_numpy(zero_copy_only=False)).astype("U17")
        day = table.column("event_date").cast("int32").to_numpy(zero_copy_only=False)
        etype = _codes(
            table.column("event_type"), ("odometer_reading", "transfer", "insurance_claim")
        )
        claim = _codes(table.column("claim_type"), tuple(_CLAIM_KINDS))
        amount = table.column("claim_amount_fen").to_numpy(zero_copy_only=False)
        km = table.column("odometer_km").to_numpy(zero_copy_only=False)
        order = np.lexsort((day, vin))
        self._vin = vin[order]
        self._day = np.asarray(day)[order]
        self._type = etype[order]
        self._claim = claim[order]
        self._amount = np.asarray(amount, dtype=float)[order]
        self._km = np.asarray(km, dtype=float)[order]
        self.events = len(order)

    def lookup(self, vin: str, *, as_of: date) -> VehicleHistory | None:
        lo = int(np.searchsorted(self._vin, vin, side="left"))
        hi = int(np.searchsorted(self._vin, vin, side="right"))
        if lo == hi:
            return None
        cutoff = as_of.toordinal() - _EPOCH
        claims: list[Claim] = []
        transfers: list[date] = []
        readings: list[OdometerReading] = []
        kinds = tuple(_CLAIM_KINDS.values())
        for i in range(lo, hi):
            day = int(self._day[i])
            if day >= cutoff:
                continue
            on = date.fromordinal(day + _EPOCH)
            kind = int(self._type[i])
            if kind == 0 and not np.isnan(self._km[i]):
                readings.append(OdometerReading(on, int(self._km[i]), "book"))
            elif kind == 1:
                transfers.append(on)
            elif kind == 2:
                code = int(self._claim[i])
                amount = None if np.isnan(self._amount[i]) else Decimal(int(self._amount[i])) / 100
                claims.append(Claim(on, kinds[code] if code >= 0 else "other", amount))
        return VehicleHistory(vin, tuple(claims), tuple(transfers), tuple(readings), (), "book")


def _codes(column: Any, names: tuple[str, ...]) -> Any:
    """Integer codes of a (dictionary) string column in ``names`` order; -1 for null/other."""
    values = column.to_pylist()
    index = {name: i for i, name in enumerate(names)}
    return np.array([index.get(v, -1) if v is not None else -1 for v in values], dtype=np.int8)


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


def read_price_table(path: Path) -> Any:
    """A CSV or Parquet price table, or a synthetic book directory."""
    path = Path(path)
    if path.is_dir():
        return book_price_table(path)
    if path.suffix.lower() in (".parquet", ".pq"):
        return pq.read_table(path).to_pandas()
    return pd.read_csv(path)
