from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from autolease.auth.dependencies import PrincipalDep
from autolease.dependencies import SessionDep
from autolease.origination import service
from autolease.origination.models import Application


def get_application(
    application_id: str, session: SessionDep, principal: PrincipalDep
) -> Application:
    return service.get_visible(session, application_id=application_id, principal=principal)


ApplicationDep = Annotated[Application, Depends(get_application)]
