"""The shadow report: a credit champion against its challenger on the stored decisions.

Reads the latest decisions' champion PD (``features.credit_pd``) and challenger scores
(``features.credit_challenger``), groups them by (champion, challenger) and compares each
pair with the champion's grade cut-offs (`governance.shadow`). Read-only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from autolease.credit.exceptions import CreditModelNotFound
from autolease.governance.shadow import ShadowPair, ShadowReport, compare
from autolease.origination.models import Decision


@dataclass(frozen=True)
class PairReport:
    champion: str
    challenger: str
    report: ShadowReport


def shadow_report(session: Session, root: Path, name: str, *, limit: int) -> list[PairReport]:
    """One report per (champion, challenger) of `name` among the last `limit` decisions."""
    query = (
        select(Decision.model_versions, Decision.features)
        .order_by(Decision.decided_at.desc())
        .limit(limit)
    )
    grouped: dict[tuple[str, str], list[ShadowPair]] = defaultdict(list)
    for versions, features in session.execute(query):
        shadow = (features or {}).get("credit_challenger")
        champion = (versions or {}).get("credit", "")
        if not shadow or not champion.startswith(f"{name}@"):
            continue
        grouped[(champion, shadow["model"])].append(
            ShadowPair(
                float(features["credit_pd"]),
                float(shadow["pd"]),
                str(features["credit_grade"]),
                str(shadow["grade"]),
            )
        )
    return [
        PairReport(champion, challenger, compare(pairs, cutoffs=_cutoffs(root, champion)))
        for (champion, challenger), pairs in sorted(grouped.items())
    ]


def _cutoffs(root: Path, champion: str) -> tuple[float, ...]:
    from autolease.credit.grades import DEFAULT_PD_CUTOFFS
    from autolease.credit.service import resolve_model

    try:
        model, _ = resolve_model(root, champion)
    except CreditModelNotFound:
        return tuple(DEFAULT_PD_CUTOFFS)
    return tuple(model.grades.pd_cutoffs)
