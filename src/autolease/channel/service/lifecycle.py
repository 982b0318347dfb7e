"""Due diligence and status changes of an SP, each audited."""

from __future__ import annotations

from sqlalchemy.orm import Session

from autolease.audit import service as audit
from autolease.audit.service import Actor
from autolease.channel import repository
from autolease.channel.exceptions import DueDiligenceInvalid, StatusChangeRefused
from autolease.channel.lifecycle import Item, missing_items, transition_problem
from autolease.channel.models import SpDueDiligence
from autolease.channel.schemas import DueDiligenceIn, DueDiligenceRead, DueDiligenceReport
from autolease.dealer.models import ServiceProvider
from autolease.identity.identifiers.common import IdentifierError
from autolease.identity.identifiers.uscc import validate_uscc


def record_item(
    session: Session, sp: ServiceProvider, item: Item, data: DueDiligenceIn, actor: Actor
) -> SpDueDiligence:
    value = _checked_value(item, data)
    row = next((r for r in repository.due_diligence(session, sp.id) if r.item == item.value), None)
    if row is None:
        row = SpDueDiligence(sp_id=sp.id, item=item.value)
        session.add(row)
    row.value, row.note, row.verified = value, data.note, data.verified
    row.recorded_by, row.recorded_at = actor.name, actor.at
    session.flush()
    audit.log(
        session,
        actor,
        "sp.due_diligence",
        entity_type="service_provider",
        entity_id=sp.code,
        payload={"item": item.value, "verified": data.verified},
    )
    return row


def _checked_value(item: Item, data: DueDiligenceIn) -> str | None:
    if item is not Item.BUSINESS_LICENCE:
        return data.value
    if data.value is None:
        raise DueDiligenceInvalid.on(
            "value", "required", "the licence's USCC is required", "营业执照须填写统一社会信用代码"
        )
    try:
        return validate_uscc(data.value).code
    except IdentifierError as exc:
        raise DueDiligenceInvalid.on("value", exc.rule, exc.message_en, exc.message_zh) from exc


def report(session: Session, sp: ServiceProvider) -> DueDiligenceReport:
    rows = repository.due_diligence(session, sp.id)
    items = [
        DueDiligenceRead(
            item=Item(r.item),
            value=r.value,
            verified=r.verified,
            note=r.note,
            recorded_by=r.recorded_by,
            recorded_at=r.recorded_at,
        )
        for r in rows
    ]
    verified = {r.item for r in rows if r.verified}
    return DueDiligenceReport(
        sp_code=sp.code, status=sp.status, items=items, missing=list(missing_items(verified))
    )


def change_status(
    session: Session, sp: ServiceProvider, target: str, reason: str, actor: Actor
) -> ServiceProvider:
    verified = {r.item for r in repository.due_diligence(session, sp.id) if r.verified}
    problem = transition_problem(sp.status, target, verified)
    if problem is not None:
        raise StatusChangeRefused(problem)
    before = sp.status
    sp.status = target
    session.flush()
    audit.log(
        session,
        actor,
        "sp.status_changed",
        entity_type="service_provider",
        entity_id=sp.code,
        payload={"from": before, "to": target, "reason": reason},
    )
    return sp
