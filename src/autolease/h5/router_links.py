"""`POST /v1/applicant-links`: an SP's system issues a short-lived H5 link for one applicant."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi import APIRouter, status

from autolease.auth.dependencies import ActorDep, PrincipalDep
from autolease.dependencies import SessionDep
from autolease.h5 import service
from autolease.h5.schemas import LinkCreate, LinkRead

router = APIRouter(prefix="/v1/applicant-links", tags=["h5"])
ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "only an SP's API key or SP user may issue links"},
}


@router.post("", response_model=LinkRead, status_code=status.HTTP_201_CREATED, responses=ERRORS)
def issue_link(
    body: LinkCreate, session: SessionDep, principal: PrincipalDep, actor: ActorDep
) -> LinkRead:
    """Issue a link to the H5 application page for one applicant: opened without a login,
    it submits one application for the caller's SP and expires after `ttl_minutes`. The
    token is shown once; give `url` (prefixed with this server's origin) to the applicant."""
    return service.issue_link(
        session, principal=principal, data=body, actor=actor, new_token=secrets.token_urlsafe
    )
