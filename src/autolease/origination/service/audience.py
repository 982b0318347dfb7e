"""Which reasons each reader sees (pure): staff see every reason, an SP only what it can act on.

Info-level reasons (a missing optional sample, the credit grade, the top credit factors) help
a reviewer or an analyst; on an SP's screen at a dealer's lot they are noise, so they stay on
the staff view only. Refer and decline reasons are shown to everyone, and so are the few info
reasons an SP acts on (`SHOWN_TO_SP`: why no offer could be made and what would help).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from autolease.auth.principal import STAFF_WIDE_ROLES, Principal

HIDDEN_FROM_SP = frozenset({"info"})
SHOWN_TO_SP = frozenset({"NO_FEASIBLE_OFFER"})


def sees_all_reasons(principal: Principal) -> bool:
    """Staff (reviewer, analyst, admin) see every reason; SP keys and SP users do not."""
    return principal.role in STAFF_WIDE_ROLES


def sp_reasons(reasons: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The reasons an SP sees: all but the info-level ones (save `SHOWN_TO_SP`), in order.

    >>> sp_reasons([{"code": "A", "severity": "info"}, {"code": "B", "severity": "refer"}])
    [{'code': 'B', 'severity': 'refer'}]
    """
    return [r for r in reasons if r.get("severity") not in HIDDEN_FROM_SP or _shown(r)]


def _shown(reason: Mapping[str, Any]) -> bool:
    return reason.get("code") in SHOWN_TO_SP
