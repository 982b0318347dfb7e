"""The H5 pages' use cases: a boundary over intake, identifier and VIN validation, the
matcher and the SP's application list. Nothing here decides: it calls the same services
as the API, in the request's transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from autolease.audit import service as audit_service
from autolease.audit.service import Actor
from autolease.auth.principal import Principal, Role
from autolease.auth.service import WORKING_STATUSES
from autolease.dealer import service as dealer_service
from autolease.errors import field_errors
from autolease.exceptions import FieldError, Forbidden, InputInvalid
from autolease.h5.exceptions import LinkNotFound, LinkSpent
from autolease.h5.models import ApplicantLink
from autolease.h5.present import result_of, vin_view
from autolease.h5.schemas import (
    CONSENT_TEXT_VERSION,
    H5Submission,
    LinkCreate,
    LinkRead,
    ResultRead,
)
from autolease.identity import identifiers as ids
from autolease.kit.clock import business_date
from autolease.origination import repository as origination_repository
from autolease.origination import service as origination
from autolease.origination.models import ApplicationConsent
from autolease.origination.schemas import ApplicantConsent
from autolease.product import service as product_service
from autolease.product.schemas import QuoteRequest
from autolease.runtime import Runtime
from autolease.vehicle.vin import decode_vin as decode

LINK_PATH = "/h5/a/"
QUOTE_FIELDS = {  # a quote field → the draft's field it comes from
    "vehicle_price": "vehicle.asking_price",
    "first_registration_date": "vehicle.first_registration_date",
    "mileage_km": "vehicle.mileage_km",
    "fuel_type": "vehicle.fuel_type",
    "seller_type": "vehicle.seller.type",
    "applicant_kind": "applicant.type",
    "product_type": "financing.product_type",
    "down_payment_available": "financing.down_payment",
    "amount": "financing.amount",
    "term_months": "financing.term_months",
    "monthly_budget": "financing.monthly_budget",
    "monthly_income": "applicant.monthly_income",
}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# ---- applicant links -------------------------------------------------------------------------


def issue_link(
    session: Session,
    *,
    principal: Principal,
    data: LinkCreate,
    actor: Actor,
    new_token: Callable[[int], str],
) -> LinkRead:
    """A link for one applicant of the caller's SP (an SP key or SP user only)."""
    if principal.sp_id is None or principal.role != Role.SP_USER:
        raise Forbidden("only an SP (API key or SP user) can issue applicant links")
    token = new_token(32)
    expires = actor.at + timedelta(minutes=data.ttl_minutes)
    row = ApplicantLink(
        token_hash=token_hash(token),
        sp_id=principal.sp_id,
        reference=data.reference,
        created_by=principal.actor,
        created_at=actor.at,
        expires_at=expires,
    )
    session.add(row)
    session.flush()
    audit_service.log(
        session,
        actor,
        "h5.link_issued",
        entity_type="applicant_link",
        entity_id=str(row.id),
        payload={"reference": data.reference, "expires_at": expires.isoformat()},
    )
    return LinkRead(
        url=LINK_PATH + token, token=token, reference=data.reference, expires_at=expires
    )


@dataclass(frozen=True)
class OpenLink:
    link: ApplicantLink
    principal: Principal


def open_link(session: Session, token: str | None, now: datetime) -> OpenLink:
    """The link and the principal it submits as; unknown, expired or of an SP that may not
    work: `LinkNotFound` (the same answer for each, so a guess learns nothing)."""
    if not token or len(token) > 100:
        raise LinkNotFound("no open applicant link")
    link = session.scalars(
        select(ApplicantLink).where(ApplicantLink.token_hash == token_hash(token))
    ).one_or_none()
    if link is None or link.expires_at <= now:
        raise LinkNotFound("no open applicant link")
    sp = dealer_service.get(session, sp_id=link.sp_id)
    if sp.status not in WORKING_STATUSES:
        raise LinkNotFound("no open applicant link")
    principal = Principal(
        "api_key", f"link:{link.id}", Role.SP_USER, sp.id, sp.code, sp_grade=sp.grade
    )
    return OpenLink(link, principal)


# ---- validation as typed, VIN, quote ---------------------------------------------------------


def check_draft(draft: Mapping[str, Any]) -> list[FieldError]:
    """Every field error of the draft by the API's own model (the page shows the touched
    fields' ones): the same rules and messages as `POST /v1/applications`."""
    try:
        H5Submission.model_validate(
            {"application": draft, "consent": {"personal_information": True}}
        )
    except ValidationError as exc:
        return [_unprefixed(e, "application.") for e in field_errors(exc.errors())]
    return []


def _unprefixed(error: FieldError, prefix: str) -> FieldError:
    if error.field.startswith(prefix):
        return FieldError(
            error.field[len(prefix) :], error.rule, error.message_en, error.message_zh
        )
    return error


def decode_vin(vin: str) -> dict[str, Any]:
    """The VIN's decoded facts and suggestions, or its field error."""
    try:
        decoded = decode(vin.strip().upper())
    except ids.IdentifierError as err:
        error = FieldError("vehicle.vin", err.rule, err.message_en, err.message_zh)
        raise InputInvalid(f"vin: {err.message_en}", errors=[error]) from None
    return vin_view(decoded)


def quote(session: Session, runtime: Runtime, draft: Mapping[str, Any]) -> dict[str, Any]:
    """A live quote from the matcher for the draft's car and request, with the smallest
    changes that would make an offer possible when none is."""
    request = _quote_request(draft)
    answer = product_service.quote(session, data=request, today=business_date(runtime.clock.now()))
    return answer.model_dump(mode="json")


def _quote_request(draft: Mapping[str, Any]) -> QuoteRequest:
    vehicle = _part(draft, "vehicle")
    financing = _part(draft, "financing")
    applicant = _part(draft, "applicant")
    seller = vehicle.get("seller") if isinstance(vehicle.get("seller"), dict) else {}
    raw = {
        "vehicle_price": vehicle.get("asking_price"),
        "first_registration_date": vehicle.get("first_registration_date"),
        "mileage_km": vehicle.get("mileage_km"),
        "fuel_type": vehicle.get("fuel_type"),
        "seller_type": (seller or {}).get("type", "dealer"),
        "applicant_kind": applicant.get("type", "individual"),
        "product_type": financing.get("product_type", "any"),
        "down_payment_available": financing.get("down_payment", "0"),
        "amount": financing.get("amount"),
        "term_months": financing.get("term_months"),
        "monthly_budget": financing.get("monthly_budget"),
        "monthly_income": applicant.get("monthly_income") or None,
        "top_n": 3,
    }
    try:
        return QuoteRequest.model_validate({k: v for k, v in raw.items() if v is not None})
    except ValidationError as exc:
        errors = [_renamed(e) for e in field_errors(exc.errors())]
        raise InputInvalid("the quote needs a valid car and request", errors=errors) from None


def _part(draft: Mapping[str, Any], name: str) -> dict[str, Any]:
    value = draft.get(name)
    return value if isinstance(value, dict) else {}


def _renamed(error: FieldError) -> FieldError:
    head, _, rest = error.field.partition(".")
    field = QUOTE_FIELDS.get(head, head) + (f".{rest}" if rest else "")
    return FieldError(field, error.rule, error.message_en, error.message_zh)


# ---- submission ------------------------------------------------------------------------------


def submit(
    session: Session,
    runtime: Runtime,
    *,
    submission: H5Submission,
    principal: Principal,
    idempotency_key: str,
    channel: str,
    link: ApplicantLink | None = None,
) -> ResultRead:
    """Submit through the intake (the API's own use case) with the page's consents, which the
    intake records with the application in the same transaction (they replace any the
    application carried). A retry with the same Idempotency-Key replays the first answer: one
    application, one consent record."""
    if link is not None and link.application_id is not None:
        first = origination_repository.idempotency_record(session, link.sp_id, idempotency_key)
        if first is None:
            raise LinkSpent("this link's application has already been submitted")
    consent = ApplicantConsent(
        personal_information=submission.consent.personal_information,
        biometrics=submission.consent.biometrics,
        text_version=CONSENT_TEXT_VERSION,
    )
    result = origination.submit(
        session,
        data=submission.application.model_copy(update={"consent": consent}),
        principal=principal,
        actor=Actor(runtime.audit_key, principal.actor, runtime.clock.now()),
        cipher=runtime.cipher,
        ids=runtime.ids,
        stages=runtime.stages,
        prefetchers=runtime.prefetchers,
        idempotency_key=idempotency_key,
        consent_channel=channel,
    )
    if not result.replayed and link is not None:
        link.application_id = str(result.body["id"])
        session.flush()
    return result_of(result.body, replayed=result.replayed)


def consent_of(session: Session, application_id: str) -> ApplicationConsent | None:
    return session.scalars(
        select(ApplicationConsent).where(ApplicationConsent.application_id == application_id)
    ).one_or_none()
