from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

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
