"""Fraud queries: velocity aggregates, link look-ups for the graph, labels, devices, stored
ring runs.

Every query reads ``application_link`` through its index ``(kind, key_hash, submitted_at)``
(value look-ups, bounded by a time window and, for the graph, a ``LIMIT`` per value) or
``(application_id)`` (an application's keys). Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    or_,
    select,
)
from sqlalchemy.orm import Session, defer

from autolease.fraud.links import LinkRows, build_rows, factorise
from autolease.fraud.models import DeviceProfile, DeviceSighting, FraudLabel, RingRun, StoredRing
from autolease.fraud.neighbourhood import AppId, AppKey, Hit, Lookup
from autolease.fraud.velocity import CROSS, CROSS_WINDOW, VELOCITY_KINDS, WINDOWS, KeyCounts
from autolease.origination.models import ApplicationLink

LINK = ApplicationLink.__table__
IN_CHUNK = 500  # ids per IN (...) list


def _epoch(at: datetime) -> float:
    return at.astimezone(UTC).timestamp()


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


# ----------------------------------------------------------------------------- velocity


def _padded(values: list[str], size: int, filler: str) -> list[str]:
    return values + [filler] * (size - len(values))


def velocity_counts(
    session: Session, *, keys: dict[str, str], as_of: datetime, sp_id: int
) -> dict[str, KeyCounts]:
    """Per velocity kind (one key each), counts of earlier applications per window.

    One statement of fixed text (the value lists are padded), so drivers reuse it.

    Parameters
    ----------
    keys : dict of str to str
        Kind → key hash of the application's values.
    as_of : datetime
    sp_id : int
        The application's SP (excluded from the "other SPs" counts).
    """
    kinds = [k for k in VELOCITY_KINDS if k in keys]
    if not kinds:
        return {}
    raw = _Raw(session)
    m, n = raw.mark, len(VELOCITY_KINDS)
    starts = [raw.time((as_of - timedelta(days=w)).timestamp()) for w in WINDOWS]
    sums = [f"SUM(CASE WHEN submitted_at >= {m} THEN 1 ELSE 0 END)" for _ in WINDOWS]
    sps = [
        f"COUNT(DISTINCT CASE WHEN submitted_at >= {m} AND sp_id <> {m} THEN sp_id END)"
        for _ in WINDOWS
    ]
    sql = (
        f"SELECT kind, key_hash, {', '.join(sums + sps)} FROM application_link"
        f" WHERE kind IN ({raw.marks(n)}) AND key_hash IN ({raw.marks(n)})"
        f" AND submitted_at >= {m} AND submitted_at < {m} GROUP BY kind, key_hash"
    )
    params: list[Any] = [*starts]
    for start in starts:
        params += [start, sp_id]
    params += _padded(kinds, n, "-") + _padded([keys[k] for k in kinds], n, "")
    params += [starts[-1], raw.time(as_of.timestamp())]
    out = {}
    w = len(WINDOWS)
    for kind, key, *values in raw.rows(sql, params):
        if keys.get(kind) == key:
            counts = [int(v or 0) for v in values]
            out[kind] = KeyCounts(tuple(counts[:w]), tuple(counts[w:]))
    return out


CROSS_SOURCES = tuple(dict.fromkeys(kind for kind, _ in CROSS))
CROSS_TARGETS = tuple(dict.fromkeys(target for _, target in CROSS))


def cross_counts(
    session: Session, *, keys: dict[str, str], as_of: datetime
) -> dict[tuple[str, str], int]:
    """Distinct other ``target`` values among earlier applications sharing a ``kind`` value."""
    sources = [k for k in CROSS_SOURCES if k in keys]
    if not sources:
        return {}
    raw = _Raw(session)
    m, ns, nt = raw.mark, len(CROSS_SOURCES), len(CROSS_TARGETS)
    sql = (
        "SELECT s.kind, s.key_hash, o.kind, COUNT(DISTINCT o.key_hash),"
        f" MAX(CASE WHEN o.key_hash IN ({raw.marks(nt)}) THEN 1 ELSE 0 END)"
        " FROM application_link s JOIN application_link o"
        " ON o.application_id = s.application_id"
        f" WHERE s.kind IN ({raw.marks(ns)}) AND s.key_hash IN ({raw.marks(ns)})"
        f" AND o.kind IN ({raw.marks(nt)}) AND s.submitted_at >= {m} AND s.submitted_at < {m}"
        " GROUP BY s.kind, s.key_hash, o.kind"
    )
    own = _padded([keys[t] for t in CROSS_TARGETS if t in keys], nt, "")
    params: list[Any] = [*own]
    params += _padded(sources, ns, "-") + _padded([keys[k] for k in sources], ns, "")
    params += list(CROSS_TARGETS)
    params += [
        raw.time((as_of - timedelta(days=CROSS_WINDOW)).timestamp()),
        raw.time(as_of.timestamp()),
    ]
    found: dict[tuple[str, str], int] = {}
    for kind, key, target, distinct_values, has_own in raw.rows(sql, params):
        if keys.get(kind) == key:
            found[(kind, target)] = int(distinct_values) - int(has_own or 0)
    return {pair: found.get(pair, 0) for pair in CROSS if pair[0] in keys}


# ----------------------------------------------------------------------------- graph


class _Raw:
    """Plain DBAPI statements for the hot look-ups.

    The graph's statements vary in shape (one sub-select per value, an IN list per hop);
    building and compiling them through SQLAlchemy costs milliseconds each time, so they are
    written as SQL text in the driver's parameter style. Times are bound and read the way
    `db.UtcDateTime` stores them (naive UTC text on SQLite, timestamptz on PostgreSQL).
    """

    def __init__(self, session: Session) -> None:
        self.conn = session.connection()
        self.sqlite = self.conn.dialect.name == "sqlite"
        self.mark = "?" if self.conn.dialect.paramstyle == "qmark" else "%s"

    def time(self, seconds: float) -> Any:
        at = _at(seconds)
        return at.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f") if self.sqlite else at

    def marks(self, n: int) -> str:
        return ", ".join([self.mark] * n)

    @staticmethod
    def bucket(n: int) -> int:
        """Pad statements to 4, 6, 8, 12, 16, 24 … parts, so few distinct texts exist.

        The drivers cache prepared statements by their text (sqlite3's statement cache,
        psycopg's server-side prepare); one text per count would defeat that.
        """
        size = 4
        while size < n:
            size = size * 3 // 2 if size & (size - 1) == 0 else size * 4 // 3
        return size

    def rows(self, sql: str, params: Sequence[Any]) -> list[Any]:
        return list(self.conn.exec_driver_sql(sql, tuple(params)).fetchall())


def _seconds(value: Any) -> float:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return float(value.timestamp())


IDENTITY = (
    "SELECT i.key_hash FROM application_link i"
    " WHERE i.application_id = l.application_id AND i.kind = 'id_number' LIMIT 1"
)
LATEST_LABEL = (
    "SELECT f.label FROM fraud_label f WHERE f.application_id = l.application_id"
    " AND f.labelled_at < {m} ORDER BY f.labelled_at DESC, f.id DESC LIMIT 1"
)


class SqlLinkSource:
    """`neighbourhood.LinkSource` over ``application_link`` (one statement per call)."""

    def __init__(self, session: Session) -> None:
        self._raw = _Raw(session)

    def recent(
        self, lookups: Sequence[Lookup], start: float, end: float
    ) -> dict[Hashable, list[Hit]]:
        out: dict[Hashable, list[Hit]] = {lk.key: [] for lk in lookups}
        if not lookups:
            return out
        raw = self._raw
        lo, hi = raw.time(start), raw.time(end)
        if raw.sqlite:
            rows = raw.rows(*_recent_union(raw, lookups, lo, hi))
        else:
            rows = raw.rows(*_recent_lateral(lookups, lo, hi))
        hits = [
            (int(q), _seconds(at), str(app), kind, int(sp), identity, label == "fraud")
            for app, kind, sp, at, q, identity, label in rows
        ]
        hits.sort(key=lambda h: h[2], reverse=True)
        hits.sort(key=lambda h: (h[0], -h[1]))
        for q, at, app, kind, sp, identity, bad in hits:
            out[lookups[q].key].append(Hit(app, kind, sp, at, identity, bad))
        return out

    def keys_of(self, apps: Sequence[AppId]) -> dict[AppId, list[AppKey]]:
        out: dict[AppId, list[AppKey]] = {a: [] for a in apps}
        if not apps:
            return out
        raw = self._raw
        ids = [str(a) for a in apps]
        if raw.sqlite:
            size = raw.bucket(len(apps))
            where = f"application_id IN ({raw.marks(size)})"
            params: list[Any] = ids + [""] * (size - len(apps))
        else:
            where, params = "application_id = ANY(%s)", [ids]
        sql = (
            f"SELECT application_id, kind, key_hash FROM application_link WHERE {where}"
            " ORDER BY application_id, kind, key_hash"
        )
        for app, kind, key in raw.rows(sql, params):
            out[app].append(AppKey(kind, key))
        return out


def _recent_union(raw: _Raw, lookups: Sequence[Lookup], lo: Any, hi: Any) -> tuple[str, list[Any]]:
    """SQLite: one ``LIMIT``ed sub-select per value, padded to a bucket size."""
    m = raw.mark
    parts: list[str] = []
    params: list[Any] = []
    for i in range(raw.bucket(len(lookups))):
        parts.append(
            "SELECT * FROM (SELECT l.application_id, l.kind, l.sp_id, l.submitted_at,"
            f" {i} AS q, ({IDENTITY}) AS identity, ({LATEST_LABEL.format(m=m)}) AS label"
            f" FROM application_link l WHERE l.kind IN ({m}, {m}) AND l.key_hash = {m}"
            f" AND l.submitted_at >= {m} AND l.submitted_at < {m} LIMIT {m}) s{i}"
        )
        if i < len(lookups):
            lookup = lookups[i]
            kinds = (*lookup.kinds, lookup.kinds[-1])[:2]
            params += [hi, *kinds, lookup.key, lo, hi, int(lookup.limit)]
        else:
            params += [hi, "-", "-", "", lo, hi, 0]
    return " UNION ALL ".join(parts), params


RECENT_LATERAL = (
    "SELECT l.application_id, l.kind, l.sp_id, l.submitted_at, q.i, l.identity, l.label"
    " FROM unnest(%s::int[], %s::text[], %s::text[], %s::text[], %s::int[])"
    " AS q(i, k1, k2, h, lim)"
    " CROSS JOIN LATERAL (SELECT l.application_id, l.kind, l.sp_id, l.submitted_at,"
    f" ({IDENTITY}) AS identity, ({LATEST_LABEL.format(m='%s')}) AS label"
    " FROM application_link l WHERE l.kind IN (q.k1, q.k2) AND l.key_hash = q.h"
    " AND l.submitted_at >= %s AND l.submitted_at < %s LIMIT q.lim) l"
)


def _recent_lateral(lookups: Sequence[Lookup], lo: Any, hi: Any) -> tuple[str, list[Any]]:
    """PostgreSQL: one fixed statement over arrays (planned once, prepared by the driver)."""
    kinds = [(*lk.kinds, lk.kinds[-1])[:2] for lk in lookups]
    arrays = [
        list(range(len(lookups))),
        [k[0] for k in kinds],
        [k[1] for k in kinds],
        [str(lk.key) for lk in lookups],
        [int(lk.limit) for lk in lookups],
    ]
    return RECENT_LATERAL, [*arrays, hi, lo, hi]


def labels_for(session: Session, application_id: str) -> Sequence[FraudLabel]:
    query = (
        select(FraudLabel)
        .where(FraudLabel.application_id == application_id)
        .order_by(FraudLabel.labelled_at, FraudLabel.id)
    )
    return session.scalars(query).all()


def all_fraud_labels(session: Session, before: datetime | None = None) -> set[str]:
    """Applications whose latest label (before `before`) is ``fraud``."""
    query = select(FraudLabel.application_id, FraudLabel.label).order_by(
        FraudLabel.labelled_at, FraudLabel.id
    )
    if before is not None:
        query = query.where(FraudLabel.labelled_at < before)
    latest: dict[str, str] = {}
    for app, label in session.execute(query):
        latest[app] = label
    return {a for a, label in latest.items() if label == "fraud"}


def fraud_labelled(session: Session, application_ids: Collection[str]) -> set[str]:
    """Of these applications, those whose latest label is ``fraud`` (read in chunks)."""
    ids = sorted(set(application_ids))
    latest: dict[str, str] = {}
    for at in range(0, len(ids), IN_CHUNK):
        query = (
            select(FraudLabel.application_id, FraudLabel.label)
            .where(FraudLabel.application_id.in_(ids[at : at + IN_CHUNK]))
            .order_by(FraudLabel.labelled_at, FraudLabel.id)
        )
        for app, label in session.execute(query):
            latest[app] = label
    return {a for a, label in latest.items() if label == "fraud"}


# ----------------------------------------------------------------------------- ring runs


def ring_runs(session: Session, limit: int = 10) -> Sequence[RingRun]:
    return session.scalars(select(RingRun).order_by(RingRun.id.desc()).limit(limit)).all()


def done_ring_runs(session: Session, limit: int) -> Sequence[RingRun]:
    query = select(RingRun).where(RingRun.status == "done").order_by(RingRun.id.desc())
    return session.scalars(query.limit(limit)).all()


def latest_done_ring_run(session: Session) -> RingRun | None:
    return next(iter(done_ring_runs(session, 1)), None)


def unfinished_ring_runs(session: Session) -> Sequence[RingRun]:
    query = select(RingRun).where(RingRun.status.in_(("queued", "running"))).order_by(RingRun.id)
    return session.scalars(query).all()


def stored_rings(session: Session, run_id: int, limit: int) -> Sequence[StoredRing]:
    """The run's first `limit` rings by score, without their exports and drawings."""
    query = (
        select(StoredRing)
        .options(defer(StoredRing.export), defer(StoredRing.graph))
        .where(StoredRing.run_id == run_id)
        .order_by(StoredRing.rank)
        .limit(limit)
    )
    return session.scalars(query).all()


def stored_ring(session: Session, run_id: int, ring_id: str) -> StoredRing | None:
    return session.get(StoredRing, (run_id, ring_id))


# ----------------------------------------------------------------------------- all links


def link_rows(
    session: Session, *, start: datetime | None = None, end: datetime | None = None
) -> LinkRows:
    """Every link row (of applications submitted in ``[start, end)``) as `LinkRows`."""
    c = LINK.c
    query = select(c.application_id, c.kind, c.key_hash, c.sp_id, c.submitted_at)
    if start is not None:
        query = query.where(c.submitted_at >= start)
    if end is not None:
        query = query.where(c.submitted_at < end)
    rows = session.execute(query.execution_options(yield_per=100_000)).all()
    index: dict[str, int] = {}
    times: list[int] = []
    sps: list[int] = []
    apps: list[int] = []
    for app, _kind, _key, sp, at in rows:
        position = index.get(app)
        if position is None:
            position = index[app] = len(index)
            times.append(int(_epoch(at)))
            sps.append(int(sp))
        apps.append(position)
    keys, uniques = factorise([r[1] for r in rows], [r[2] for r in rows])
    labels = [u.split(":", 1)[1][:12] for u in uniques]
    return build_rows(apps, [r[1] for r in rows], keys, times, sps, list(index), labels)


# ----------------------------------------------------------------------------- devices


def device_by_link_hash(session: Session, link_hash: str) -> DeviceProfile | None:
    return session.scalars(
        select(DeviceProfile).where(DeviceProfile.link_hash == link_hash)
    ).first()


def device_candidates(
    session: Session, bands: Sequence[str | None], limit: int = 50
) -> Sequence[DeviceProfile]:
    """Devices sharing at least one band key (most recently seen first)."""
    conditions = [
        column == band
        for column, band in zip(
            (DeviceProfile.band0, DeviceProfile.band1, DeviceProfile.band2), bands, strict=True
        )
        if band is not None
    ]
    if not conditions:
        return []
    query = (
        select(DeviceProfile)
        .where(or_(*conditions))
        .order_by(DeviceProfile.last_seen_at.desc(), DeviceProfile.id)
        .limit(limit)
    )
    return session.scalars(query).all()


def latest_sighting(session: Session, device_id: str, as_of: datetime) -> DeviceSighting | None:
    query = (
        select(DeviceSighting)
        .where(DeviceSighting.device_id == device_id, DeviceSighting.collected_at <= as_of)
        .order_by(DeviceSighting.collected_at.desc(), DeviceSighting.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()
