"""The Parquet history provider and the book price table, over a tiny book of the synth schema."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from autolease.vehicle.columns import canonical_frame
from autolease.vehicle.repository import ParquetHistoryProvider, _order_by, book_price_table

VIN_A = "LSVAU218XN2183294"
VIN_B = "LFVAA11G0N3000001"


def _dict(values: list[str | None], names: tuple[str, ...]) -> pa.DictionaryArray:
    idx = [names.index(v) if v is not None else None for v in values]
    return pa.DictionaryArray.from_arrays(pa.array(idx, type=pa.int8()), pa.array(names))


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """The columns and types ``autolease.synth`` writes (vehicle_history, vehicles, apps)."""
    events = [
        (2, VIN_B, date(2023, 5, 1), "insurance_claim", "flood", 3_500_000, None),
        (1, VIN_A, date(2021, 1, 10), "odometer_reading", None, None, 10_000),
        (1, VIN_A, date(2022, 3, 1), "transfer", None, None, None),
        (1, VIN_A, date(2023, 2, 1), "odometer_reading", None, None, 40_000),
        (1, VIN_A, date(2023, 6, 1), "insurance_claim", "accident", 250_000, None),
        (1, VIN_A, date(2027, 1, 1), "odometer_reading", None, None, 90_000),  # after as-of
    ]
    cols = list(zip(*events, strict=True))
    pq.write_table(
        pa.table(
            {
                "vehicle_id": pa.array(cols[0], pa.int64()),
                "vin": pa.array(cols[1]),
                "event_date": pa.array(cols[2], pa.date32()),
                "event_type": _dict(
                    list(cols[3]), ("odometer_reading", "transfer", "insurance_claim")
                ),
                "claim_type": _dict(list(cols[4]), ("accident", "flood", "fire", "total_loss")),
                "claim_amount_fen": pa.array(cols[5], pa.int64()),
                "odometer_km": pa.array(cols[6], pa.int64()),
            }
        ),
        tmp_path / "vehicle_history.parquet",
    )
    pq.write_table(
        pa.table(
            {
                "vehicle_id": [1, 2],
                "vin": [VIN_A, VIN_B],
                "first_registration_date": pa.array([date(2020, 6, 1), date(2019, 1, 1)]),
            }
        ),
        tmp_path / "vehicles.parquet",
    )
    pq.write_table(
        pa.table(
            {
                "application_id": [10, 11],
                "applicant_id": [100, 101],
                "vehicle_id": [1, 2],
                "application_date": pa.array([date(2024, 6, 1), date(2024, 7, 1)]),
                "declared_brand": ["大众", "大众"],
                "declared_model": ["朗逸", "速腾"],
                "fuel_type": ["petrol", "petrol"],
                "declared_mileage_km": [48_000, 70_000],
                "seller_type": ["dealer", "individual"],
                "valuation_price_fen": [8_500_000, 7_000_000],
            }
        ),
        tmp_path / "applications.parquet",
    )
    pq.write_table(
        pa.table({"applicant_id": [100, 101], "province": ["上海市", "广东省"]}),
        tmp_path / "applicants.parquet",
    )
    return tmp_path


class TestParquetHistory:
    def test_events_before_the_as_of_date(self, book: Path) -> None:
        h = ParquetHistoryProvider(book).lookup(VIN_A, as_of=date(2026, 11, 29))
        assert h is not None
        assert [r.km for r in h.odometer] == [10_000, 40_000]
        assert h.transfers == (date(2022, 3, 1),)
        assert [(c.kind, c.amount) for c in h.claims] == [("accident", Decimal("2500.00"))]
        assert h.source == "book"

    def test_flood_claim(self, book: Path) -> None:
        h = ParquetHistoryProvider(book).lookup(VIN_B, as_of=date(2026, 1, 1))
        assert h is not None
        assert [c.kind for c in h.claims] == ["flood"]

    def test_unknown_vin_is_none(self, book: Path) -> None:
        assert (
            ParquetHistoryProvider(book).lookup("LGBH52E0XNY000001", as_of=date(2026, 1, 1)) is None
        )

    def test_missing_table_is_an_error(self, tmp_path: Path) -> None:
        with pytest.raises(FileNotFoundError, match=r"vehicle_history\.parquet"):
            ParquetHistoryProvider(tmp_path)


class TestBookPriceTable:
    def test_flat_table_maps_to_canonical(self, book: Path) -> None:
        frame, info = canonical_frame(book_price_table(book))
        assert list(frame["price"]) == [85_000.0, 70_000.0]
        assert list(frame["brand"]) == ["volkswagen", "volkswagen"]
        assert list(frame["region"]) == ["上海", "广东"]
        assert frame["age_years"].iloc[0] == pytest.approx(4.0, abs=0.01)
        assert info["age_source"] == "registration_date/sale_date"


class TestHistoryIndexOrder:
    def test_a_table_out_of_order_gives_the_same_answers(self, book: Path) -> None:
        path = book / "vehicle_history.parquet"
        table = pq.read_table(path)
        expected = {
            vin: ParquetHistoryProvider(book).lookup(vin, as_of=date(2026, 11, 29))
            for vin in (VIN_A, VIN_B)
        }
        pq.write_table(table.take([4, 0, 2, 5, 1, 3]), path)  # VINs interleaved, days shuffled
        shuffled = ParquetHistoryProvider(book)
        for vin, history in expected.items():
            assert shuffled.lookup(vin, as_of=date(2026, 11, 29)) == history

    def test_the_order_is_lexsort_by_code_then_day(self) -> None:
        rng = np.random.default_rng(5)
        code = rng.integers(-1, 50, 2_000)
        day = rng.integers(-3_000, 20_000, 2_000)
        assert np.array_equal(_order_by(code, day), np.lexsort((day, code)))
        ordered = np.lexsort((day, code))
        assert _order_by(code[ordered], day[ordered]) is None
