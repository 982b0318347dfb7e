"""What the console's pages share: the acting user as an audit `Actor`, a domain error's
messages in the page's language, and the role dependencies of the staff pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from autolease.audit.service import Actor
from autolease.auth.principal import Role
from autolease.exceptions import AutoleaseError
from autolease.runtime import Runtime
from autolease.web.deps import require_web_roles
from autolease.web.sessions import WebPrincipal

AnalystPage = Annotated[WebPrincipal, Depends(require_web_roles(Role.RISK_ANALYST, Role.ADMIN))]
"""Reads the analyst's pages: risk analysts, and admins (who may look, not change policies)."""
AnalystOnly = Annotated[WebPrincipal, Depends(require_web_roles(Role.RISK_ANALYST))]
"""Changes what risk analysts own: policy versions and activations, backtests, ring labels."""
AdminPage = Annotated[WebPrincipal, Depends(require_web_roles(Role.ADMIN))]


def web_actor(runtime: Runtime, principal: WebPrincipal) -> Actor:
    """The logged-in user as the actor of an audited change (the same name as the API's)."""
    return Actor(key=runtime.audit_key, name=principal.principal.actor, at=runtime.clock.now())


def problems(exc: AutoleaseError, lang: str) -> list[str]:
    """A refused change's messages for the form: each field's reason in the page's language,
    else the error's own detail."""
    found = [
        f"{e.field}: {e.message_zh if lang == 'zh_CN' and e.message_zh else e.message_en}"
        for e in exc.errors[:10]
    ]
    return found or [exc.detail]
