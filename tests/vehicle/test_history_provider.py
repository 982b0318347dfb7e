"""The book's vehicle history provider against a plain pandas reading of the same table."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from autolease.synth.config import SynthConfig
from autolease.synth.writer import write_book
from autolease.vehicle.history import Claim, OdometerReading, VehicleHistory
from autolease.vehicle.repository import ParquetHistoryProvider


@pytest.fixture(scope="module")
def book_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("book")
    write_book(SynthConfig(n_applications=800, seed=11), out)
    return out


def expected(events: pd.DataFrame, vin: str, as_of: date) -> VehicleHistory | None:
    """What the provider must answer, read row by row with pandas (events in date order)."""
    rows = events[events["vin"] == vin]
    if rows.empty:
        return None
    rows = rows[rows["event_date"] < as_of].sort_values("event_date", kind="stable")
    claims, transfers, readings = [], [], []
    for row in rows.itertuples():
        if row.event_type == "odometer_reading" and pd.notna(row.odometer_km):
            readings.append(OdometerReading(row.event_date, int(row.odometer_km), "book"))
        elif row.event_type == "transfer":
            transfers.append(row.event_date)
        elif row.event_type == "insurance_claim":
            amount = None if pd.isna(row.claim_amount_fen) else Decimal(int(row.claim_amount_fen))
            kind = row.claim_type if isinstance(row.claim_type, str) else "other"
            claims.append(Claim(row.event_date, kind, amount / 100 if amount else amount))
    return VehicleHistory(vin, tuple(claims), tuple(transfers), tuple(readings), (), "book")


def test_answers_every_vin_as_the_table_says(book_dir: Path) -> None:
    events = pd.read_parquet(book_dir / "vehicle_history.parquet")
    events["event_date"] = pd.to_datetime(events["event_date"]).dt.date
    provider = ParquetHistoryProvider(book_dir)
    vins = pd.read_parquet(book_dir / "vehicles.parquet", columns=["vin"])["vin"].tolist()
    with_history = 0
    for i, vin in enumerate(vins):
        as_of = date(2022, 1, 1) + timedelta(days=(i * 37) % 1500)
        got = provider.lookup(vin, as_of=as_of)
        assert got == expected(events, vin, as_of), vin
        with_history += got is not None and bool(got.claims or got.transfers or got.odometer)
    assert with_history > len(vins) // 4
    assert provider.events == len(events)


def test_an_unknown_vin_has_no_history(book_dir: Path) -> None:
    provider = ParquetHistoryProvider(book_dir)
    assert provider.lookup("LSVAA4182E2000000", as_of=date(2025, 1, 1)) is None


def test_a_book_without_history_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="vehicle_history"):
        ParquetHistoryProvider(tmp_path)
