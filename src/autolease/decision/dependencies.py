from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from autolease.auth.dependencies import require_roles
from autolease.auth.principal import Principal, Role
from autolease.decision.service import DecisionRuntime
from autolease.decision.settings import decision_settings
from autolease.dependencies import RuntimeDep
from autolease.runtime import Runtime


def decisions_of(runtime: Runtime) -> DecisionRuntime:
    """The runtime's decision objects; built on first use until `Runtime` declares them."""
    existing = vars(runtime).get("decisions")
    if isinstance(existing, DecisionRuntime):
        return existing
    built = DecisionRuntime.build(decision_settings(runtime.settings))
    vars(runtime)["decisions"] = built
    return built


def get_decisions(runtime: RuntimeDep) -> DecisionRuntime:
    return decisions_of(runtime)


DecisionsDep = Annotated[DecisionRuntime, Depends(get_decisions)]
AnalystDep = Annotated[Principal, Depends(require_roles(Role.RISK_ANALYST))]
ReviewerDep = Annotated[Principal, Depends(require_roles(Role.REVIEWER))]
