"""Reading, listing and withdrawing applications, each within the caller's tenancy."""

from __future__ import annotations

from sqlalchemy.orm import Session

from autolease.audit import service as audit_service
from autolease.audit.service import Actor
from autolease.auth.principal import Principal
from autolease.dealer import service as dealer_service
from autolease.exceptions import Forbidden
from autolease.origination import repository
from autolease.origination.exceptions import ApplicationNotFound, InvalidTransition
from autolease.origination.models import Application, Decision
from autolease.origination.schemas import ApplicationPage
from autolease.origination.service.persist import transition
from autolease.origination.service.views import finals_of, summary
from autolease.review.service.opening import close_on_withdrawal

WITHDRAWABLE = frozenset({"submitted", "approved", "referred", "info_requested"})


def get_visible(session: Session, *, application_id: str, principal: Principal) -> Application:
    """The application, or 404 when it does not exist or belongs to another SP."""
    app = session.get(Application, application_id)
    if app is None or not principal.can_see_sp(app.sp_id):
        raise ApplicationNotFound(f"no application {application_id!r}")
    return app


def decision_of(session: Session, *, app: Application) -> Decision:
    decision = repository.latest_decision(session, app.id)
    if decision is None:
        raise ApplicationNotFound(f"application {app.id!r} has no decision yet")
    return decision


def page(
    session: Session, *, principal: Principal, status: str | None, cursor: str | None, limit: int
) -> ApplicationPage:
    rows = repository.page_of_applications(
        session, sp_id=principal.sp_id, status=status, before_id=cursor, limit=limit + 1
    )
    items = list(rows[:limit])
    outcomes = repository.latest_outcomes(session, [a.id for a in items])
    codes = {sp.id: sp.code for sp in dealer_service.list_all(session)}
    finals = finals_of(session, items, outcomes)
    return ApplicationPage(
        items=[
            summary(session, a, codes[a.sp_id], outcomes.get(a.id), finals[a.id]) for a in items
        ],
        next_cursor=items[-1].id if len(rows) > limit else None,
    )


def withdraw(
    session: Session, *, app: Application, principal: Principal, actor: Actor, note: str | None
) -> Application:
    if principal.sp_id is None:
        raise Forbidden("only the submitting SP can withdraw an application")
    if app.status not in WITHDRAWABLE:
        raise InvalidTransition(f"an application that is {app.status} cannot be withdrawn")
    transition(session, app, "withdrawn", actor, note or "withdrawn by SP")
    close_on_withdrawal(session, app.id)
    audit_service.log(
        session,
        actor,
        "application.withdrawn",
        entity_type="application",
        entity_id=app.id,
        payload={"note_given": note is not None},
    )
    session.flush()
    return app
