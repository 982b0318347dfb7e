"""The queue's figures: what waits and how old it is, time to verdict, throughput per
reviewer, and how often the final outcome overrides the policy's."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from autolease.review import repository
from autolease.review.schemas import QueueMetrics, ReviewerFigures
from autolease.review.settings import ReviewSettings
from autolease.review.vocabulary import FINAL_OUTCOME, QUEUE_STATES, Verdict

FINAL_STATUSES = frozenset({"final", "confirmed"})


def overrides(policy_outcome: str, final_outcome: str) -> bool:
    """Whether a final outcome goes against the policy's: approving what the policy did not
    approve (referred or declined), or declining what it approved.

    >>> overrides("refer", "approve"), overrides("refer", "decline")
    (True, False)
    >>> overrides("approve", "decline")
    True
    """
    if final_outcome == "approve":
        return policy_outcome != "approve"
    return policy_outcome == "approve"


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)


def figures(
    session: Session, *, now: datetime, window_days: int, settings: ReviewSettings
) -> QueueMetrics:
    since = now - timedelta(days=window_days)
    sla = timedelta(hours=settings.sla_hours)
    waiting = repository.cases_by_state(session)
    states = [s.value for s in QUEUE_STATES]
    oldest = repository.oldest_waiting(session)
    overdue = repository.count_waiting_since_before(session, now - sla)
    closed = repository.closed_cases_since(session, since)
    hours = [(c.decided_at - c.referred_at).total_seconds() / 3600 for c in closed if c.decided_at]
    verdicts = repository.verdicts_since(session, since)
    given: Counter[str] = Counter()
    confirmed: Counter[str] = Counter()
    overridden: defaultdict[str, int] = defaultdict(int)
    finals = 0
    total_overrides = 0
    approvals = 0
    for v in verdicts:
        given[v.reviewer] += 1
        if v.confirmed_by is not None:
            confirmed[v.confirmed_by] += 1
        outcome = FINAL_OUTCOME.get(Verdict(v.verdict))
        if v.status not in FINAL_STATUSES or outcome is None:
            continue
        finals += 1
        approvals += outcome == "approve"
        if overrides(v.policy_outcome, outcome):
            total_overrides += 1
            overridden[v.reviewer] += 1
    people = sorted(set(given) | set(confirmed))
    return QueueMetrics(
        window_days=window_days,
        sla_hours=settings.sla_hours,
        waiting={s: waiting.get(s, 0) for s in states},
        oldest_age_hours=round((now - oldest).total_seconds() / 3600, 1) if oldest else None,
        overdue=overdue,
        decided=len(closed),
        time_to_verdict_hours_p50=_quantile(hours, 0.5),
        time_to_verdict_hours_p90=_quantile(hours, 0.9),
        override_rate=round(total_overrides / finals, 4) if finals else None,
        approve_share=round(approvals / finals, 4) if finals else None,
        reviewers=[
            ReviewerFigures(
                reviewer=p, verdicts=given[p], confirmations=confirmed[p], overrides=overridden[p]
            )
            for p in people
        ],
    )
