"""Typed dependencies of the review API."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from autolease.auth.dependencies import require_roles
from autolease.auth.principal import Principal, Role
from autolease.dependencies import RuntimeDep
from autolease.review.settings import ReviewSettings, review_settings

ReviewerOnly = Annotated[Principal, Depends(require_roles(Role.REVIEWER))]
"""Claims, verdicts and confirmations: reviewers."""
ReviewStaff = Annotated[Principal, Depends(require_roles(Role.REVIEWER, Role.ADMIN))]
"""The queue, the case file, figures, reveals and releases: reviewers and admins."""


async def get_review_settings(runtime: RuntimeDep) -> ReviewSettings:
    return review_settings(runtime.settings)


ReviewSettingsDep = Annotated[ReviewSettings, Depends(get_review_settings)]
