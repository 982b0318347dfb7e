"""Approval-rate and reason-code drift by month against a baseline (pure).

`decisions` has one row per decision: ``month``, ``outcome`` (approve / refer / decline) and
``reasons`` (a list of reason codes). Changes are in percentage points against the baseline
months' shares.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

OUTCOMES = ("approve", "refer", "decline")


def outcome_rates(decisions: pd.DataFrame, baseline: Sequence[str]) -> pd.DataFrame:
    """Per month: n, the share of each outcome, and the approval change against the baseline."""
    table = pd.crosstab(decisions["month"], decisions["outcome"]).reindex(
        columns=list(OUTCOMES), fill_value=0
    )
    n = table.sum(axis=1)
    rates = table.div(n, axis=0)
    base = table.loc[table.index.isin(baseline)].sum()
    base_approve = base["approve"] / base.sum() if base.sum() else float("nan")
    out = rates.add_suffix("_rate")
    out.insert(0, "n", n)
    out["approve_change_pp"] = (rates["approve"] - base_approve) * 100
    return out.reset_index()


def reason_shares(decisions: pd.DataFrame, baseline: Sequence[str]) -> pd.DataFrame:
    """Per month and reason code: the share of decisions carrying it and its change (pp)."""
    exploded = decisions[["month", "reasons"]].reset_index(drop=True).explode("reasons").dropna()
    # a code repeated within one decision counts once; across decisions every one counts
    exploded = exploded.reset_index().drop_duplicates(["index", "reasons"])
    per_month = decisions.groupby("month").size()
    counts = exploded.groupby(["month", "reasons"]).size().rename("count").reset_index()
    counts["share"] = counts["count"] / counts["month"].map(per_month)
    base_n = int(per_month[per_month.index.isin(baseline)].sum())
    base_counts = counts[counts["month"].isin(baseline)].groupby("reasons")["count"].sum()
    base_share = base_counts / base_n if base_n else base_counts * 0
    counts["baseline_share"] = counts["reasons"].map(base_share).fillna(0.0)
    counts["change_pp"] = (counts["share"] - counts["baseline_share"]) * 100
    return counts.rename(columns={"reasons": "code"})
