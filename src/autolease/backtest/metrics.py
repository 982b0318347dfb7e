"""What a backtest reports: rates, bad rates, expected loss and swap sets (pure pandas).

Outcomes come from the book: ``default_flag`` is *observed* only for applications that were
booked; ``latent_default_flag`` (synthetic books only) is the *counterfactual* outcome of
every application, so the bad rate of applications the history declined can be shown too —
label it as such, a real book has no such column. Expected loss is
``Σ credit_pd × LGD × financed amount`` over approved applications (LGD is an option, 45 %
by default [P]).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd  # type: ignore[import-untyped]

from autolease.backtest.runner import ROLES, count_codes
from autolease.kit.money import round_money

OUTCOMES = ("approve", "refer", "decline", "error")
DEFAULT_LGD = 0.45


@dataclass(frozen=True)
class Rate:
    """A share with its denominator (``None`` when nothing to measure)."""

    value: float | None
    n: int

    def as_dict(self) -> dict[str, Any]:
        return {"value": None if self.value is None else round(self.value, 6), "n": self.n}


@dataclass(frozen=True)
class GroupStats:
    """Outcomes of a set of applications (approved by a policy, or a swap set)."""

    count: int
    amount: Decimal
    bad_rate_observed: Rate
    bad_rate_counterfactual: Rate
    fraud_rate: Rate
    mean_pd: float | None
    expected_loss: Decimal | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "amount": str(self.amount),
            "bad_rate_observed": self.bad_rate_observed.as_dict(),
            "bad_rate_counterfactual": self.bad_rate_counterfactual.as_dict(),
            "fraud_rate": self.fraud_rate.as_dict(),
            "mean_pd": None if self.mean_pd is None else round(self.mean_pd, 6),
            "expected_loss": None if self.expected_loss is None else str(self.expected_loss),
        }


@dataclass(frozen=True)
class PolicyMetrics:
    role: str
    ref: str
    counts: dict[str, int]
    approval_rate: float
    refer_rate: float
    decline_rate: float
    approved: GroupStats
    top_reasons: list[tuple[str, int]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "policy": self.ref,
            "counts": self.counts,
            "approval_rate": round(self.approval_rate, 6),
            "refer_rate": round(self.refer_rate, 6),
            "decline_rate": round(self.decline_rate, 6),
            "approved": self.approved.as_dict(),
            "top_reasons": [[code, n] for code, n in self.top_reasons],
        }


@dataclass(frozen=True)
class SwapSet:
    name: str
    description: str
    stats: GroupStats

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description, **self.stats.as_dict()}


@dataclass(frozen=True)
class BacktestSummary:
    n: int
    lgd: float
    policies: tuple[PolicyMetrics, ...]
    swaps: tuple[SwapSet, ...]
    crosstab: dict[str, dict[str, int]]
    notes: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "lgd": self.lgd,
            "policies": [p.as_dict() for p in self.policies],
            "swaps": [s.as_dict() for s in self.swaps],
            "crosstab": self.crosstab,
            "notes": list(self.notes),
        }


def summarize(
    decisions: pd.DataFrame,
    book: pd.DataFrame,
    *,
    refs: dict[str, str],
    lgd: float = DEFAULT_LGD,
    notes: tuple[str, ...] = (),
) -> BacktestSummary:
    """Metrics of both policies and their swap sets.

    Parameters
    ----------
    decisions : pandas.DataFrame
        Output of `autolease.backtest.runner.decide_partition` (any number of partitions).
    book : pandas.DataFrame
        ``application_id``, ``amount_fen`` and whatever of ``credit_pd``, ``booked``,
        ``default_flag``, ``latent_default_flag``, ``is_fraud`` it has.
    refs : dict
        ``{"policy": "key@version", "against": "key@version"}`` for the report.
    lgd : float
        Loss given default for expected loss.
    notes : tuple of str
        Caveats to print with the report.

    Returns
    -------
    BacktestSummary
    """
    if not 0 <= lgd <= 1:
        raise ValueError("lgd must be between 0 and 1")
    keep = [c for c in _OUTCOME_INPUTS if c in book.columns]
    frame = decisions.merge(book[keep], on="application_id", how="left", validate="one_to_one")
    policies = tuple(_policy(frame, role, refs[role], lgd) for role in ROLES)
    p, q = frame["policy_outcome"], frame["against_outcome"]
    swaps = (
        SwapSet(
            "swap_in",
            f"approved by {refs['policy']}, declined by {refs['against']}",
            _stats(frame[(p == "approve") & (q == "decline")], lgd),
        ),
        SwapSet(
            "swap_out",
            f"declined by {refs['policy']}, approved by {refs['against']}",
            _stats(frame[(p == "decline") & (q == "approve")], lgd),
        ),
    )
    crosstab = {
        a: {b: int(((p == a) & (q == b)).sum()) for b in OUTCOMES if b != "error"}
        for a in OUTCOMES
        if a != "error"
    }
    return BacktestSummary(len(frame), lgd, policies, swaps, crosstab, notes)


_OUTCOME_INPUTS = (
    "application_id",
    "amount_fen",
    "credit_pd",
    "booked",
    "default_flag",
    "latent_default_flag",
    "is_fraud",
)


def _policy(frame: pd.DataFrame, role: str, ref: str, lgd: float) -> PolicyMetrics:
    outcome = frame[f"{role}_outcome"]
    counts = {name: int((outcome == name).sum()) for name in OUTCOMES}
    n = max(len(frame), 1)
    reasons = count_codes(frame[f"{role}_reasons"].tolist())
    return PolicyMetrics(
        role=role,
        ref=ref,
        counts=counts,
        approval_rate=counts["approve"] / n,
        refer_rate=counts["refer"] / n,
        decline_rate=counts["decline"] / n,
        approved=_stats(frame[outcome == "approve"], lgd),
        top_reasons=reasons.most_common(15),
    )


def _stats(group: pd.DataFrame, lgd: float) -> GroupStats:
    amount_fen = group["amount_fen"].astype("float64") if "amount_fen" in group else None
    amount = (
        round_money(Decimal(int(amount_fen.sum())) / 100) if amount_fen is not None else Decimal(0)
    )
    observed = _observed_bad(group)
    mean_pd, expected = None, None
    if "credit_pd" in group.columns and amount_fen is not None:
        pd_values = pd.to_numeric(group["credit_pd"], errors="coerce")
        if pd_values.notna().any():
            mean_pd = float(pd_values.mean())
            loss = float((pd_values.fillna(0) * amount_fen).sum()) * lgd / 100
            expected = round_money(Decimal(repr(loss)))
    return GroupStats(
        count=len(group),
        amount=amount,
        bad_rate_observed=observed,
        bad_rate_counterfactual=_mean_flag(group, "latent_default_flag"),
        fraud_rate=_mean_flag(group, "is_fraud"),
        mean_pd=mean_pd,
        expected_loss=expected,
    )


def _observed_bad(group: pd.DataFrame) -> Rate:
    if "default_flag" not in group.columns:
        return Rate(None, 0)
    flags = group["default_flag"]
    if "booked" in group.columns:
        flags = flags[group["booked"].fillna(False).astype(bool)]
    known = flags.dropna()
    if known.empty:
        return Rate(None, 0)
    return Rate(float(known.astype(bool).mean()), len(known))


def _mean_flag(group: pd.DataFrame, column: str) -> Rate:
    if column not in group.columns:
        return Rate(None, 0)
    known = group[column].dropna()
    if known.empty:
        return Rate(None, 0)
    return Rate(float(np.mean(known.astype(bool).to_numpy())), len(known))
