"""The book's vehicle history indexed for a backtest (reads Parquet once per process).

`BookHistoryIndex` answers ``lookup(vin, as_of=...)`` exactly as the vehicle domain's
``ParquetHistoryProvider`` does (same events, same order, same objects; tested event by
event in ``tests/backtest/test_history.py``) but builds its index in seconds instead of
~30 s on a 5M-event book: VINs are dictionary-encoded to integer codes by Arrow and sorted
as integers (not as fixed-width unicode), and the event and claim types are mapped to codes
by Arrow compute instead of a Python loop. Each backtest worker process builds it once.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from autolease.vehicle.history import Claim, ClaimKind, OdometerReading, VehicleHistory
from autolease.vehicle.repository import _CLAIM_KINDS, HISTORY_TABLE

_EPOCH = date(1970, 1, 1).toordinal()
_EVENT_TYPES = ("odometer_reading", "transfer", "insurance_claim")
_COLUMNS = ["vin", "event_date", "event_type", "claim_type", "claim_amount_fen", "odometer_km"]


def _codes(column: pa.ChunkedArray, names: tuple[str, ...]) -> np.ndarray:
    """Index of each value in ``names``; -1 for null or any other value."""
    found = pc.index_in(column.cast(pa.string()), value_set=pa.array(names, pa.string()))
    return np.asarray(found.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int8)


class BookHistoryIndex:
    """Insurer claims, transfers and odometer readings by VIN, from ``vehicle_history``."""

    name = "book"

    def __init__(self, book_dir: Path) -> None:
        path = Path(book_dir) / HISTORY_TABLE
        if not path.is_file():
            raise FileNotFoundError(f"no {HISTORY_TABLE} in {book_dir}")
        table = pq.read_table(path, columns=_COLUMNS)
        encoded = table.column("vin").combine_chunks().dictionary_encode()
        vin_code = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
        day = np.asarray(table.column("event_date").cast("int32").to_numpy(), dtype=np.int64)
        order = np.lexsort((day, vin_code))
        sorted_codes = vin_code[order]
        self._code = {vin: i for i, vin in enumerate(encoded.dictionary.to_pylist())}
        self._start = np.searchsorted(sorted_codes, np.arange(len(self._code) + 1))
        self._day = day[order]
        self._type = _codes(table.column("event_type"), _EVENT_TYPES)[order]
        self._claim = _codes(table.column("claim_type"), tuple(_CLAIM_KINDS))[order]
        self._amount = _floats(table.column("claim_amount_fen"))[order]
        self._km = _floats(table.column("odometer_km"))[order]
        self.events = len(order)

    def lookup(self, vin: str, *, as_of: date) -> VehicleHistory | None:
        code = self._code.get(vin)
        if code is None:
            return None
        lo, hi = int(self._start[code]), int(self._start[code + 1])
        cutoff = as_of.toordinal() - _EPOCH
        claims: list[Claim] = []
        transfers: list[date] = []
        readings: list[OdometerReading] = []
        kinds: tuple[ClaimKind, ...] = tuple(_CLAIM_KINDS.values())
        days, types = self._day[lo:hi].tolist(), self._type[lo:hi].tolist()
        claim_codes, amounts = self._claim[lo:hi].tolist(), self._amount[lo:hi].tolist()
        kms = self._km[lo:hi].tolist()
        events = zip(days, types, claim_codes, amounts, kms, strict=True)
        for day, kind, claim, amount, km in events:
            if day >= cutoff:
                continue
            on = date.fromordinal(day + _EPOCH)
            if kind == 0 and km == km:
                readings.append(OdometerReading(on, int(km), "book"))
            elif kind == 1:
                transfers.append(on)
            elif kind == 2:
                money = None if amount != amount else Decimal(int(amount)) / 100
                claims.append(Claim(on, kinds[claim] if claim >= 0 else "other", money))
        return VehicleHistory(vin, tuple(claims), tuple(transfers), tuple(readings), (), "book")


def _floats(column: pa.ChunkedArray) -> np.ndarray:
    """A numeric column as float64 with NaN for null (as ``ParquetHistoryProvider`` reads it)."""
    return np.asarray(column.to_numpy(zero_copy_only=False), dtype=float)
