"""Read models: what the API shows of an application. Personal data only masked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from autolease.auth import repository as auth_repository
from autolease.auth.principal import Role
from autolease.dealer import service as dealer_service
from autolease.kit.crypto import FieldCipher
from autolease.kit.money import from_fen
from autolease.origination import repository
from autolease.origination.models import (
    Applicant,
    Application,
    ApplicationStatusEvent,
    Decision,
    Vehicle,
)
from autolease.origination.schemas import (
    ApplicantRead,
    ApplicationRead,
    ApplicationStaffRead,
    ApplicationSummary,
    ChecklistItemRead,
    DecisionDetailRead,
    DecisionRead,
    FinancingRead,
    InformationRequestRead,
    PolicyRead,
    ReasonRead,
    SpActor,
    StaffStatusEventRead,
    StatusEventRead,
    VehicleRead,
)
from autolease.origination.service.audience import sp_reasons
from autolease.origination.service.persist import StoredApplication
from autolease.review.models import InformationRequest, ReviewCase

AUTOMATIC = frozenset({"approve", "decline"})
"""Policy outcomes that are final without a reviewer."""


def to_read(
    session: Session,
    app: Application,
    *,
    cipher: FieldCipher,
    written: StoredApplication | None = None,
    sp_code: str | None = None,
    staff: bool = False,
) -> ApplicationRead:
    """The application as its SP sees it (staff: every reason); `written` saves reading back."""
    core, events = _core(session, app, written, sp_code, staff=staff)
    roles = auth_repository.roles_by_username(session, sorted(_usernames(events)))
    history = [
        StatusEventRead(
            from_status=e.from_status,
            to_status=e.to_status,
            actor=sp_actor(e.actor, roles),
            occurred_at=e.occurred_at,
        )
        for e in events
    ]
    return ApplicationRead(**core, status_history=history)


def to_staff_read(session: Session, app: Application) -> ApplicationStaffRead:
    """The application as staff see it: actors by name and the notes of its status history."""
    core, events = _core(session, app, None, None, staff=True)
    history = [StaffStatusEventRead.model_validate(e, from_attributes=True) for e in events]
    return ApplicationStaffRead(**core, status_history=history)


def sp_actor(actor: str, roles: Mapping[str, str]) -> SpActor:
    """The role an SP is shown for a stored actor (``apikey:…``, ``user:…``, ``system:…``)."""
    kind, _, name = actor.partition(":")
    if kind == "apikey":
        return SpActor.SP
    if kind != "user":
        return SpActor.SYSTEM
    role = roles.get(name)
    if role == Role.SP_USER:
        return SpActor.SP
    return SpActor.REVIEWER if role == Role.REVIEWER else SpActor.STAFF


def _usernames(events: Sequence[ApplicationStatusEvent]) -> set[str]:
    return {e.actor.partition(":")[2] for e in events if e.actor.startswith("user:")}


def _core(
    session: Session,
    app: Application,
    written: StoredApplication | None,
    sp_code: str | None,
    *,
    staff: bool,
) -> tuple[dict[str, Any], list[ApplicationStatusEvent]]:
    """The fields both views share, and the status events."""
    applicant: Applicant | None
    vehicle: Vehicle | None
    if written is not None:
        applicant, vehicle = written.applicant, written.vehicle
        decision, events = written.decision, written.events
    else:
        applicant = session.get(Applicant, app.applicant_id)
        vehicle = session.get(Vehicle, app.vehicle_id)
        decision = repository.latest_decision(session, app.id)
        events = list(repository.status_events(session, app.id))
    if applicant is None or vehicle is None:
        raise LookupError(f"application {app.id} has lost its applicant or vehicle")
    core = {
        "id": app.id,
        "sp_code": sp_code or dealer_service.get(session, sp_id=app.sp_id).code,
        "status": app.status,
        "lead_source": app.lead_source,
        "submitted_at": app.submitted_at,
        "applicant": _applicant_read(applicant),
        "vehicle": _vehicle_read(vehicle),
        "financing": FinancingRead(
            product_type=app.product_type,
            amount=from_fen(app.amount_fen),
            term_months=app.term_months,
            down_payment=from_fen(app.down_payment_fen),
            monthly_budget=from_fen(app.monthly_budget_fen) if app.monthly_budget_fen else None,
        ),
        "decision": decision_read(decision, staff=staff) if decision else None,
        **final_fields(session, app, decision, fresh=written is not None),
    }
    return core, events


def final_fields(
    session: Session, app: Application, decision: Decision | None, *, fresh: bool = False
) -> dict[str, Any]:
    """The final outcome and the role that gave it, apart from the policy's outcome: the
    policy's own approve or decline (``system``), or a reviewer's verdict on a referred
    application (its review case). ``fresh``: just decided at intake, no case verdict yet."""
    case = (
        None
        if fresh
        else session.scalars(select(ReviewCase).where(ReviewCase.application_id == app.id)).first()
    )
    out: dict[str, Any] = {}
    if case is not None and case.final_outcome is not None:
        out = {
            "final_outcome": case.final_outcome,
            "decided_by_role": case.decided_by_role,
            "final_decided_at": case.decided_at,
            "approved_offer": case.approved_offer,
        }
    elif decision is not None and decision.outcome in AUTOMATIC and not _waits(case):
        out = {
            "final_outcome": decision.outcome,
            "decided_by_role": "system",
            "final_decided_at": decision.decided_at,
        }
    if case is not None:
        out["review_message"] = case.sp_message
        request = session.scalars(
            select(InformationRequest)
            .where(InformationRequest.application_id == app.id)
            .order_by(InformationRequest.id.desc())
        ).first()
        if request is not None:
            out["information_request"] = InformationRequestRead(
                items=[ChecklistItemRead.model_validate(i) for i in request.items],
                message=request.sp_message,
                requested_at=request.requested_at,
                answered_at=request.answered_at,
            )
    return out


def _waits(case: ReviewCase | None) -> bool:
    """A case in the queue: whatever the policy said, no outcome is final yet."""
    return case is not None and case.waiting


def finals_of(
    session: Session, apps: Sequence[Application], outcomes: Mapping[str, str]
) -> dict[str, tuple[str | None, str | None]]:
    """Per application of a page: (final outcome, decided-by role)."""
    ids = [a.id for a in apps]
    if not ids:
        return {}
    query = select(
        ReviewCase.application_id, ReviewCase.final_outcome, ReviewCase.decided_by_role
    ).where(
        ReviewCase.application_id.in_(ids),
        or_(ReviewCase.final_outcome.is_not(None), ReviewCase.waiting.is_(True)),
    )
    # a waiting case (a policy decline the applicant asked to have reviewed) has no final
    # outcome yet: (None, None), not the policy's
    reviewed = {app_id: (final, role) for app_id, final, role in session.execute(query)}
    out: dict[str, tuple[str | None, str | None]] = {}
    for app_id in ids:
        if app_id in reviewed:
            out[app_id] = reviewed[app_id]
        elif outcomes.get(app_id) in AUTOMATIC:
            out[app_id] = (outcomes[app_id], "system")
        else:
            out[app_id] = (None, None)
    return out


def _applicant_read(a: Applicant) -> ApplicantRead:
    return ApplicantRead(
        kind=a.kind,
        name=a.name_masked,
        id_number=a.id_number_masked,
        uscc=a.uscc,
        phone=a.phone_masked,
        bank_card=a.bank_card_masked,
        province=a.province,
        city=a.city,
        age=a.age_at_application,
        gender=a.gender,
    )


def _vehicle_read(v: Vehicle) -> VehicleRead:
    return VehicleRead(
        vin=v.vin,
        plate=v.plate,
        brand=v.brand,
        model=v.model,
        first_registration_date=v.first_registration_date,
        mileage_km=v.mileage_km,
        asking_price=from_fen(v.asking_price_fen),
    )


def decision_read(d: Decision, *, staff: bool = False) -> DecisionRead:
    """The decision; an SP (``staff=False``) does not see info-level reasons."""
    reasons = d.reasons if staff else sp_reasons(d.reasons)
    return DecisionRead(
        id=d.id,
        outcome=d.outcome,
        reasons=[ReasonRead.model_validate(r) for r in reasons],
        offers=d.offers,
        policy=PolicyRead(key=d.policy_key, version=d.policy_version, content_hash=d.policy_hash),
        model_versions=d.model_versions,
        decided_at=d.decided_at,
    )


def decision_detail(d: Decision) -> DecisionDetailRead:
    return DecisionDetailRead(
        **decision_read(d, staff=True).model_dump(), features=d.features, trace=d.trace
    )


def summary(
    session: Session,
    app: Application,
    sp_code: str,
    outcome: str | None,
    final: tuple[str | None, str | None] = (None, None),
) -> ApplicationSummary:
    applicant = session.get(Applicant, app.applicant_id)
    vehicle = session.get(Vehicle, app.vehicle_id)
    if applicant is None or vehicle is None:
        raise LookupError(f"application {app.id} has lost its applicant or vehicle")
    return ApplicationSummary(
        id=app.id,
        sp_code=sp_code,
        status=app.status,
        submitted_at=app.submitted_at,
        applicant_name=applicant.name_masked,
        vin=vehicle.vin,
        amount=from_fen(app.amount_fen),
        outcome=outcome,
        final_outcome=final[0],
        decided_by_role=final[1],
    )
