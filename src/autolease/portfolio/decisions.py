"""The store's decisions as the frames the drift and stability measures read.

One row per decision: its month (China's calendar), outcome, the refer and decline codes, and
the scores and features the report follows (credit PD, fraud score, the asking price over the
valuation, LTV, vehicle age, mileage). Info-level codes are left out of the reason shares.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from autolease.kit.clock import business_date
from autolease.origination.models import Decision

SCORES = ("credit_pd", "fraud_score", "asking_to_value")
FEATURES = ("ltv", "vehicle_age_years", "mileage_km")


def decisions_frame(session: Session, *, until: date) -> pd.DataFrame:
    rows = session.execute(
        select(Decision.decided_at, Decision.outcome, Decision.reasons, Decision.features)
    ).all()
    records: list[dict[str, Any]] = []
    for decided_at, outcome, reasons, features in rows:
        day = business_date(decided_at)
        if day > until:
            continue
        record: dict[str, Any] = {
            "month": f"{day:%Y-%m}",
            "outcome": outcome,
            "reasons": [r["code"] for r in reasons if r.get("severity") != "info"],
        }
        for name in (*SCORES, *FEATURES):
            value = features.get(name)
            record[name] = float(value) if isinstance(value, int | float) else float("nan")
        records.append(record)
    columns = ["month", "outcome", "reasons", *SCORES, *FEATURES]
    return pd.DataFrame.from_records(records, columns=columns)
