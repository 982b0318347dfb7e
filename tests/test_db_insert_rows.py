"""`db.insert_rows`: Core inserts of new mapped objects (SQLite here; PostgreSQL in CI's db run)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from autolease.db import insert_rows
from autolease.decision.models import PolicyVersion
from autolease.origination.models import Vehicle

AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def vehicle(vin: str) -> Vehicle:
    return Vehicle(
        vin=vin,
        plate=None,
        brand="Ford",
        model="Focus",
        trim=None,
        fuel_type=None,
        first_registration_date=AT.date(),
        mileage_km=1,
        asking_price_fen=100,
        invoice_price_fen=None,
        seller_type="dealer",
        seller_name=None,
    )


@contextmanager
def statements_of(session: Session) -> Iterator[list[str]]:
    """The first three words of every statement run inside the block."""
    session.connection()  # the transaction's BEGIN is not what is counted
    seen: list[str] = []

    def record(_c: object, _cur: object, sql: str, *_: object) -> None:
        seen.append(" ".join(sql.split()[:3]).upper())

    event.listen(session.get_bind(), "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(session.get_bind(), "before_cursor_execute", record)


def test_one_row_gets_its_generated_key_and_stays_out_of_the_session(session: Session) -> None:
    row = vehicle("V1")
    insert_rows(session, [row])
    assert isinstance(row.id, int)
    assert row not in session
    stored = session.scalars(select(Vehicle).where(Vehicle.id == row.id)).one()
    assert (stored.vin, stored.first_registration_date, stored.seller_type) == (
        "V1",
        AT.date(),
        "dealer",
    )


def test_several_rows_get_their_keys_in_order(session: Session) -> None:
    rows = [vehicle(f"V{i}") for i in range(5)]
    insert_rows(session, rows)
    by_id = dict(session.execute(select(Vehicle.id, Vehicle.vin)).all())
    assert [by_id[row.id] for row in rows] == [f"V{i}" for i in range(5)]


def test_without_keys_several_rows_are_one_statement(session: Session) -> None:
    with statements_of(session) as seen:
        insert_rows(session, [vehicle("A"), vehicle("B"), vehicle("C")], fetch_keys=False)
    assert seen == ["INSERT INTO VEHICLE"]
    assert sorted(session.scalars(select(Vehicle.vin))) == ["A", "B", "C"]


def test_unset_attributes_take_their_column_default(session: Session) -> None:
    row = PolicyVersion(
        key="k",
        version="1",
        content_hash="h" * 64,
        content="{}",
        cases=None,
        source="package",
        created_by="t",
        created_at=AT,
    )
    insert_rows(session, [row])
    assert session.scalars(select(PolicyVersion.description)).one() == ""


def test_nothing_to_insert_runs_nothing(session: Session) -> None:
    with statements_of(session) as seen:
        insert_rows(session, [])
    assert seen == []
