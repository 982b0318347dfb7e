"""Checks shared by model and policy changes: who may act, and the four-eyes rule."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from autolease.audit.service import Actor
from autolease.auth import repository as auth_repository
from autolease.auth.principal import Role
from autolease.exceptions import FieldError
from autolease.governance.exceptions import NotAnAnalyst, SelfApprovalRefused
from autolease.governance.models import ChangeRequest

USER_PREFIX = "user:"


def analyst_actor(session: Session, username: str, *, key: bytes, at: datetime) -> Actor:
    """The actor for an active risk analyst named `username`; refuses anyone else."""
    user = auth_repository.user_by_username(session, username)
    if user is None or not user.active or user.role != Role.RISK_ANALYST.value:
        raise NotAnAnalyst(
            f"{username!r} is not an active risk analyst",
            errors=[FieldError("by", "role", "not an active risk analyst", "不是在职风险分析师")],
        )
    return Actor(key=key, name=f"{USER_PREFIX}{username}", at=at)


def refuse_self_approval(change: ChangeRequest, approver: Actor) -> None:
    if change.proposed_by == approver.name:
        raise SelfApprovalRefused(
            f"change {change.id} was proposed by {approver.name}; another person must approve it",
            errors=[
                FieldError(
                    "by",
                    "four_eyes",
                    "the proposer cannot approve their own change",
                    "提议人不能审批自己的变更",
                )
            ],
        )
