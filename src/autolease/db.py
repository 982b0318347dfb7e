"""Database: declarative base with a naming convention, engine and session factories.

Engines are built by `create_engine_for(settings)`, never at import. SQLite gets WAL, foreign
keys and `BEGIN IMMEDIATE` (so concurrent writers queue instead of failing on a read-to-write
upgrade), and the threads of one process queue on a lock before SQLite's busy handler. Services
never commit: `session_scope()` and the request dependency own the transaction.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import (
    DateTime,
    Engine,
    Insert,
    MetaData,
    Table,
    create_engine,
    event,
    insert,
    inspect,
)
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from autolease.config import DatabaseSettings
from autolease.sqlite_wal import SAFETY_PAGES, WalCheckpointer

BUSY_TIMEOUT_S = 30
_HOLDS_WRITER = "autolease_holds_writer_lock"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UtcDateTime column")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC) if value is not None else None


def create_engine_for(settings: DatabaseSettings) -> Engine:
    url = make_url(settings.resolved_url())
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url.render_as_string(hide_password=False), settings.echo)
    return create_engine(url, echo=settings.echo, pool_size=settings.pool_size, pool_pre_ping=True)


def _sqlite_engine(url: str, echo: bool) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, echo=echo, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_S}
    )
    checkpointer = _checkpointer_for(engine, database)
    _set_pragmas(engine, background_checkpoints=checkpointer is not None)
    _serialise_writers(engine)
    return engine


def _set_pragmas(engine: Engine, *, background_checkpoints: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy's BEGIN below take over
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
        if background_checkpoints:
            cursor.execute(f"PRAGMA wal_autocheckpoint={SAFETY_PAGES}")
        cursor.close()


def _serialise_writers(engine: Engine) -> None:
    """Threads of this process queue on a lock instead of SQLite's busy handler, whose sleeps
    (up to 100 ms each) gave p99s of seconds under 4-8 concurrent requests. After the busy
    timeout a waiter goes ahead and SQLite's own locking decides."""
    writer = threading.Lock()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if writer.acquire(timeout=BUSY_TIMEOUT_S):
            conn.info[_HOLDS_WRITER] = True
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _release(conn)
            raise

    def _release(conn: Any) -> None:
        if conn.info.pop(_HOLDS_WRITER, False):
            writer.release()

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        if record.info.pop(_HOLDS_WRITER, False):
            writer.release()

    event.listen(engine, "commit", _release)
    event.listen(engine, "rollback", _release)


def _checkpointer_for(engine: Engine, database: str | None) -> WalCheckpointer | None:
    """A background WAL checkpointer for a database file, stopped with the engine."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    checkpointer = WalCheckpointer(database).start()
    event.listen(engine, "engine_disposed", lambda _engine: checkpointer.stop())
    weakref.finalize(engine, checkpointer.stop)
    return checkpointer


def table_of(model: type[Base]) -> Table:
    """The Core table of a mapped class (for Core statements on hot paths)."""
    table = model.__table__
    if not isinstance(table, Table):  # pragma: no cover - every model here maps one table
        raise TypeError(f"{model.__name__} is not mapped to one table")
    return table


def insert_rows(session: Session, rows: Sequence[Base], *, fetch_keys: bool = True) -> None:
    """INSERT new objects of one mapped class in one Core statement (an executemany for
    several), bypassing the ORM's unit of work; generated integer keys are set on them unless
    ``fetch_keys`` is false (on SQLite, fetching them for several rows costs one statement each).

    For the append-only rows of a hot path (an application's rows, its audit events). The
    objects stay transient, outside the session: read them to build a response; a query in
    the same session loads its own copies. The attributes set on the first object are the
    ones written (the rest take their column defaults), so build all of them alike.
    """
    if not rows:
        return
    plan = _insert_plan(type(rows[0]), tuple(rows[0].__dict__), fetch_keys)
    params = [{column: row.__dict__[key] for key, column in plan.columns} for row in rows]
    connection = session.connection()  # Core on the session's transaction: no ORM execute
    if plan.generated_key is None:
        connection.execute(plan.statement, params)
    elif len(rows) == 1:
        inserted = connection.execute(plan.statement, params[0]).inserted_primary_key
        if inserted is None:  # pragma: no cover - both dialects report a single row's key
            raise RuntimeError(f"{type(rows[0]).__name__}: the database returned no key")
        setattr(rows[0], plan.generated_key, inserted[0])
    else:
        returned = connection.execute(plan.returning, params)
        for row, (value,) in zip(rows, returned, strict=True):
            setattr(row, plan.generated_key, value)


@dataclass(frozen=True)
class _InsertPlan:
    columns: tuple[tuple[str, str], ...]  # (attribute, column key) of the attributes given
    statement: Insert
    returning: Insert
    generated_key: str | None  # the attribute of a primary key the database generates


@lru_cache(maxsize=128)
def _insert_plan(model: type[Base], given: tuple[str, ...], fetch_keys: bool) -> _InsertPlan:
    attributes = inspect(model).column_attrs
    columns = tuple((a.key, a.columns[0].key) for a in attributes if a.key in given)
    keys = [a for a in attributes if a.columns[0].primary_key]
    generated = len(keys) == 1 and keys[0].key not in given and fetch_keys
    statement = insert(table_of(model))
    return _InsertPlan(
        columns,
        statement,
        statement.returning(keys[0].columns[0], sort_by_parameter_order=True),
        keys[0].key if generated else None,
    )


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """The CLI/job transaction boundary: commit on success, roll back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def import_all_models() -> None:
    """Import every domain's models so `Base.metadata` is complete (Alembic, create_all)."""
    from autolease.audit import models as _audit  # noqa: F401
    from autolease.auth import models as _auth  # noqa: F401
    from autolease.dealer import models as _dealer  # noqa: F401
    from autolease.decision import models as _decision  # noqa: F401
    from autolease.fraud import models as _fraud  # noqa: F401
    from autolease.governance import models as _governance  # noqa: F401
    from autolease.identity.biometrics import models as _biometrics  # noqa: F401
    from autolease.origination import models as _origination  # noqa: F401
    from autolease.product import models as _product  # noqa: F401
