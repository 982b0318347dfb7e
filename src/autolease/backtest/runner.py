"""Replay applications through two policies with the service's own pure functions (pure).

For every row of the book, `decide_partition` rebuilds the ``ApplicationFacts`` the service
would have built, seeds ``ctx.features`` with what the prefetchers and not-yet-built stages
would supply (bureau and court lists, model scores), runs the pipeline's existing stages
(identity and vehicle, the same classes the service runs, see `autolease.backtest.stages`),
builds the policy input with `autolease.decision.inputs.build_policy_input` and evaluates
each policy with `autolease.decision.engine.PolicyEngine` — the policy stage's input and
engine, batch by batch (`PolicyEngine.decide_many`). Partitions are independent, so Dask
only maps this function.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import MISSING, dataclass, field, fields
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pandas as pd  # type: ignore[import-untyped]

from autolease.backtest.book import FACT_COLUMNS
from autolease.backtest.stages import BookStages
from autolease.decision.engine import (
    Decided,
    PolicyEngine,
    PolicyEvaluationError,
    PolicyOutputInvalid,
)
from autolease.decision.equivalence import exact_key, input_classes
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


def partition_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of ``frame`` that `decide_partition` reads (the rest need not travel)."""
    wanted = {"valuation_price_fen", *FACT_COLUMNS}
    wanted.update(DATA_FEATURES)
    return [c for c in frame.columns if c in wanted]


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
    Rows go through the stages `BATCH` at a time, then each policy evaluates the batch's
    inputs in one loop (`PolicyEngine.decide_many`): zen-engine's code and data stay in the
    CPU caches, and the two evaluations cost ~25 % less than when stages and policies
    alternate row by row. Rows whose policy inputs the two graphs cannot tell apart are
    evaluated once per policy and the answer is reused (`PolicyMemo`): zen-engine is
    deterministic, so this is exact.
    """
    stages = pair.stages.build()
    memo = process_memo(pair)
    ids: list[int] = []
    upstream: list[str] = []
    answers: list[Answer] = []
    batch: list[dict[str, Any]] = []
    with cyclic_gc_paused():
        for application_id, ctx, valuation in contexts(frame):
            pair.stages.run(stages, ctx, valuation)
            values = build_policy_input(ctx.facts, ctx.features, ctx.reasons).values
            ids.append(application_id)
            upstream.append("|".join(values["upstream_codes"]))
            batch.append(values)
            if len(batch) == BATCH:
                answers += memo.decide_all(batch)
                batch = []
        answers += memo.decide_all(batch)
    columns: dict[str, list[Any]] = {"application_id": ids}
    for i, role in enumerate(ROLES):
        columns[f"{role}_outcome"] = [answer[i][0] for answer in answers]
        columns[f"{role}_reasons"] = [answer[i][1] for answer in answers]
    columns["upstream_codes"] = upstream
    return pd.DataFrame(columns).astype({"application_id": "int64"})


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a partition is decided, then resume it.

    Every row allocates dozens of containers, so the collector ran hundreds of times per
    partition and walked every live object each time (~5 % of the CPU), to find a few
    hundred cyclic objects per 40,000 rows. Reference counting still frees everything else
    at once; what is cyclic waits for the next collection after the partition.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


BATCH = 2_000
"""Rows staged before the policies evaluate them (bounded memory, warm engine caches)."""

Answer = tuple[tuple[str, str], ...]
"""``(outcome, reasons)`` under each policy of the pair, in `ROLES` order."""
_MEMOS: dict[tuple[str, str], PolicyMemo] = {}


def process_memo(pair: PolicyPair) -> PolicyMemo:
    """This process's memo for ``pair``: answers carry over from partition to partition.

    One pair at a time (a backtest of another pair starts afresh), keyed by both graphs'
    content hashes, so a changed policy never sees another's answers.
    """
    key = (pair.policy.content_hash, pair.against.content_hash)
    memo = _MEMOS.get(key)
    if memo is None:
        _MEMOS.clear()
        memo = _MEMOS[key] = PolicyMemo(PolicyEngine(), pair)
    return memo


class PolicyMemo:
    """Both policies' answers by class of policy input (evaluate once, reuse for the rest).

    The class is `autolease.decision.equivalence.InputClasses.key` when both graphs can be
    analysed (inputs the graphs cannot tell apart share it: a number between the same two
    literals the rules compare it with), else the exact input. Keying an input costs a few
    microseconds; when the first `PROBE` inputs of a partition repeat less than
    `MIN_REUSE` of the time the memo stops keying and evaluates every row. Either way each
    answer is zen-engine's for an input of the same class.
    """

    PROBE = 2_000
    MIN_REUSE = 0.02
    MAX_CLASSES = 250_000
    """Answers kept at most (about 1 KB each); later new classes are evaluated, not kept."""

    def __init__(self, engine: PolicyEngine, pair: PolicyPair) -> None:
        self._engine = engine
        self._policies = (pair.policy, pair.against)
        classes = input_classes(policy.graph() for policy in self._policies)
        self._key: Callable[[dict[str, Any]], Hashable] = (
            exact_key if classes is None else classes.key
        )
        self._seen: dict[Hashable, Answer] = {}
        self.evaluated = 0
        self.asked = 0
        self.keying = True

    def decide(self, values: dict[str, Any]) -> Answer:
        """``(outcome, reasons)`` under the policy and the one it is compared against."""
        return self.decide_all([values])[0]

    def decide_all(self, inputs: Sequence[dict[str, Any]]) -> list[Answer]:
        """`decide` of every input; each policy evaluates the new distinct inputs in one loop."""
        if not self.keying:  # every input is evaluated, in order
            self.asked += len(inputs)
            self.evaluated += len(inputs)
            return self._evaluate_all(list(inputs))
        pending: list[dict[str, Any]] = []
        keys: list[Hashable] = []
        slots: list[Answer | int] = []  # a known answer, or the index of a pending input
        waiting: dict[Hashable, int] = {}
        key_of = self._key
        for values in inputs:
            self.asked += 1
            if self.keying:
                key = key_of(values)
                known: Answer | int | None = self._seen.get(key)
                if known is None:
                    known = waiting.get(key)
                if known is None:
                    known = waiting[key] = self._pend(pending, values)
                    keys.append(key)
                slots.append(known)
                if self.asked == self.PROBE and (
                    self.asked - self.evaluated < self.MIN_REUSE * self.PROBE
                ):
                    self.keying = False
                    self._seen.clear()
            else:
                slots.append(self._pend(pending, values))
        fresh = self._evaluate_all(pending)
        if self.keying and len(self._seen) < self.MAX_CLASSES:
            self._seen.update(zip(keys, fresh, strict=False))
        return [fresh[slot] if isinstance(slot, int) else slot for slot in slots]

    def _pend(self, pending: list[dict[str, Any]], values: dict[str, Any]) -> int:
        self.evaluated += 1
        pending.append(values)
        return len(pending) - 1

    def _evaluate_all(self, inputs: list[dict[str, Any]]) -> list[Answer]:
        per_policy = [map(_answer, self._engine.decide_many(p, inputs)) for p in self._policies]
        return list(zip(*per_policy, strict=True))


def _answer(decided: Decided | PolicyEvaluationError | PolicyOutputInvalid) -> tuple[str, str]:
    """``(outcome, codes joined by "|")``, or ``("error", the message)`` for a failure."""
    if isinstance(decided, tuple):
        outcome, codes = decided
        return outcome, "|".join(codes)
    return "error", str(decided)[:200]


def contexts(frame: pd.DataFrame) -> Iterator[tuple[int, DecisionContext, float | None]]:
    """A fresh `DecisionContext` per row with the data features in place, and its valuation.

    Columns are converted once per partition (money to ``Decimal`` once per distinct fen
    value, blanks to ``None``, dates, instants); each row then only assembles its objects.
    """
    instants = _utc(frame["submitted_at"])
    names = [c for c in DATA_FEATURES if c in frame.columns]
    features = zip(*(frame[c].tolist() for c in names), strict=True) if names else None
    valuation = (frame["valuation_price_fen"].to_numpy(dtype="float64") / 100).tolist()
    rows = zip(
        frame["application_id"].tolist(), _fact_rows(frame), instants, valuation, strict=True
    )
    for application_id, fact, at, worth in rows:
        seeded = dict(zip(names, next(features), strict=True)) if features is not None else {}
        ctx = DecisionContext(fact, at, business_date(at), seeded)
        yield int(application_id), ctx, worth if worth == worth else None


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
    columns = {
        "applicant_kind": col("applicant_kind").tolist(),
        "person": [PersonFacts(name, id_number, phone) for name, id_number, phone in people],
        "uscc": [_text(v) for v in col("uscc").tolist()],
        "bank_card": col("bank_card").tolist(),
        "province": col("province").tolist(),
        "monthly_income": _money_column(col("monthly_income_fen")),
        "vin": col("vin").tolist(),
        "plate": [_text(v) for v in col("plate").tolist()],
        "brand": col("brand").tolist(),
        "first_registration_date": pd.to_datetime(col("first_registration_date")).dt.date.tolist(),
        "mileage_km": [int(v) for v in col("mileage_km").tolist()],
        "asking_price": [zero if m is None else m for m in _money_column(col("asking_price_fen"))],
        "invoice_price": _money_column(col("invoice_price_fen")),
        "fuel_type": [_text(v) for v in col("fuel_type").tolist()],
        "seller_type": col("seller_type").tolist(),
        "product_type": col("product_type").tolist(),
        "amount": [zero if m is None else m for m in _money_column(col("amount_fen"))],
        "term_months": [int(v) for v in col("term_months").tolist()],
        "down_payment": [zero if m is None else m for m in _money_column(col("down_payment_fen"))],
        "monthly_budget": _money_column(col("monthly_budget_fen")),
        "lead_source": col("lead_source").tolist(),
        "sp_grade": col("sp_grade").tolist(),
    }
    # The book gives ApplicationFacts' leading fields, in the dataclass's own order.
    order = _FACT_FIELDS[: len(columns)]
    if set(order) != set(columns):  # pragma: no cover - guards a change of ApplicationFacts
        raise TypeError(f"the book's facts {sorted(columns)} are not the leading fields {order}")
    rows = zip(*(columns[name] for name in order), strict=True)
    defaults = _plain_defaults(order)
    if defaults is None:  # pragma: no cover - ApplicationFacts got a __post_init__ or slots
        for row in rows:
            yield ApplicationFacts(*row)
        return
    # What the frozen dataclass's __init__ stores, stored at once: its per-field
    # object.__setattr__ calls cost ~2 µs an application.
    new, setattr_ = object.__new__, object.__setattr__
    for row in rows:
        facts = new(ApplicationFacts)
        state = dict(zip(order, row, strict=True))
        state.update(defaults)
        setattr_(facts, "__dict__", state)
        yield facts


_FACT_FIELDS = tuple(f.name for f in fields(ApplicationFacts))


def _plain_defaults(given: Sequence[str]) -> dict[str, Any] | None:
    """The default of every field of ApplicationFacts not in ``given``, in field order.

    None when an instance is more than its fields' values in its ``__dict__`` (a
    ``__post_init__``, slots, a default factory, a field outside ``__init__``).
    """
    if hasattr(ApplicationFacts, "__post_init__") or hasattr(ApplicationFacts, "__slots__"):
        return None
    defaults: dict[str, Any] = {}
    for f in fields(ApplicationFacts):
        if f.name in given:
            continue
        if not f.init or f.default is MISSING or f.default_factory is not MISSING:
            return None
        defaults[f.name] = f.default
    return defaults


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


def count_codes(joined: Sequence[str]) -> Counter[str]:
    """The codes of a ``|``-joined reasons column, counted (empty values skipped).

    Each distinct joined value is split once and counted as often as it occurs: a million
    rows hold a few thousand distinct combinations. Codes come in the order they are first
    seen in ``joined``, as a plain count would give them (``most_common`` keeps that order
    among equal counts).
    """
    counts: Counter[str] = Counter()
    for value, times in Counter(joined).items():
        if value:
            for code in value.split("|"):
                counts[code] += times
    return counts
