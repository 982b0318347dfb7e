"""The portfolio report: vintages, roll and flow rates, stability and alerts, as data (pure).

`build_report` gathers every measure into one JSON-safe dict; `portfolio.html` renders it with
inline SVG charts (no script, nothing loaded from elsewhere).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from autolease.portfolio.alerts import Alert, stability_alerts, vintage_alerts
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
    dev_months: int = 12,
) -> dict[str, Any]:
    """Every measure of the report; `applications` (month, scores, features) is optional."""
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
    if applications is not None:
        columns = [c for c in (*SCORES, *features) if c in applications.columns]
        dev = list(panel.months[:dev_months])
        table = stability_by_month(applications, columns, "month", dev)
        report["stability"] = _records(table)
        alerts.extend(stability_alerts(table, settings))
    report["alerts"] = [a.as_dict() for a in alerts]
    return report


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = frame.round(6).to_dict(orient="records")
    return out
