from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel


class AuditEventRead(BaseModel):
    seq: int
    occurred_at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    payload: dict[str, Any]
    hash: str


class AuditVerifyRead(BaseModel):
    records_checked: int
    intact: bool
    first_problem_seq: int | None = None
    problem: Literal["changed", "inserted", "deleted"] | None = None
    detail: str | None = None
