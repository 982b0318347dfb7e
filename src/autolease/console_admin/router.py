"""The admin's pages as a part of the console surface (`PART`)."""

from __future__ import annotations

from fastapi import APIRouter

from autolease.console_admin import audit, contracts, keys, sps, users
from autolease.web.surface import SurfacePart

router = APIRouter(include_in_schema=False)
for module in (sps, users, keys, audit, contracts):
    router.include_router(module.router)

PART = SurfacePart(package="autolease.console_admin", router=router)
