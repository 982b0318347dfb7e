"""Which reasons each reader sees (pure): staff see every reason, an SP only what it can act on.

Info-level reasons (a missing optional sample, the credit grade, the top credit factors) help
a reviewer or an analyst; on an SP's screen at a dealer's lot they are noise, so they stay on
the staff view only. Refer and decline reasons are shown to everyone, and so are the few info
reasons an SP acts on (`reasons.catalogue.shown_to_sp`: why no offer could be made).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from autolease.auth.principal import STAFF_WIDE_ROLES, Principal
from autolease.reasons.catalogue import shown_to_sp


def sees_all_reasons(principal: Principal) -> bool:
    """Staff (reviewer, analyst, admin) see every reason; SP keys and SP users do not."""
    return principal.role in STAFF_WIDE_ROLES


def sp_reasons(reasons: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The reasons an SP sees: all but the info-level ones (save a few it acts on), in order.

    >>> sp_reasons([{"code": "A", "severity": "info"}, {"code": "B", "severity": "refer"}])
    [{'code': 'B', 'severity': 'refer'}]
    """
    return [r for r in reasons if shown_to_sp(str(r.get("code")), str(r.get("severity")))]
