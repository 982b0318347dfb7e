"""Confirmed-fraud labels: how a known-bad application gets into the store."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from autolease.audit import service as audit_service
from autolease.audit.service import Actor
from autolease.exceptions import NotFound
from autolease.fraud import repository
from autolease.fraud.models import FraudLabel
from autolease.origination.models import Application


def record_label(
    session: Session,
    *,
    application_id: str,
    label: str,
    pattern: str | None,
    source: str,
    note: str | None,
    actor: Actor,
) -> FraudLabel:
    """Add a label (the latest one counts) and audit it. 404 for an unknown application."""
    if session.get(Application, application_id) is None:
        raise NotFound(f"application {application_id} not found")
    row = FraudLabel(
        application_id=application_id,
        label=label,
        pattern=pattern,
        source=source,
        note=note,
        labelled_by=actor.name,
        labelled_at=actor.at,
    )
    session.add(row)
    session.flush()
    audit_service.log(
        session,
        actor,
        "fraud.labelled",
        entity_type="application",
        entity_id=application_id,
        payload={"label": label, "pattern": pattern, "source": source, "label_id": row.id},
    )
    return row


def labels(session: Session, application_id: str) -> Sequence[FraudLabel]:
    return repository.labels_for(session, application_id)
