"""Fraud tables: confirmed labels, device identities and their sightings.

* ``fraud_label`` — a reviewer's (or another source's) verdict on an application; the
  latest label before a time says whether the application is *known bad* at that time
  (the graph's known-bad share, `FRAUD_CONFIRMED_LINK`).
* ``device_profile`` — a server-side device identity (``dev_…``), found again by fuzzy
  matching through three band keys; ``link_hash`` is the blind index of its id under the
  ``device`` kind, i.e. the ``application_link`` key of applications made on it.
* ``device_sighting`` — one collection by the JavaScript collector: validated signals, the
  IP's blind index and region (never the IP itself), the similarity of the match.
* ``fraud_ring_run`` — one ring detection over the store's links (the console's button or
  ``autolease fraud rings-run``): who asked and when, its status, the policy, the counts;
  ``fraud_ring`` — the rings it found, each with what the console shows and exports, so the
  pages read a finished run instead of detecting again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from autolease.db import Base, UtcDateTime


class FraudLabel(Base):
    __tablename__ = "fraud_label"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("application.id"))
    label: Mapped[str] = mapped_column(String(16))  # fraud | not_fraud
    pattern: Mapped[str | None] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(String(500))
    labelled_by: Mapped[str] = mapped_column(String(100))
    labelled_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        Index("ix_fraud_label_application_id_labelled_at", "application_id", "labelled_at"),
    )


class DeviceProfile(Base):
    __tablename__ = "device_profile"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    link_hash: Mapped[str] = mapped_column(String(64), index=True)
    band0: Mapped[str | None] = mapped_column(String(32), index=True)
    band1: Mapped[str | None] = mapped_column(String(32), index=True)
    band2: Mapped[str | None] = mapped_column(String(32), index=True)
    components: Mapped[dict[str, Any]] = mapped_column(JSON)
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sightings: Mapped[int] = mapped_column()


class DeviceSighting(Base):
    __tablename__ = "device_sighting"

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("device_profile.id"))
    collected_at: Mapped[datetime] = mapped_column(UtcDateTime)
    similarity: Mapped[float | None] = mapped_column(Float)
    ip_bidx: Mapped[str | None] = mapped_column(String(64))
    ip_region: Mapped[str | None] = mapped_column(String(40))
    signals: Mapped[dict[str, Any]] = mapped_column(JSON)

    __table_args__ = (
        Index("ix_device_sighting_device_id_collected_at", "device_id", "collected_at"),
    )


class RingRun(Base):
    __tablename__ = "fraud_ring_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(10))  # queued | running | done | failed
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)  # the policy and the window
    started_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    applications: Mapped[int | None] = mapped_column()
    linked_applications: Mapped[int | None] = mapped_column()
    links: Mapped[int | None] = mapped_column()  # edges between applications
    rings: Mapped[int | None] = mapped_column()
    flagged_rings: Mapped[int | None] = mapped_column()
    stats: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # `GraphStats` in full
    error: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (Index("ix_fraud_ring_run_created_at", "created_at"),)


class StoredRing(Base):
    """A ring of a run; ``export`` is `ring_json` at the run, ``graph`` the drawing's elements
    (known bad is read again from the labels when shown)."""

    __tablename__ = "fraud_ring"

    run_id: Mapped[int] = mapped_column(ForeignKey("fraud_ring_run.id"), primary_key=True)
    ring_id: Mapped[str] = mapped_column(String(48), primary_key=True)
    rank: Mapped[int] = mapped_column()  # 0 = the highest score
    score: Mapped[float] = mapped_column(Float)
    flagged: Mapped[bool] = mapped_column()
    size: Mapped[int] = mapped_column()
    identities: Mapped[int] = mapped_column()
    sps: Mapped[int] = mapped_column()
    span_days: Mapped[float] = mapped_column(Float)
    cross_kinds: Mapped[str] = mapped_column(String(200))
    known_bad: Mapped[int] = mapped_column()  # at the run
    members: Mapped[list[str]] = mapped_column(JSON)  # application ids
    export: Mapped[dict[str, Any]] = mapped_column(JSON)
    graph: Mapped[dict[str, Any]] = mapped_column(JSON)

    __table_args__ = (Index("ix_fraud_ring_run_id_rank", "run_id", "rank"),)
