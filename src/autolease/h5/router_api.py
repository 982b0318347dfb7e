"""The H5 page's JSON calls (`/h5/api/…`): validation as typed, the VIN, the live quote and
the submission. A call is authenticated by the page's session cookie with its CSRF header,
or, on an applicant's link, by the link's token in `X-Applicant-Link` (a header a browser
never adds by itself, so it needs no CSRF token). Errors are the API's JSON shape, with the
field errors in Chinese and English."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Path, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.responses import JSONResponse

from autolease.auth.principal import Principal
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.errors import field_errors
from autolease.exceptions import AutoleaseError, InputInvalid
from autolease.h5 import service
from autolease.h5.exceptions import LinkNotFound
from autolease.h5.models import ApplicantLink
from autolease.h5.schemas import H5Submission
from autolease.web import csrf
from autolease.web.deps import UNSAFE_METHODS, get_web_principal
from autolease.web.errors import PageError
from autolease.web.sessions import CSRF_HEADER

router = APIRouter(prefix="/api")
LINK_HEADER = "x-applicant-link"
Draft = Annotated[dict[str, Any], Body()]
IdempotencyKey = Annotated[str, Header(alias="Idempotency-Key", min_length=8, max_length=200)]


@dataclass(frozen=True)
class Caller:
    principal: Principal
    link: ApplicantLink | None
    channel: str


def get_caller(request: Request, session: SessionDep, runtime: RuntimeDep) -> Caller:
    """The link's applicant (by `X-Applicant-Link`) or the logged-in SP staff (with CSRF)."""
    token = request.headers.get(LINK_HEADER)
    if token is not None:
        try:
            opened = service.open_link(session, token, runtime.clock.now())
        except LinkNotFound:
            raise PageError(404, "link_not_found", "this link is unknown or has expired") from None
        return Caller(opened.principal, opened.link, "h5_link")
    web = get_web_principal(request, session, runtime)
    if request.method in UNSAFE_METHODS and not csrf.tokens_match(
        request.headers.get(CSRF_HEADER), web.csrf_token
    ):
        raise PageError(403, "csrf_failed", "the page's security token is missing or stale")
    return Caller(web.principal, None, "h5_staff")


CallerDep = Annotated[Caller, Depends(get_caller)]


NO_STORE = {"Cache-Control": "no-store"}  # nothing of a draft stays in the browser's cache


def _json(value: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(value, status_code=status, headers=NO_STORE)


def _error(exc: AutoleaseError) -> JSONResponse:
    return JSONResponse(
        exc.to_body(), status_code=exc.status_code, headers={**NO_STORE, **(exc.headers or {})}
    )


def _answer(session: Session, call: Callable[[], Any], status: int = 200) -> JSONResponse:
    """The call's value as JSON, or its error in the API's shape (nothing written kept)."""
    try:
        value = call()
    except AutoleaseError as exc:
        session.rollback()
        return _error(exc)
    return _json(value, status)


@router.post("/check")
def check(draft: Draft, _: CallerDep) -> JSONResponse:
    """The draft's field errors by the API's own rules (nothing is stored)."""
    return _json({"errors": [e.as_dict() for e in service.check_draft(draft)]})


@router.get("/vin/{vin}")
def vin(
    vin: Annotated[str, Path(max_length=20)], session: SessionDep, _: CallerDep
) -> JSONResponse:
    """The VIN decoded on entry: model year, manufacturer, brand and model suggestions."""
    return _answer(session, lambda: service.decode_vin(vin))


@router.post("/quote")
def quote(draft: Draft, session: SessionDep, runtime: RuntimeDep, _: CallerDep) -> JSONResponse:
    """A live quote from the matcher, with what would make an offer possible."""
    return _answer(session, lambda: service.quote(session, runtime, draft))


@router.post("/applications")
def submit(
    body: Draft,
    session: SessionDep,
    runtime: RuntimeDep,
    caller: CallerDep,
    idempotency_key: IdempotencyKey,
) -> JSONResponse:
    """Submit the draft with its consents; the same Idempotency-Key replays the first answer."""
    try:
        submission = H5Submission.model_validate(body)
    except ValidationError as exc:
        return _error(
            InputInvalid("the application is not valid", errors=field_errors(exc.errors()))
        )

    def run() -> dict[str, Any]:
        result = service.submit(
            session,
            runtime,
            submission=submission,
            principal=caller.principal,
            idempotency_key=idempotency_key,
            channel=caller.channel,
            link=caller.link,
        )
        return result.model_dump(mode="json")

    return _answer(session, run, status=201)
