"""The graph's collusion signals per SP at a month end, from the store: every application's
link rows up to the month end (`fraud.repository.link_rows`), the SPs' staff phones, and the
reviewers' confirmed-fraud labels; the counting is `channel.collusion`'s."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from importlib.util import find_spec

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from autolease.channel.collusion import (
    NEVER,
    PHONE_KINDS,
    CollusionFigures,
    app_signals,
    at_month,
)
from autolease.channel.service.book import month_end, month_index
from autolease.channel.service.staff import key_hashes
from autolease.fraud.links import LinkRows
from autolease.fraud.models import FraudLabel
from autolease.fraud.repository import LINK, link_rows
from autolease.kit.clock import CHINA_TZ


def _month_of(epoch: int) -> int:
    at = datetime.fromtimestamp(epoch, UTC).astimezone(CHINA_TZ)
    return at.year * 12 + at.month - 1


def figures(session: Session, sp_ids: Sequence[int], month: str, lookback: int) -> CollusionFigures:
    """Per SP of `sp_ids` (in that order): applications of the window and their signals."""
    last = month_index(month)
    until = datetime.combine(month_end(last), datetime.max.time(), CHINA_TZ).astimezone(UTC)
    rows = link_rows(session, end=until)
    position = {sp_id: i for i, sp_id in enumerate(sp_ids)}
    months = np.asarray([_month_of(int(t)) for t in rows.app_time], dtype=np.int64)
    sp_index = np.asarray([position.get(int(s), -1) for s in rows.app_sp], dtype=np.int64)
    fraud = _fraud_months(session, rows, until)
    rings = find_spec("igraph") is not None
    signals = app_signals(rows, months, fraud_month=fraud, rings=rings)
    signals.since["staff_linked"][:] = _staff_linked(session, rows, months)
    known = sp_index >= 0
    signals.sp[:] = np.where(known, sp_index, 0)
    for since in signals.since.values():
        since[~known] = NEVER
    signals.month[~known] = -(10**6)  # outside every window
    return at_month(signals, len(sp_ids), last, lookback)


def _staff_linked(session: Session, rows: LinkRows, months: np.ndarray) -> np.ndarray:
    """Per application: its month when one of its phones is a staff phone of its own SP."""
    out = np.full(rows.n_apps, NEVER, dtype=np.int64)
    staff = key_hashes(session)
    if not staff:
        return out
    index = {app_id: i for i, app_id in enumerate(rows.app_ids)}
    c = LINK.c
    query = select(c.application_id, c.key_hash, c.sp_id).where(
        c.kind.in_(PHONE_KINDS), c.key_hash.in_(list(staff))
    )
    for app_id, key_hash, sp_id in session.execute(query):
        i = index.get(app_id)
        if i is not None and staff[key_hash] == sp_id:
            out[i] = months[i]
    return out


def _fraud_months(session: Session, rows: LinkRows, until: datetime) -> np.ndarray:
    """Per application: the month of its latest label by `until` when that says fraud."""
    out = np.full(rows.n_apps, NEVER, dtype=np.int64)
    index = {app_id: i for i, app_id in enumerate(rows.app_ids)}
    query = (
        select(FraudLabel.application_id, FraudLabel.label, FraudLabel.labelled_at)
        .where(FraudLabel.labelled_at <= until)
        .order_by(FraudLabel.labelled_at, FraudLabel.id)
    )
    latest: dict[str, tuple[str, datetime]] = {}
    for app_id, label, at in session.execute(query):
        latest[app_id] = (label, at)
    for app_id, (label, at) in latest.items():
        i = index.get(app_id)
        if i is not None and label == "fraud":
            stamp = at if at.tzinfo else at.replace(tzinfo=UTC)
            local = stamp.astimezone(CHINA_TZ)
            out[i] = local.year * 12 + local.month - 1
    return out
