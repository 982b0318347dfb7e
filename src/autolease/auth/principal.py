"""Who is calling (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal


class Role(StrEnum):
    ADMIN = "admin"
    RISK_ANALYST = "risk_analyst"
    REVIEWER = "reviewer"
    SP_USER = "sp_user"


STAFF_WIDE_ROLES = frozenset({Role.ADMIN, Role.RISK_ANALYST, Role.REVIEWER})


@dataclass(frozen=True)
class Principal:
    """A staff user or an SP API key. `sp_id` set means the caller acts for that SP only."""

    kind: Literal["staff", "api_key"]
    actor: str
    role: Role
    sp_id: int | None = None
    sp_code: str | None = None
    user_id: int | None = None
    sp_grade: str | None = None  # the SP's grade when authenticated (spares intake a read)

    def can_see_sp(self, sp_id: int) -> bool:
        return self.sp_id is None or self.sp_id == sp_id
