"""Writing an application: personal data encrypted, blind-indexed and masked; links; decision."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import insert
from sqlalchemy.orm import Session

from autolease.audit import service as audit_service
from autolease.audit.service import Actor
from autolease.db import insert_rows, table_of
from autolease.fraud.keys import link_hash
from autolease.identity.identifiers import validate_resident_id
from autolease.kit import masking
from autolease.kit.clock import business_date
from autolease.kit.crypto import FieldCipher
from autolease.kit.ids import IdFactory
from autolease.kit.jsonable import jsonable
from autolease.kit.money import to_fen
from autolease.origination.facts import link_values
from autolease.origination.models import (
    Applicant,
    Application,
    ApplicationLink,
    ApplicationStatusEvent,
    Decision,
    Vehicle,
)
from autolease.origination.pipeline import DecisionContext, LinkKey, Outcome
from autolease.origination.schemas import (
    ApplicationCreate,
    CorporateApplicant,
    IndividualApplicant,
    VehicleIn,
)
from autolease.review.service.opening import open_case
from autolease.webhooks import outbox

OUTCOME_STATUS = {
    Outcome.APPROVE: "approved",
    Outcome.REFER: "referred",
    Outcome.DECLINE: "declined",
}


@dataclass
class StoredApplication:
    """The rows one intake wrote, kept so the response is built without reading them back."""

    app: Application
    applicant: Applicant
    vehicle: Vehicle
    events: list[ApplicationStatusEvent] = field(default_factory=list)
    decision: Decision | None = None
    audit: list[audit_service.Entry] = field(default_factory=list)


def store_application(
    session: Session,
    *,
    data: ApplicationCreate,
    sp_id: int,
    cipher: FieldCipher,
    ids: IdFactory,
    actor: Actor,
) -> StoredApplication:
    """The rows of an application, not yet written except the applicant and the vehicle (their
    ids are needed): `store_decision` then sets the final status, and `write_rows` inserts
    the application once, with that status, instead of inserting and updating it."""
    applicant = _applicant_row(data, cipher, actor)
    vehicle = _vehicle_row(data.vehicle)
    insert_rows(session, [applicant])
    insert_rows(session, [vehicle])
    financing = data.financing
    app = Application(
        id=ids.new("app"),
        sp_id=sp_id,
        applicant_id=applicant.id,
        vehicle_id=vehicle.id,
        lead_source=data.lead_source.type.value,
        partner_name=data.lead_source.partner_name,
        product_type=financing.product_type.value,
        amount_fen=to_fen(financing.amount),
        term_months=financing.term_months,
        down_payment_fen=to_fen(financing.down_payment),
        monthly_budget_fen=to_fen(financing.monthly_budget) if financing.monthly_budget else None,
        device=data.device.model_dump(mode="json", exclude={"ip"}),
        status="submitted",
        submitted_at=actor.at,
        updated_at=actor.at,
    )
    received = ApplicationStatusEvent(
        application_id=app.id,
        from_status=None,
        to_status="submitted",
        actor=actor.name,
        note="received",
        occurred_at=actor.at,
    )
    stored = StoredApplication(app, applicant, vehicle, [received])
    stored.audit.append(
        audit_service.Entry(
            "application.submitted",
            "application",
            app.id,
            {"sp_id": sp_id, "lead_source": app.lead_source, "amount_fen": app.amount_fen},
        )
    )
    return stored


def _applicant_row(data: ApplicationCreate, cipher: FieldCipher, actor: Actor) -> Applicant:
    a = data.applicant
    enc = cipher.encrypt
    row = Applicant(
        kind=a.type,
        name_enc=enc(a.name, context="applicant.name"),
        name_masked=_masked_name(a),
        phone_enc=enc(a.phone, context="applicant.phone"),
        phone_bidx=cipher.blind_index("phone", a.phone),
        phone_masked=masking.mask_phone(a.phone),
        bank_card_enc=enc(a.bank_card, context="applicant.bank_card"),
        bank_card_bidx=cipher.blind_index("bank_card", a.bank_card),
        bank_card_masked=masking.mask_bank_card(a.bank_card),
        address_enc=enc(a.address.model_dump_json(), context="applicant.address"),
        province=a.address.province,
        city=a.address.city,
        monthly_income_fen=to_fen(a.monthly_income) if a.monthly_income is not None else None,
    )
    if a.emergency_contacts:
        contacts = json.dumps([c.model_dump() for c in a.emergency_contacts], ensure_ascii=False)
        row.contacts_enc = enc(contacts, context="applicant.contacts")
    if isinstance(a, IndividualApplicant):
        _individual_fields(row, a, cipher, actor)
    else:
        _corporate_fields(row, a, cipher)
    return row


def _masked_name(a: IndividualApplicant | CorporateApplicant) -> str:
    if isinstance(a, IndividualApplicant):
        return masking.mask_name(a.name)
    return masking.mask_company_name(a.name)


def _individual_fields(
    row: Applicant, a: IndividualApplicant, cipher: FieldCipher, actor: Actor
) -> None:
    rid = validate_resident_id(a.id_number)
    row.id_number_enc = cipher.encrypt(a.id_number, context="applicant.id_number")
    row.id_number_bidx = cipher.blind_index("id_number", a.id_number)
    row.id_number_masked = masking.mask_id_number(a.id_number)
    row.employer = a.employer
    row.gender = rid.gender
    row.age_at_application = rid.age_on(business_date(actor.at))


def _corporate_fields(row: Applicant, a: CorporateApplicant, cipher: FieldCipher) -> None:
    rep = a.legal_representative
    row.uscc = a.uscc
    row.legal_rep_enc = cipher.encrypt(rep.model_dump_json(), context="applicant.legal_rep")
    row.id_number_bidx = cipher.blind_index("id_number", rep.id_number)


def _vehicle_row(v: VehicleIn) -> Vehicle:
    return Vehicle(
        vin=v.vin,
        plate=v.plate,
        brand=v.brand,
        model=v.model,
        trim=v.trim,
        fuel_type=v.fuel_type.value if v.fuel_type else None,
        first_registration_date=v.first_registration_date,
        mileage_km=v.mileage_km,
        asking_price_fen=to_fen(v.asking_price),
        invoice_price_fen=to_fen(v.invoice_price) if v.invoice_price else None,
        seller_type=v.seller.type,
        seller_name=v.seller.name,
    )


def link_keys(data: ApplicationCreate, cipher: FieldCipher) -> tuple[LinkKey, ...]:
    """The distinct blind-indexed link keys of an application."""
    keys = {
        LinkKey(kind, link_hash(cipher.blind_index, kind, value))
        for kind, value in link_values(data)
    }
    return tuple(sorted(keys, key=lambda k: (k.kind, k.key_hash)))


def store_decision(
    *,
    stored: StoredApplication,
    ctx: DecisionContext,
    ids: IdFactory,
    actor: Actor,
) -> Decision:
    assert ctx.outcome is not None
    assert ctx.policy is not None
    app = stored.app
    decision = Decision(
        id=ids.new("dec"),
        application_id=app.id,
        outcome=ctx.outcome.value,
        reasons=[r.as_dict() for r in ctx.reasons],
        offers=ctx.offers,
        policy_key=ctx.policy.key,
        policy_version=ctx.policy.version,
        policy_hash=ctx.policy.content_hash,
        model_versions=dict(ctx.model_versions),
        features=jsonable(ctx.features),
        trace=[
            {
                "stage": t.stage,
                "duration_ms": t.duration_ms,
                "reasons": list(t.reasons),
                "note": t.note,
            }
            for t in ctx.trace
        ],
        decided_at=actor.at,
    )
    moved = status_event(app, OUTCOME_STATUS[ctx.outcome], actor, f"decision {decision.id}")
    stored.events.append(moved)
    stored.decision = decision
    stored.audit.append(
        audit_service.Entry(
            "decision.made",
            "application",
            app.id,
            {
                "decision_id": decision.id,
                "outcome": decision.outcome,
                "reasons": [r.code for r in ctx.reasons],
                "policy": f"{ctx.policy.key}@{ctx.policy.version}",
                "policy_hash": ctx.policy.content_hash,
            },
        )
    )
    return decision


def write_rows(session: Session, stored: StoredApplication, links: tuple[LinkKey, ...]) -> None:
    """Insert the application, then what refers to it, then its link rows: Core inserts in
    foreign-key order (the rows are append-only; the unit of work cost more than SQLite)."""
    app = stored.app
    insert_rows(session, [app])
    insert_rows(session, stored.events, fetch_keys=False)
    outbox.publish(session, app, stored.events)
    if stored.decision is not None:
        insert_rows(session, [stored.decision])
        if stored.decision.outcome == "refer":
            _open_review_case(session, app, stored.decision)
    if links:
        session.connection().execute(
            insert(table_of(ApplicationLink)),
            [
                {
                    "application_id": app.id,
                    "kind": link.kind,
                    "key_hash": link.key_hash,
                    "sp_id": app.sp_id,
                    "submitted_at": app.submitted_at,
                }
                for link in links
            ],
        )


def _open_review_case(session: Session, app: Application, decision: Decision) -> None:
    """A referred application goes to the reviewers' queue (`review.service.opening`)."""
    open_case(
        session,
        application_id=app.id,
        decision_id=decision.id,
        sp_id=app.sp_id,
        amount_fen=app.amount_fen,
        referred_at=decision.decided_at,
        reasons=decision.reasons,
    )


def append_audit(session: Session, stored: StoredApplication, actor: Actor) -> None:
    """The intake's audit events, appended together last (the chain tip is locked briefly)."""
    audit_service.log_many(session, actor, stored.audit)
    stored.audit.clear()


def transition(
    session: Session, app: Application, to: str, actor: Actor, note: str
) -> ApplicationStatusEvent:
    """Move `app` to `to` after its intake; with the intake's `write_rows`, the one place
    status events are written, and so where the webhook outbox is written in the same
    transaction."""
    event = status_event(app, to, actor, note)
    session.add(event)
    outbox.publish(session, app, [event])
    return event


def status_event(app: Application, to: str, actor: Actor, note: str) -> ApplicationStatusEvent:
    """The event of moving `app` to `to`; sets its status (the caller adds the event)."""
    event = ApplicationStatusEvent(
        application_id=app.id,
        from_status=app.status,
        to_status=to,
        actor=actor.name,
        note=note,
        occurred_at=actor.at,
    )
    app.status, app.updated_at = to, actor.at
    return event
