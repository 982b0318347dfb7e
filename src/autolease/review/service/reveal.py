"""Revealing one masked field of an applicant: only with a stated reason, and audited (the
value itself is never written to the audit trail). Minimum necessary: one field at a time."""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from autolease.audit import service as audit_service
from autolease.audit.service import Actor
from autolease.kit.crypto import FieldCipher
from autolease.origination.models import Applicant, Application
from autolease.review.exceptions import CaseNotFound

COLUMNS = {
    "name": ("name_enc", "applicant.name"),
    "id_number": ("id_number_enc", "applicant.id_number"),
    "phone": ("phone_enc", "applicant.phone"),
    "bank_card": ("bank_card_enc", "applicant.bank_card"),
    "address": ("address_enc", "applicant.address"),
}


def reveal(
    session: Session,
    *,
    app: Application,
    field: str,
    reason: str,
    actor: Actor,
    cipher: FieldCipher,
) -> str:
    """The field in clear; the reveal (who, which field, why) goes to the audit trail."""
    applicant = session.get(Applicant, app.applicant_id)
    column, context = COLUMNS[field]
    token = getattr(applicant, column, None) if applicant is not None else None
    if not token:
        raise CaseNotFound(f"application {app.id} has no {field} to reveal")
    value = cipher.decrypt(token, context=context)
    if field == "address":
        value = _address_text(value)
    audit_service.log(
        session,
        actor,
        "applicant.field_revealed",
        entity_type="application",
        entity_id=app.id,
        payload={"field": field, "reason": reason},
    )
    return value


def _address_text(stored: str) -> str:
    """The stored address (JSON of its parts) as one line."""
    try:
        parts = json.loads(stored)
    except ValueError:
        return stored
    if not isinstance(parts, dict):
        return stored
    return "".join(str(v) for v in parts.values() if isinstance(v, str))
