"""Submit: validate → run the pipeline → persist application and decision, idempotently."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from autolease.audit.service import Actor
from autolease.auth.principal import Principal
from autolease.channel.service import partners
from autolease.db import insert_rows
from autolease.dealer import service as dealer_service
from autolease.decision.service import record_evaluations
from autolease.exceptions import Forbidden, IdempotencyConflict
from autolease.kit.clock import business_date
from autolease.kit.crypto import FieldCipher
from autolease.kit.ids import IdFactory
from autolease.origination import repository
from autolease.origination.exceptions import IdempotencyInFlight
from autolease.origination.facts import build_facts, canonical_body
from autolease.origination.models import ApplicationConsent, IdempotencyRecord
from autolease.origination.pipeline import (
    DecisionContext,
    PrefetchRequest,
    Stage,
    run_pipeline,
)
from autolease.origination.schemas import ApplicantConsent, ApplicationCreate
from autolease.origination.service.persist import (
    append_audit,
    link_keys,
    store_application,
    store_decision,
    write_rows,
)
from autolease.origination.service.views import to_read


class Prefetcher(Protocol):
    """Looks data up in the store or a provider before the pure stages run.

    Stages stay pure: anything they need from I/O (velocity counts, graph neighbourhoods,
    bureau or court-list records) is fetched here and merged into `ctx.features`.
    """

    @property
    def name(self) -> str: ...

    def fetch(self, session: Session, request: PrefetchRequest) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Submitted:
    status_code: int
    body: dict[str, Any]
    replayed: bool


def submit(
    session: Session,
    *,
    data: ApplicationCreate,
    principal: Principal,
    actor: Actor,
    cipher: FieldCipher,
    ids: IdFactory,
    stages: Sequence[Stage],
    prefetchers: Sequence[Prefetcher] = (),
    idempotency_key: str | None = None,
    consent_channel: str = "api",
) -> Submitted:
    """Decide and store one application (with its consents when given, as obtained through
    `consent_channel`); a repeated Idempotency-Key replays the first answer."""
    if principal.sp_id is None:
        raise Forbidden("only an SP (API key or SP user) can submit applications")
    body_hash = cipher.blind_index("request", canonical_body(data))
    if idempotency_key is not None:
        existing = repository.idempotency_record(session, principal.sp_id, idempotency_key)
        if existing is not None:
            return _replay(existing, body_hash)
    sp = _submitting_sp(session, principal.sp_id, principal)
    partner = partners.resolve_referral(session, data.lead_source.partner_code)
    facts = build_facts(data, sp_grade=sp.grade)
    links = link_keys(data, cipher)
    ctx = DecisionContext(facts, actor.at, business_date(actor.at))
    request = PrefetchRequest(facts, links, actor.at, sp.id)
    for prefetcher in prefetchers:
        ctx.features.update(prefetcher.fetch(session, request))
    run_pipeline(stages, ctx, time.perf_counter)
    stored = store_application(session, data=data, sp_id=sp.id, cipher=cipher, ids=ids, actor=actor)
    app = stored.app
    if partner is not None and app.partner_name is None:
        app.partner_name = partner.name
    decision = store_decision(stored=stored, ctx=ctx, ids=ids, actor=actor)
    write_rows(session, stored, links)
    if data.consent is not None:
        _record_consent(session, app.id, data.consent, consent_channel, actor)
    if partner is not None:
        partners.attribute(session, app.id, partner, actor)
    record_evaluations(
        session, decision_id=decision.id, application_id=app.id, ctx=ctx, at=actor.at
    )
    append_audit(session, stored, actor)
    body = to_read(session, app, cipher=cipher, written=stored, sp_code=sp.code).model_dump(
        mode="json"
    )
    if idempotency_key is not None:
        record = IdempotencyRecord(
            sp_id=sp.id, key=idempotency_key, request_hash=body_hash, created_at=actor.at,
            application_id=app.id, response_status=201, response_body=body,
        )  # fmt: skip
        lost = _remember(session, record)
        if lost is not None:
            return lost
    session.flush()
    return Submitted(201, body, replayed=False)


def _record_consent(
    session: Session, app_id: str, consent: ApplicantConsent, channel: str, actor: Actor
) -> None:
    session.add(
        ApplicationConsent(
            application_id=app_id,
            personal_information=consent.personal_information,
            biometrics=consent.biometrics,
            text_version=consent.text_version,
            channel=channel,
            given_at=actor.at,
        )
    )


@dataclass(frozen=True)
class _SubmittingSp:
    id: int
    code: str
    grade: str


def _submitting_sp(session: Session, sp_id: int, principal: Principal) -> _SubmittingSp:
    """The SP an intake is for: as authenticated in this transaction, else read."""
    if principal.sp_code is not None and principal.sp_grade is not None:
        return _SubmittingSp(sp_id, principal.sp_code, principal.sp_grade)
    sp = dealer_service.get(session, sp_id=sp_id)
    return _SubmittingSp(sp.id, sp.code, sp.grade)


def _replay(record: IdempotencyRecord, body_hash: str) -> Submitted:
    if record.request_hash != body_hash:
        raise IdempotencyConflict("this Idempotency-Key was used with a different request body")
    if record.response_body is None or record.response_status is None:
        raise IdempotencyInFlight("a request with this Idempotency-Key is still being processed")
    return Submitted(record.response_status, record.response_body, replayed=True)


def _remember(session: Session, record: IdempotencyRecord) -> Submitted | None:
    """Store the key with its response, last, in one insert. A concurrent duplicate that
    committed first makes it fail: everything this request wrote is then rolled back and the
    winner's response is replayed instead (None when this request won). The record is not in
    the session, so the rollback leaves its attributes readable."""
    try:
        insert_rows(session, [record])
    except IntegrityError:
        session.rollback()
        winner = repository.idempotency_record(session, record.sp_id, record.key)
        if winner is None:
            raise
        return _replay(winner, record.request_hash)
    return None
