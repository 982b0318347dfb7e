"""The portfolio report: vintages, roll and flow rates, stability and alerts, as data (pure).

`build_report` gathers every measure into one JSON-safe dict; `portfolio.html` renders it with
inline SVG charts (no script, nothing loaded from elsewhere).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from autolease.portfolio.alerts import Alert, approval_alerts, stability_alerts, vintage_alerts
from autolease.portfolio.drift import outcome_rates, reason_shares
from autolease.portfolio.panel import Panel
from autolease.portfolio.rolls import flow_rates, roll_rates
from autolease.portfolio.settings import PortfolioSettings
from autolease.portfolio.stability import stability_by_month
from autolease.portfolio.vintage import vintage_curves

SCORES = ("credit_pd", "fraud_score", "valuation_ratio")


def build_report(
    panel: Panel,
    settings: PortfolioSettings,
    *,
    applications: pd.DataFrame | None = None,
    features: Sequence[str] = (),
    scores: Sequence[str] = SCORES,
    decisions: pd.DataFrame | None = None,
    dev_months: int = 12,
) -> dict[str, Any]:
    """Every measure of the report. Optional: `applications` (month, scores, features) for
    the PSI against their first `dev_months` months; `decisions` (month, outcome, reasons)
    for the approval-rate and reason-code drift against the same baseline."""
    alerts: list[Alert] = []
    vintages: dict[str, list[dict[str, Any]]] = {"all": _records(vintage_curves(panel))}
    for name in panel.segments:
        curves = vintage_curves(panel, name)
        vintages[name] = _records(curves)
        alerts.extend(vintage_alerts(curves, name, settings))
    report: dict[str, Any] = {
        "contracts": panel.contracts,
        "months": list(panel.months),
        "vintages": vintages,
        "roll_rates": roll_rates(panel).round(6).to_dict(orient="index"),
        "flow_rates": {k: round(v, 6) for k, v in flow_rates(panel).items()},
        "stability": [],
    }
    if applications is not None and len(applications):
        columns = [c for c in (*scores, *features) if c in applications.columns]
        dev = _first_months(applications, dev_months)
        table = stability_by_month(applications, columns, "month", dev)
        report["stability"] = _records(table)
        alerts.extend(stability_alerts(table, settings))
    if decisions is not None and len(decisions):
        baseline = _first_months(decisions, dev_months)
        rates = outcome_rates(decisions, baseline)
        report["outcome_rates"] = _records(rates)
        report["reason_shares"] = _records(reason_shares(decisions, baseline))
        alerts.extend(approval_alerts(rates, settings))
    report["alerts"] = [a.as_dict() for a in alerts]
    return report


def _first_months(frame: pd.DataFrame, count: int) -> list[str]:
    return sorted(frame["month"].unique())[:count]


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = frame.round(6).to_dict(orient="records")
    return out
