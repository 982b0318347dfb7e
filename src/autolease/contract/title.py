"""When the title must go back to the lessee: a paid-off contract (matured, or settled early)
has its mortgage released, or the car transferred back after a sale-and-leaseback, within
``title_release_days`` of its last payment. Written-off and repossessed contracts are not
paid off: their title stays with the lessor. Pure."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from autolease.contract.lifecycle import ContractStatus

PAID_OFF = frozenset({ContractStatus.MATURED, ContractStatus.SETTLED_EARLY})
RELEASED = "released"
TitleRelease = Literal["owed", "overdue"]


def release_due_on(
    status: str, closed_on: date | None, title_state: str, release_days: int
) -> date | None:
    """The last day to release the title, while it is still owed; None otherwise."""
    if ContractStatus(status) not in PAID_OFF or closed_on is None or title_state == RELEASED:
        return None
    return closed_on + timedelta(days=release_days)


def release_overdue(due_on: date | None, today: date) -> bool:
    return due_on is not None and today > due_on
