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

    Notes
    -----
    Rows whose policy input is identical are evaluated once per policy and the answer is
    reused (`PolicyMemo`): zen-engine is deterministic, so this is exact.
    """
    engine = PolicyEngine()
    stages = pair.stages.build()
    memo = PolicyMemo(engine, pair)
    rows: dict[str, list[Any]] = {name: [] for name in decision_columns()}
    for application_id, ctx, valuation in contexts(frame):
        pair.stages.run(stages, ctx, valuation)
        values = build_policy_input(ctx.facts, ctx.features, ctx.reasons).values
        rows["application_id"].append(application_id)
        rows["upstream_codes"].append("|".join(values["upstream_codes"]))
        for role, (outcome, reasons) in zip(ROLES, memo.decide(values), strict=True):
            rows[f"{role}_outcome"].append(outcome)
            rows[f"{role}_reasons"].append(reasons)
    return pd.DataFrame(rows).astype({"application_id": "int64"})


class PolicyMemo:
    """Both policies' answers by distinct policy input (evaluate once, reuse for duplicates).

    Keying an input costs a few microseconds; when the first `PROBE` inputs of a partition
    repeat less than `MIN_REUSE` of the time (continuous scores make every input distinct)
    the memo stops keying and evaluates every row. Either way each answer is zen-engine's.
    """

    PROBE = 2_000
    MIN_REUSE = 0.02

    def __init__(self, engine: PolicyEngine, pair: PolicyPair) -> None:
        self._engine = engine
        self._policies = (pair.policy, pair.against)
        self._seen: dict[tuple[Any, ...], tuple[tuple[str, str], ...]] = {}
        self.evaluated = 0
        self.asked = 0
        self.keying = True

    def decide(self, values: dict[str, Any]) -> tuple[tuple[str, str], ...]:
        """``(outcome, reasons)`` under the policy and the one it is compared against."""
        self.asked += 1
        if not self.keying:
            return self._evaluate(values)
        key = _input_key(values)
        answer = self._seen.get(key)
        if answer is None:
            answer = self._seen[key] = self._evaluate(values)
        if self.asked == self.PROBE and self.asked - self.evaluated < self.MIN_REUSE * self.PROBE:
            self.keying = False
            self._seen.clear()
        return answer

    def _evaluate(self, values: dict[str, Any]) -> tuple[tuple[str, str], ...]:
        self.evaluated += 1
        return tuple(_evaluate(self._engine, p, values) for p in self._policies)


def _input_key(values: dict[str, Any]) -> tuple[Any, ...]:
    """A hashable, type-exact key of a policy input (``True`` never equals ``1`` here)."""
    return (
        tuple(values),
        tuple(type(value) for value in values.values()),
        tuple(tuple(value) if type(value) is list else value for value in values.values()),
    )


def _evaluate(
    engine: PolicyEngine, policy: PolicyDocument, values: dict[str, Any]
) -> tuple[str, str]:
    try:
        outcome, codes = engine.decide(policy, values)
    except (PolicyEvaluationError, PolicyOutputInvalid) as err:
        return "error", str(err)[:200]
    return outcome, "|".join(codes)


def contexts(frame: pd.DataFrame) -> Iterator[tuple[int, DecisionContext, float | None]]:
    """A fresh `DecisionContext` per row with the data features in place, and its valuation.

    Columns are converted once per partition (money to ``Decimal`` once per distinct fen
    value, blanks to ``None``, dates, instants); each row then only assembles its objects.
    """
    facts = _fact_rows(frame)
    instants = _utc(frame["submitted_at"])
    names = [c for c in DATA_FEATURES if c in frame.columns]
    features = zip(*(frame[c].tolist() for c in names), strict=True) if names else None
    valuation = (frame["valuation_price_fen"].to_numpy(dtype="float64") / 100).tolist()
    ids = frame["application_id"].tolist()
    for i, (fact, at) in enumerate(zip(facts, instants, strict=True)):
        ctx = DecisionContext(fact, at, business_date(at))
        if features is not None:
            ctx.features.update(zip(names, next(features), strict=True))
        worth = valuation[i]
        yield int(ids[i]), ctx, worth if worth == worth else None


def _utc(column: pd.Series) -> list[datetime]:
    series = pd.to_datetime(column)
    if series.dt.tz is None:
        series = series.dt.tz_localize(UTC)
    stamps = series.dt.tz_convert(UTC)
    return list(stamps.array.to_pydatetime())


def _money_column(column: pd.Series) -> list[Decimal | None]:
    """``from_fen`` of every value (computed once per distinct value); None when missing."""
    known: dict[Any, Decimal] = {}
    out: list[Decimal | None] = []
    for value in column.tolist():
        if value is None or value is pd.NA or value != value:
            out.append(None)
            continue
        money = known.get(value)
        if money is None:
            money = known[value] = from_fen(int(value))
        out.append(money)
    return out


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _fact_rows(frame: pd.DataFrame) -> Iterator[ApplicationFacts]:
    """The ``ApplicationFacts`` intake would build, row by row, from converted columns."""
    col = frame.__getitem__
    zero = Decimal(0)
    people = zip(
        col("person_name").tolist(),
        [_text(v) for v in col("id_number").tolist()],
        col("phone").tolist(),
        strict=True,
    )
    rows = zip(
        col("applicant_kind").tolist(),
        [PersonFacts(name, id_number, phone) for name, id_number, phone in people],
        [_text(v) for v in col("uscc").tolist()],
        col("bank_card").tolist(),
        col("province").tolist(),
        _money_column(col("monthly_income_fen")),
        col("vin").tolist(),
        [_text(v) for v in col("plate").tolist()],
        col("brand").tolist(),
        pd.to_datetime(col("first_registration_date")).dt.date.tolist(),
        [int(v) for v in col("mileage_km").tolist()],
        [zero if m is None else m for m in _money_column(col("asking_price_fen"))],
        _money_column(col("invoice_price_fen")),
        [_text(v) for v in col("fuel_type").tolist()],
        col("seller_type").tolist(),
        col("product_type").tolist(),
        [zero if m is None else m for m in _money_column(col("amount_fen"))],
        [int(v) for v in col("term_months").tolist()],
        [zero if m is None else m for m in _money_column(col("down_payment_fen"))],
        _money_column(col("monthly_budget_fen")),
        col("lead_source").tolist(),
        col("sp_grade").tolist(),
        strict=True,
    )
    for row in rows:
        yield ApplicationFacts(**dict(zip(_FACT_FIELDS, row, strict=True)))


_FACT_FIELDS = (
    "applicant_kind", "person", "uscc", "bank_card", "province", "monthly_income", "vin",
    "plate", "brand", "first_registration_date", "mileage_km", "asking_price", "invoice_price",
    "fuel_type", "seller_type", "product_type", "amount", "term_months", "down_payment",
    "monthly_budget", "lead_source", "sp_grade",
)  # fmt: skip


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
