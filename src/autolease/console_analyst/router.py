"""The analyst's pages as a part of the console surface (`PART`)."""

from __future__ import annotations

from fastapi import APIRouter

from autolease.console_analyst import backtests, policies, registry, rings
from autolease.web.surface import SurfacePart

router = APIRouter(include_in_schema=False)
for module in (policies, backtests, registry, rings):
    router.include_router(module.router)

PART = SurfacePart(package="autolease.console_analyst", router=router)
