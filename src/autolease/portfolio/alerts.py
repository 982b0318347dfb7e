"""Alerts: the figures of the portfolio report that crossed a threshold (pure).

A vintage alert compares one cohort of one segment value with the earlier cohorts of the same
value at the same month on book; a segment that deteriorates shows first here, months before
its losses are final.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import pandas as pd

from autolease.portfolio.settings import PortfolioSettings


@dataclass(frozen=True)
class Alert:
    kind: str
    subject: str
    measure: str
    value: float
    threshold: float
    message_en: str
    message_zh: str

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def vintage_alerts(curves: pd.DataFrame, segment: str, settings: PortfolioSettings) -> list[Alert]:
    """Cohorts whose bad rate at a watched MOB is far above earlier cohorts' (same segment)."""
    out = []
    watched = curves[curves["mob"].isin(settings.vintage_mobs)].sort_values("cohort")
    for (value, mob), part in watched.groupby(["segment", "mob"], sort=True):
        contracts = part["contracts"].to_numpy()
        bad = part["bad"].to_numpy()
        cohorts = part["cohort"].tolist()
        for i in range(1, len(part)):
            alert = _cohort_alert(
                segment,
                str(value),
                int(mob),
                cohorts[i],
                int(contracts[i]),
                int(bad[i]),
                int(contracts[:i].sum()),
                int(bad[:i].sum()),
                settings,
            )
            if alert is not None:
                out.append(alert)
    return out


def _cohort_alert(
    segment: str,
    value: str,
    mob: int,
    cohort: str,
    n: int,
    bad: int,
    n_before: int,
    bad_before: int,
    settings: PortfolioSettings,
) -> Alert | None:
    if min(n, n_before) < settings.vintage_min_contracts or bad < settings.vintage_min_bad:
        return None
    rate, before = bad / n, bad_before / n_before
    pooled = (bad + bad_before) / (n + n_before)
    se = math.sqrt(max(pooled * (1 - pooled), 1e-12) * (1 / n + 1 / n_before))
    # earlier cohorts with no bad contract at all still give a baseline: any rate is a multiple
    if rate < settings.vintage_ratio * before or (rate - before) / se < settings.vintage_z:
        return None
    return Alert(
        kind="vintage",
        subject=f"{segment}={value} cohort {cohort}",
        measure=f"bad rate at MOB {mob}",
        value=round(rate, 4),
        threshold=round(settings.vintage_ratio * before, 4),
        message_en=(
            f"{segment} {value}, contracts paid out in {cohort}: {rate:.1%} are M3+ or written "
            f"off by month {mob}, against {before:.1%} for earlier cohorts"
        ),
        message_zh=(
            f"{segment} {value}，{cohort}放款的合同：第{mob}个月累计M3+或核销占比{rate:.1%}，"
            f"此前各批次为{before:.1%}"
        ),
    )


def stability_alerts(table: pd.DataFrame, settings: PortfolioSettings) -> list[Alert]:
    """Scores and features whose PSI against the development sample passed the threshold."""
    hot = table[table["index"] >= settings.psi_alert]
    return [
        Alert(
            kind="stability",
            subject=f"{row.column} {row.month}",
            measure="PSI",
            value=round(float(row.index), 4),
            threshold=settings.psi_alert,
            message_en=f"{row.column} in {row.month} has shifted from the development sample",
            message_zh=f"{row.month}的{row.column}分布相对开发样本发生偏移",
        )
        for row in hot.itertuples()
    ]


def approval_alerts(rates: pd.DataFrame, settings: PortfolioSettings) -> list[Alert]:
    moved = rates[rates["approve_change_pp"].abs() >= settings.approval_change_pp]
    return [
        Alert(
            kind="approval_rate",
            subject=str(row.month),
            measure="approval rate change (pp)",
            value=round(float(row.approve_change_pp), 2),
            threshold=settings.approval_change_pp,
            message_en=(
                f"the approval rate in {row.month} moved {row.approve_change_pp:+.1f} points"
            ),
            message_zh=f"{row.month}的通过率变化{row.approve_change_pp:+.1f}个百分点",
        )
        for row in moved.itertuples()
    ]
