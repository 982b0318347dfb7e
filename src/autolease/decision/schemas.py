from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PolicyVersionRead(BaseModel):
    version: str
    content_hash: str
    source: str
    created_by: str
    created_at: datetime | None


class ActivationRead(BaseModel):
    key: str
    version: str
    content_hash: str
    effective_from: datetime
    activated_by: str
    activated_at: datetime


class PolicyRead(BaseModel):
    key: str
    description: str
    file_version: str | None
    active_version: str | None
    active_source: Literal["activation", "file", "none"]
    versions: list[PolicyVersionRead]
    scheduled: list[ActivationRead]


class ActivateRequest(Strict):
    effective_from: datetime | None = Field(
        default=None, description="when the version takes over (default: now); never in the past"
    )
    note: str | None = Field(default=None, max_length=500)


class ProposalRead(BaseModel):
    """A proposed activation waiting for a second risk analyst (maker-checker)."""

    id: int
    key: str = Field(validation_alias="name")
    version: str
    content_hash: str
    status: str
    effective_from: datetime | None
    note: str | None
    proposed_by: str
    proposed_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None


class PolicyVersionCreate(Strict):
    """A new version uploaded without a deploy; its cases must pass."""

    version: str = Field(min_length=1, max_length=40)
    content: dict[str, Any] = Field(description="the JDM graph as exported by the GoRules editor")
    cases: str = Field(min_length=1, max_length=200_000, description="the .cases.toml text")
    description: str = Field(default="", max_length=500)


class DifferenceRead(BaseModel):
    field: str
    stored: Any
    replayed: Any


class PolicyRefRead(BaseModel):
    key: str
    version: str
    content_hash: str


class EvaluationReplayRead(BaseModel):
    role: str
    acted: bool
    policy: PolicyRefRead
    stored_outcome: str
    replayed_outcome: str | None
    matches: bool
    differences: list[DifferenceRead]


class ReplayRead(BaseModel):
    decision_id: str
    matches: bool
    record_differences: list[DifferenceRead]
    evaluations: list[EvaluationReplayRead]


class ReviewRequest(Strict):
    decision: Literal["approve", "decline"]
    note: str = Field(min_length=1, max_length=400)


class ReviewRead(BaseModel):
    application_id: str
    decision_id: str
    verdict: str
    note: str
    reviewer: str
    reviewed_at: datetime
    status: str
