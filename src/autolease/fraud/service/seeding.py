"""Seed the store with a synthetic book's link rows (demos, benchmarks, tests).

Writes what the graph and velocity read — one ``application`` row per book application
(minimal: one placeholder applicant and vehicle, the book's SPs) and the ``application_link``
rows the API would have written, blind-indexed with the runtime's cipher exactly as
`origination.service.persist.link_keys` does (contact phones hashed as phones, see
`keys.link_hash`). Application ids are ``app_<book id, 12 digits>`` so that text order is
submission-id order. Bulk paths: executemany on SQLite, ``COPY`` on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import Connection, insert, select

from autolease.dealer.models import ServiceProvider
from autolease.fraud.book import BookLinks
from autolease.fraud.links import KIND_CODE
from autolease.kit.crypto import FieldCipher
from autolease.origination.models import Applicant, Application, Vehicle

KIND_NAMES = {code: kind for kind, code in KIND_CODE.items()}
LINK_COLUMNS = ("application_id", "kind", "key_hash", "sp_id", "submitted_at")


def app_id(book_id: int) -> str:
    """>>> app_id(42)
    'app_000000000042'
    """
    return f"app_{int(book_id):012d}"


def _placeholders(conn: Connection, at: datetime) -> tuple[int, int]:
    applicant = conn.execute(
        insert(Applicant).returning(Applicant.id),
        {"kind": "individual", "name_enc": "-", "name_masked": "-", "phone_enc": "-",
         "phone_bidx": "-", "phone_masked": "-", "bank_card_enc": "-", "bank_card_bidx": "-",
         "bank_card_masked": "-", "address_enc": "-", "province": "-", "city": "-"},
    ).scalar_one()  # fmt: skip
    vehicle = conn.execute(
        insert(Vehicle).returning(Vehicle.id),
        {"vin": "-", "brand": "-", "model": "-", "first_registration_date": at.date(),
         "mileage_km": 0, "asking_price_fen": 1, "seller_type": "dealer"},
    ).scalar_one()  # fmt: skip
    return int(applicant), int(vehicle)


def _sps(conn: Connection, codes: Sequence[str], at: datetime) -> dict[str, int]:
    existing = dict(conn.execute(select(ServiceProvider.code, ServiceProvider.id)).all())
    missing = [c for c in codes if c not in existing]
    if missing:
        conn.execute(
            insert(ServiceProvider),
            [{"code": c, "name": c, "region": "-", "grade": "B", "status": "active",
              "deposit_balance_fen": 0, "currency": "CNY", "created_at": at} for c in missing],
        )  # fmt: skip
        existing = dict(conn.execute(select(ServiceProvider.code, ServiceProvider.id)).all())
    return {c: int(existing[c]) for c in codes}


def _hashes(links: BookLinks, cipher: FieldCipher) -> list[str]:
    used = np.unique(links.rows.key)
    out = [""] * len(links.values)
    for key in used.tolist():
        kind, _, value = links.values[key].partition(":")
        out[key] = cipher.blind_index(kind, value)
    return out


def _chunks(n: int, size: int) -> Iterator[tuple[int, int]]:
    for lo in range(0, n, size):
        yield lo, min(n, lo + size)


def seed_links(
    conn: Connection, links: BookLinks, cipher: FieldCipher, *, chunk: int = 200_000
) -> int:
    """Insert the book's applications (minimal) and link rows; returns the link rows written."""
    rows, frame = links.rows, links.frame
    now = datetime.now(UTC)
    applicant, vehicle = _placeholders(conn, now)
    codes = frame["sp_code"].astype(str).tolist()
    sp_ids = _sps(conn, sorted(set(codes)), now)
    app_sp = [sp_ids[c] for c in codes]
    times = [datetime.fromtimestamp(int(t), UTC) for t in rows.app_time.tolist()]
    ids = [app_id(a) for a in rows.app_ids]
    apps = [
        {"id": ids[i], "sp_id": app_sp[i], "applicant_id": applicant, "vehicle_id": vehicle,
         "lead_source": "sp", "product_type": "any", "amount_fen": 1, "term_months": 12,
         "down_payment_fen": 0, "device": {}, "status": "submitted", "submitted_at": times[i],
         "updated_at": times[i]}
        for i in range(rows.n_apps)
    ]  # fmt: skip
    for lo, hi in _chunks(len(apps), chunk):
        conn.execute(insert(Application), apps[lo:hi])
    hashes = _hashes(links, cipher)
    records = (
        (ids[a], KIND_NAMES[k], hashes[key], app_sp[a], times[a])
        for a, k, key in zip(rows.app.tolist(), rows.kind.tolist(), rows.key.tolist(), strict=True)
    )
    _write_links(conn, records, len(rows), chunk)
    return len(rows)


def _write_links(conn: Connection, records: Iterator[tuple[Any, ...]], n: int, chunk: int) -> None:
    raw: Any = conn.connection.driver_connection
    columns = ", ".join(LINK_COLUMNS)
    if conn.dialect.name == "postgresql":
        with raw.cursor() as cur, cur.copy(f"COPY application_link ({columns}) FROM STDIN") as copy:
            for record in records:
                copy.write_row(record)
        return
    sql = f"INSERT INTO application_link ({columns}) VALUES (?, ?, ?, ?, ?)"
    cursor = raw.cursor()
    batch: list[tuple[Any, ...]] = []
    for app, kind, key, sp, at in records:
        batch.append((app, kind, key, sp, at.strftime("%Y-%m-%d %H:%M:%S.%f")))
        if len(batch) >= chunk:
            cursor.executemany(sql, batch)
            batch = []
    if batch:
        cursor.executemany(sql, batch)
