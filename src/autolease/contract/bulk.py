"""Servicing events from a file: one row an event, validated like the API's bodies (pure).

Columns: ``contract_id, event_id, kind, occurred_on`` and, as the kind needs them, ``amount,
reference, state, quote_event_id, from_installment, months, note``. Empty cells are absent.
Every cell is read as text (no type guessing: ``none`` or ``0012`` stay what they are) and
validated by the same models as ``POST /v1/contracts/{id}/events``. Line numbers count the
header as line 1, as a spreadsheet shows them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from autolease.contract.schemas import ServicingEvent

EVENT = TypeAdapter(ServicingEvent)
REQUIRED = ("contract_id", "event_id", "kind", "occurred_on")
INTEGER_COLUMNS = frozenset({"from_installment", "months"})


class BulkFileError(ValueError):
    """The file cannot be read as servicing events: a missing column or an unreadable format."""


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.message}"


@dataclass(frozen=True)
class BulkRow:
    line: int
    contract_id: str
    event: ServicingEvent


def read_rows(path: Path) -> Iterator[dict[str, str]]:
    """The file's rows as text cells, from CSV (UTF-8, optional BOM) or Parquet."""
    if path.suffix.lower() == ".parquet":
        yield from _parquet_rows(path)
    elif path.suffix.lower() in (".csv", ".txt"):
        yield from _csv_rows(path)
    else:
        raise BulkFileError(f"{path.name}: use a .csv or .parquet file")


def _csv_rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        _require_columns(reader.fieldnames or [])
        for row in reader:
            yield {k: (v or "").strip() for k, v in row.items() if k is not None}


def _parquet_rows(path: Path) -> Iterator[dict[str, str]]:
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    _require_columns(table.column_names)
    for row in table.to_pylist():
        yield {k: "" if v is None else str(v).strip() for k, v in row.items()}


def _require_columns(columns: Iterable[str]) -> None:
    missing = [c for c in REQUIRED if c not in set(columns)]
    if missing:
        raise BulkFileError(f"missing column(s): {', '.join(missing)}")


def parse_rows(rows: Iterable[Mapping[str, str]]) -> tuple[list[BulkRow], list[RowError]]:
    """Validated rows, and every row error with its line number."""
    good: list[BulkRow] = []
    errors: list[RowError] = []
    for index, row in enumerate(rows):
        line = index + 2
        cells = {k: _typed(k, v) for k, v in row.items() if v != "" and k != "contract_id"}
        contract_id = row.get("contract_id", "")
        if not contract_id:
            errors.append(RowError(line, "contract_id", "is empty"))
            continue
        try:
            good.append(BulkRow(line, contract_id, EVENT.validate_python(cells)))
        except ValidationError as exc:
            errors.extend(_row_errors(line, exc))
    return good, errors


def _typed(column: str, cell: str) -> str | int:
    """A file has no number type: whole-number columns are read as integers when they are."""
    if column in INTEGER_COLUMNS and cell.isascii() and cell.isdigit():
        return int(cell)
    return cell


def _row_errors(line: int, exc: ValidationError) -> list[RowError]:
    out = []
    for err in exc.errors():
        parts = [str(p) for p in err["loc"][1:]] or [str(p) for p in err["loc"]]
        out.append(RowError(line, ".".join(parts) or "row", err["msg"]))
    return out
