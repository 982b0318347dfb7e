"""The valuation model's card facts (pure: predictions and prices in, a dict out).

Held out: the random hold-out split the trainer keeps back (never fitted on, never used for
calibration). In-sample: the rows the final boosters were fitted on. Price tables carry no
sale date, so stability over time is not measured.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from autolease.ml.card import card_facts, figures, top_importance

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Metrics = Callable[[F64, F64, F64, F64], dict[str, Any]]
PURPOSE = (
    "P10, P50 and P90 of a used car's market price, the base of the loan-to-value (LTV)"
    " the origination policy reads."
)
LIMITS = (
    "Asking or listing prices, not transaction prices: a price level set by sellers.",
    "A brand or model the table does not know gets a wider interval, not a reliable P50.",
    "No sale dates: the model cannot tell a price level that moved since the table was taken.",
    "The conformal shifts of the first fit carry over to the refit (slightly optimistic).",
)


def _importance(booster: Any) -> list[dict[str, Any]]:
    gains = np.asarray(booster.feature_importance(importance_type="gain"), dtype=float)
    total = float(gains.sum()) or 1.0
    return top_importance(dict(zip(booster.feature_name(), gains / total, strict=True)), "gain")


def valuation_card(
    predict: Callable[[F64], tuple[F64, F64, F64]],
    price_metrics: Metrics,
    x: F64,
    price: F64,
    *,
    test: I64,
    fitted: I64,
    holdout_share: float,
    p50_booster: Any,
    unseen_brand: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The card facts of a valuation model (``ml.card.card_facts``); `unseen_brand` adds the
    leave-one-brand-out figures of the unseen-brand prior (`vehicle.unseen`)."""
    held = []
    if len(test):
        sample = f"random hold-out split: {len(test)} rows ({holdout_share:.0%} of the table)"
        held.append(figures(sample, price_metrics(price[test], *predict(x[test]))))
    coverage = held[0]["metrics"].get("coverage_p10_p90") if held else None
    calibration_sample = held[0]["sample"] if held else "none held out"
    if unseen_brand:
        values = {k: v for k, v in unseen_brand.items() if k != "sample"}
        held.append(figures(f"unseen brands: {unseen_brand['sample']}", values))
    in_sample = figures(
        f"in-sample (the {len(fitted)} rows the boosters were fitted on)",
        price_metrics(price[fitted], *predict(x[fitted])),
    )
    return card_facts(
        purpose=PURPOSE,
        population=f"{len(price)} priced vehicles of the training table",
        held_out=held,
        in_sample=[in_sample],
        importance=_importance(p50_booster),
        calibration={
            "sample": calibration_sample,
            "target": "80% of prices inside [P10, P90]",
            "coverage_p10_p90": coverage,
        },
        limits=LIMITS,
    )
