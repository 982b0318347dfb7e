"""Fraud tables: confirmed labels, device identities and their sightings.

* ``fraud_label`` — a reviewer's (or another source's) verdict on an application; the
  latest label before a time says whether the application is *known bad* at that time
  (the graph's known-bad share, `FRAUD_CONFIRMED_LINK`).
* ``device_profile`` — a server-side device identity (``dev_…``), found again by fuzzy
  matching through three band keys; ``link_hash`` is the blind index of its id under the
  ``device`` kind, i.e. the ``application_link`` key of applications made on it.
* ``device_sighting`` — one collection by the JavaScript collector: validated signals, the
  IP's blind index and region (never the IP itself), the similarity of the match.
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
