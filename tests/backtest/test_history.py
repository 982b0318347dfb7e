from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from autolease.backtest.history import BookHistoryIndex
from autolease.vehicle.repository import ParquetHistoryProvider


def test_answers_every_vin_exactly_as_the_vehicle_domain_provider(book_dir: Path) -> None:
    fast, reference = BookHistoryIndex(book_dir), ParquetHistoryProvider(book_dir)
    vins = pq.read_table(book_dir / "vehicles.parquet", columns=["vin"]).column("vin").to_pylist()
    with_history = 0
    for i, vin in enumerate(vins):
        as_of = date(2022, 1, 1) + timedelta(days=(i * 37) % 1500)
        got = fast.lookup(vin, as_of=as_of)
        assert got == reference.lookup(vin, as_of=as_of), vin
        with_history += got is not None and bool(got.claims or got.transfers or got.odometer)
    assert with_history > len(vins) // 4
    assert fast.events == reference.events
    assert fast.name == reference.name


def test_an_unknown_vin_has_no_history(book_dir: Path) -> None:
    assert BookHistoryIndex(book_dir).lookup("LSVAA4182E2000000", as_of=date(2025, 1, 1)) is None


def test_a_book_without_history_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="vehicle_history"):
        BookHistoryIndex(tmp_path)
