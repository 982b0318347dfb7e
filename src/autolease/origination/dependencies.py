from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Path, Response

from autolease.auth.dependencies import PrincipalDep
from autolease.dependencies import SessionDep
from autolease.kit.ids import id_pattern
from autolease.origination import service
from autolease.origination.models import Application

# Documented, not enforced: an id of another shape is simply not found (404).
ApplicationIdPath = Annotated[str, Path(json_schema_extra={"pattern": id_pattern("app")})]


def get_application(
    application_id: ApplicationIdPath, session: SessionDep, principal: PrincipalDep
) -> Application:
    return service.get_visible(session, application_id=application_id, principal=principal)


ApplicationDep = Annotated[Application, Depends(get_application)]

IdempotencyKey = Annotated[str | None, Header(max_length=200, alias="Idempotency-Key")]
REPLAYED_HEADER = "Idempotent-Replayed"


def mark_replayed(response: Response) -> None:
    """Tell the client that this answer replays an earlier request's (the same
    `Idempotency-Key`, a resent servicing event, the same offer accepted again)."""
    response.headers[REPLAYED_HEADER] = "true"
