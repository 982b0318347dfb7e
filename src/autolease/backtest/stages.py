"""The pipeline stages a backtest runs before the policies, built as the service builds them.

* identity: ``IdentityStage()`` as in production;
* vehicle: ``VehicleStage`` with the book's vehicle history (the vehicle domain's
  ``ParquetHistoryProvider``, as the service uses it) and, per application,
  the book's vendor valuation as its valuer (`BookValuer`) — so LTV, price-to-value and
  their reasons come from the stage's own code. No valuation model is needed; pass
  ``use_book_valuation=False`` to run the stage exactly as a service without a registered
  valuation model would (VALUATION_UNAVAILABLE).

Fraud and credit stages do not exist yet: their scores come from the data (``scores.parquet``)
or from `autolease.backtest.standin`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from autolease.identity.stage import IdentityStage
from autolease.origination.pipeline import DecisionContext
from autolease.vehicle.features import Valuation, ValuationInput
from autolease.vehicle.history import EmptyHistoryProvider, HistoryProvider
from autolease.vehicle.ltv import LtvBasis
from autolease.vehicle.stage import VehicleStage

BOOK_VALUATION_REF = "book-valuation"
BAND = 0.077  # P10/P90 at ±1.28 sd of the book's 6 % vendor valuation error (synth docs) [P]
RETENTION_PER_YEAR = 0.88  # value kept per extra year, for residuals only [P]


@dataclass(frozen=True)
class BookValuer:
    """The book's vendor valuation of one car, as the vehicle stage's ``Valuer``."""

    p50_today: float
    age_today: float
    ref: str = BOOK_VALUATION_REF
    max_age_years: float = 30.0

    def value(self, item: ValuationInput) -> Valuation:
        return _book_value(self.p50_today, self.age_today, item.age_years, self.ref)

    def value_many(self, items: Sequence[ValuationInput]) -> list[Valuation]:
        return [self.value(item) for item in items]


def _book_value(p50_today: float, age_today: float, age_years: float, ref: str) -> Valuation:
    p50 = p50_today * RETENTION_PER_YEAR ** max(0.0, age_years - age_today)
    return Valuation(p50 * (1 - BAND), p50, p50 * (1 + BAND), ref)


class BookValuerSlot:
    """The vehicle stage's ``Valuer`` for the application being decided (one per worker).

    `BookStages.run` points it at the current application's valuation (`point`) before the
    stage runs, so one `VehicleStage` serves every row (no ``dataclasses.replace`` and no
    valuer object per row); it values exactly as `BookValuer` does.
    """

    ref = BOOK_VALUATION_REF
    max_age_years = 30.0

    def __init__(self) -> None:
        self.p50_today = 0.0
        self.age_today = 0.0

    def point(self, p50_today: float, age_today: float) -> None:
        self.p50_today = p50_today
        self.age_today = age_today

    def value(self, item: ValuationInput) -> Valuation:
        return _book_value(self.p50_today, self.age_today, item.age_years, self.ref)

    def value_many(self, items: Sequence[ValuationInput]) -> list[Valuation]:
        p50_today, age_today, ref = self.p50_today, self.age_today, self.ref
        return [_book_value(p50_today, age_today, item.age_years, ref) for item in items]


@dataclass(frozen=True)
class BuiltStages:
    """The stage objects of one worker: identity, vehicle without and with a valuer slot."""

    identity: IdentityStage
    unvalued: VehicleStage
    valued: VehicleStage
    slot: BookValuerSlot


@dataclass(frozen=True)
class BookStages:
    """Picklable recipe of the pre-policy stages (workers rebuild the history index)."""

    book_dir: Path | None
    use_book_valuation: bool = True
    ltv_basis: LtvBasis = "p10"

    def history(self) -> HistoryProvider:
        if self.book_dir is None:
            return EmptyHistoryProvider()
        return _history_provider(str(self.book_dir))

    def build(self) -> BuiltStages:
        history = self.history()
        slot = BookValuerSlot()
        return BuiltStages(
            IdentityStage(),
            VehicleStage(history=history, ltv_basis=self.ltv_basis),
            VehicleStage(valuer=slot, history=history, ltv_basis=self.ltv_basis),
            slot,
        )

    def run(self, stages: BuiltStages, ctx: DecisionContext, valuation_yuan: float | None) -> None:
        """Run identity then vehicle on ``ctx`` (the vehicle stage valued by the book)."""
        stages.identity.run(ctx)
        if self.use_book_valuation and valuation_yuan is not None and valuation_yuan > 0:
            age = (ctx.business_date - ctx.facts.first_registration_date).days / 365.25
            stages.slot.point(valuation_yuan, age)
            stages.valued.run(ctx)
        else:
            stages.unvalued.run(ctx)


@lru_cache(maxsize=2)
def _history_provider(book_dir: str) -> HistoryProvider:
    """One history index per process and book."""
    from autolease.vehicle.repository import ParquetHistoryProvider

    return ParquetHistoryProvider(Path(book_dir))
