"""Replay applications through two policies with the service's own pure functions (pure).

For every row of the book, `decide_partition` rebuilds the ``ApplicationFacts`` the service
would have built, seeds ``ctx.features`` with what the prefetchers and not-yet-built stages
would supply (bureau and court lists, model scores), runs the pipeline's existing stages
(identity and vehicle, the same classes the service runs, see `autolease.backtest.stages`),
builds the policy input with `autolease.decision.inputs.build_policy_input` and evaluates
each policy with `autolease.decision.engine.PolicyEngine` — exactly the calls the policy
stage makes. Partitions are independent, so Dask only maps this function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pandas as pd  # type: ignore[import-untyped]

from autolease.backtest.stages import BookStages
from autolease.decision.engine import PolicyEngine, PolicyEvaluationError, PolicyOutputInvalid
from autolease.decision.inputs import build_policy_input
from autolease.decision.jdm import PolicyDocument
from autolease.kit.clock import business_date
from autolease.kit.money import from_fen
from autolease.origination.pipeline import ApplicationFacts, DecisionContext, PersonFacts

ROLES = ("policy", "against")
DATA_FEATURES = (
    "hard_queries_90d",
    "institutions_applied_30d",
    "open_credit_institutions",
    "court_dishonest",
    "court_spending_ban",
    "court_enforced",
    "credit_pd",
    "credit_score",
    "credit_grade",
    "fraud_score",
    "fraud_ring_flag",
)


@dataclass(frozen=True)
class PolicyPair:
    """The policy under test, the one it is compared against, and the stages before them."""

    policy: PolicyDocument
    against: PolicyDocument
    stages: BookStages = field(default_factory=lambda: BookStages(None))

    def items(self) -> tuple[tuple[str, PolicyDocument], ...]:
        return (("policy", self.policy), ("against", self.against))


def decision_columns() -> dict[str, str]:
    """Output columns of `decide_partition` with their dtypes (Dask ``meta``)."""
    columns = {"application_id": "int64"}
    for role in ROLES:
        columns[f"{role}_outcome"] = "object"
        columns[f"{role}_reasons"] = "object"
    columns["upstream_codes"] = "object"
    return columns


def decide_partition(frame: pd.DataFrame, pair: PolicyPair) -> pd.DataFrame:
    """Decide every application of a book partition under both policies.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows of the backtest book (see `autolease.backtest.book`).
    pair : PolicyPair

    Returns
    -------
    pandas.DataFrame
        ``application_id``, ``policy_outcome``, ``policy_reasons`` (codes joined by ``|``),
        ``against_outcome``, ``against_reasons``, ``upstream_codes``. A policy that fails on
        a row gives outcome ``error`` with the message as reasons (counted, never raised).
    """
    engine = PolicyEngine()
    stages = pair.stages.build()
    rows: dict[str, list[Any]] = {name: [] for name in decision_columns()}
    for application_id, ctx, valuation in contexts(frame):
        pair.stages.run(stages, ctx, valuation)
        values = build_policy_input(ctx.facts, ctx.features, ctx.reasons).values
        rows["application_id"].append(application_id)
        rows["upstream_codes"].append("|".join(values["upstream_codes"]))
        for role, policy in pair.items():
            outcome, reasons = _evaluate(engine, policy, values)
            rows[f"{role}_outcome"].append(outcome)
            rows[f"{role}_reasons"].append(reasons)
    return pd.DataFrame(rows).astype({"application_id": "int64"})


def _evaluate(
    engine: PolicyEngine, policy: PolicyDocument, values: dict[str, Any]
) -> tuple[str, str]:
    try:
        outcome, codes = engine.decide(policy, values)
    except (PolicyEvaluationError, PolicyOutputInvalid) as err:
        return "error", str(err)[:200]
    return outcome, "|".join(codes)


def contexts(frame: pd.DataFrame) -> Iterator[tuple[int, DecisionContext, float | None]]:
    """A fresh `DecisionContext` per row with the data features in place, and its valuation."""
    n = len(frame)
    cols = {c: frame[c].tolist() for c in frame.columns if c not in _NOT_LISTED}
    cols["first_registration_date"] = pd.to_datetime(
        frame["first_registration_date"]
    ).dt.date.tolist()
    instants = _utc(frame["submitted_at"])
    features = {c: frame[c].tolist() for c in DATA_FEATURES if c in frame.columns}
    valuation = (frame["valuation_price_fen"].to_numpy(dtype="float64") / 100).tolist()
    for i in range(n):
        at = instants[i]
        ctx = DecisionContext(_facts(cols, i), at, business_date(at))
        ctx.features.update({name: values[i] for name, values in features.items()})
        worth = valuation[i]
        yield int(cols["application_id"][i]), ctx, worth if worth == worth else None


_NOT_LISTED = frozenset({"submitted_at", "first_registration_date", "application_date"})


def _utc(column: pd.Series) -> list[datetime]:
    series = pd.to_datetime(column)
    if series.dt.tz is None:
        series = series.dt.tz_localize(UTC)
    stamps = series.dt.tz_convert(UTC)
    return [ts.to_pydatetime() for ts in stamps]


def _money(value: Any) -> Decimal | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    return from_fen(int(value))


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _facts(cols: dict[str, list[Any]], i: int) -> ApplicationFacts:
    amount = _money(cols["amount_fen"][i])
    asking = _money(cols["asking_price_fen"][i])
    down = _money(cols["down_payment_fen"][i])
    return ApplicationFacts(
        applicant_kind=cols["applicant_kind"][i],
        person=PersonFacts(cols["person_name"][i], _text(cols["id_number"][i]), cols["phone"][i]),
        uscc=_text(cols["uscc"][i]),
        bank_card=cols["bank_card"][i],
        province=cols["province"][i],
        monthly_income=_money(cols["monthly_income_fen"][i]),
        vin=cols["vin"][i],
        plate=_text(cols["plate"][i]),
        brand=cols["brand"][i],
        first_registration_date=cols["first_registration_date"][i],
        mileage_km=int(cols["mileage_km"][i]),
        asking_price=asking if asking is not None else Decimal(0),
        invoice_price=_money(cols["invoice_price_fen"][i]),
        fuel_type=_text(cols["fuel_type"][i]),
        seller_type=cols["seller_type"][i],
        product_type=cols["product_type"][i],
        amount=amount if amount is not None else Decimal(0),
        term_months=int(cols["term_months"][i]),
        down_payment=down if down is not None else Decimal(0),
        monthly_budget=_money(cols["monthly_budget_fen"][i]),
        lead_source=cols["lead_source"][i],
        sp_grade=cols["sp_grade"][i],
    )


def chunks(frame: pd.DataFrame, size: int) -> Iterator[pd.DataFrame]:
    """Consecutive row slices of at most ``size`` rows."""
    for start in range(0, len(frame), size):
        yield frame.iloc[start : start + size]


def decide_in_process(
    frame: pd.DataFrame,
    pair: PolicyPair,
    *,
    chunk_rows: int = 20_000,
    on_progress: Callable[[int], None] | None = None,
) -> pd.DataFrame:
    """The pandas executor: decide chunk by chunk in this process, reporting rows done."""
    parts: list[pd.DataFrame] = []
    for part in chunks(frame, chunk_rows):
        parts.append(decide_partition(part, pair))
        if on_progress is not None:
            on_progress(len(part))
    if not parts:
        return pd.DataFrame({k: pd.Series(dtype=v) for k, v in decision_columns().items()})
    return pd.concat(parts, ignore_index=True)


def split_codes(joined: Sequence[str]) -> Iterator[str]:
    """Codes of a ``|``-joined reasons column (skipping empties)."""
    for value in joined:
        if value:
            yield from value.split("|")
