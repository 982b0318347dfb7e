"""Reading a book's tables for the local providers (file I/O)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from autolease.identity.providers.exceptions import ProviderDataInvalid
from autolease.identity.providers.local import LocalRegistry
from autolease.identity.providers.sandbox import sandbox_tables, with_sandbox

TABLES = {
    "applications": (
        "application_id", "applicant_id", "submitted_at", "bank_card", "phone_tenure_months",
    ),
    "applicants": (
        "applicant_id", "kind", "name", "id_number", "phone",
        "legal_rep_name", "legal_rep_id_number", "legal_rep_phone",
    ),
    "bureau": (
        "application_id", "report_date", "has_credit_file", "hard_queries_90d",
        "institutions_applied_30d", "open_credit_institutions", "delinquencies_24m",
        "max_dpd_24m", "court_dishonest", "spending_ban", "court_enforced",
        "first_credit_date", "outstanding_debt_fen",
    ),
}  # fmt: skip


def read_book_tables(book_dir: Path) -> dict[str, Any]:
    """The columns the registry needs, as pyarrow tables."""
    import pyarrow.parquet as pq

    tables = {}
    for name, columns in TABLES.items():
        path = Path(book_dir) / f"{name}.parquet"
        if not path.is_file():
            raise ProviderDataInvalid(f"the book at {book_dir} has no {name}.parquet")
        tables[name] = pq.read_table(path, columns=list(columns))
    return tables


def read_book_registry(book_dir: Path | None, *, sandbox: bool = False) -> LocalRegistry:
    """A `LocalRegistry` over the book in `book_dir`, plus the sandbox identities if asked."""
    tables = read_book_tables(book_dir) if book_dir is not None else {}
    if sandbox:
        tables = with_sandbox(tables) if tables else dict(sandbox_tables())
    return LocalRegistry.from_tables(tables)
