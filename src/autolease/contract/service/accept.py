"""The SP accepts one offer of an approved application, which books a contract."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from autolease.audit import service as audit_service
from autolease.audit.service import Actor
from autolease.auth.principal import Principal
from autolease.channel.service import partners
from autolease.contract import repository
from autolease.contract.exceptions import OfferAlreadyAccepted, OfferNotAcceptable
from autolease.contract.lifecycle import ContractStatus
from autolease.contract.models import Contract
from autolease.contract.schemas import AcceptOffer
from autolease.contract.settings import ContractSettings
from autolease.contract.terms import ContractTerms, OfferUnusable, schedule_of, terms_from_offer
from autolease.exceptions import Forbidden
from autolease.kit.clock import business_date
from autolease.kit.ids import IdFactory
from autolease.kit.money import to_fen
from autolease.origination import repository as origination_repository
from autolease.origination.models import Application, Decision
from autolease.origination.service.persist import transition
from autolease.product.present import installment_dict

ACCEPTABLE_STATUS = "approved"
CONTRACTED_STATUS = "contracted"


def accept_offer(
    session: Session,
    *,
    app: Application,
    principal: Principal,
    actor: Actor,
    ids: IdFactory,
    data: AcceptOffer,
    settings: ContractSettings,
) -> tuple[Contract, bool]:
    """Book the contract of the accepted offer; the same acceptance again returns it.

    Returns the contract and whether it already existed (a replay).
    """
    if principal.sp_id is None:
        raise Forbidden("only the SP that submitted the application accepts its offers")
    existing = repository.by_application(session, app.id)
    if existing is not None:
        return _replay(existing, data), True
    decision = _current_decision(session, app, data, actor, settings)
    offer = _offer(decision, data.offer_rank)
    contract = _new_contract(app, decision, offer, data, actor, ids)
    try:
        with session.begin_nested():
            session.add(contract)
    except IntegrityError:  # a concurrent acceptance of the same application won
        winner = repository.by_application(session, app.id)
        if winner is None:
            raise
        return _replay(winner, data), True
    transition(session, app, CONTRACTED_STATUS, actor, "offer accepted")
    partners.accrue_on_booking(session, contract, actor)  # a referral earns its partner's fee
    audit_service.log(
        session,
        actor,
        "contract.booked",
        entity_type="contract",
        entity_id=contract.id,
        payload={"application_id": app.id, "decision_id": decision.id, "rank": data.offer_rank},
    )
    session.flush()
    return contract, False


def _replay(existing: Contract, data: AcceptOffer) -> Contract:
    if (existing.decision_id, existing.offer_rank) != (data.decision_id, data.offer_rank):
        raise OfferAlreadyAccepted(
            f"application {existing.application_id} already has contract {existing.id} "
            f"(offer {existing.offer_rank} of {existing.decision_id})"
        )
    return existing


def _current_decision(
    session: Session, app: Application, data: AcceptOffer, actor: Actor, settings: ContractSettings
) -> Decision:
    if app.status != ACCEPTABLE_STATUS:
        raise OfferNotAcceptable(f"an application that is {app.status} has no offer to accept")
    decision = origination_repository.latest_decision(session, app.id)
    if decision is None or decision.id != data.decision_id:
        raise OfferNotAcceptable(
            f"the offers of {data.decision_id} were superseded by a later decision"
        )
    last_day = business_date(decision.decided_at) + timedelta(days=settings.offer_validity_days)
    if business_date(actor.at) > last_day:
        raise OfferNotAcceptable(f"the offers of {decision.id} expired on {last_day.isoformat()}")
    return decision


def _offer(decision: Decision, rank: int) -> dict[str, Any]:
    offer = next((o for o in decision.offers if o.get("rank") == rank), None)
    if offer is None:
        raise OfferNotAcceptable(f"decision {decision.id} has no offer ranked {rank}")
    return offer


def _new_contract(
    app: Application,
    decision: Decision,
    offer: dict[str, Any],
    data: AcceptOffer,
    actor: Actor,
    ids: IdFactory,
) -> Contract:
    try:
        terms: ContractTerms = terms_from_offer(offer)
    except OfferUnusable as exc:
        raise OfferNotAcceptable(str(exc)) from None
    return Contract(
        id=ids.new("ctr"),
        application_id=app.id,
        decision_id=decision.id,
        offer_rank=data.offer_rank,
        sp_id=app.sp_id,
        status=ContractStatus.BOOKED.value,
        product_code=terms.product_code,
        product_type=terms.product_type.value,
        terms={"offer": offer},
        schedule=[installment_dict(row) for row in schedule_of(terms)],
        term_months=terms.term_months,
        financed_fen=to_fen(terms.financed),
        monthly_payment_fen=to_fen(terms.monthly_payment),
        title_action=terms.title_action,
        title_state="pending",
        title_reference=None,
        gps_device_id=data.gps_device_id,
        booked_at=actor.at,
        start_on=None,
        closed_on=None,
        updated_at=actor.at,
    )
