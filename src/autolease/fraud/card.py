"""The fraud model's card facts (pure: the model, labels and scores in, a dict out).

Held out: the out-of-fold scores of the training cross-fit and, when the trainer keeps
rows back (later months of a book, ``--test-where`` rows of a CSV), those rows. In-sample:
the final booster scored on the rows it was fitted on, labelled so.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from autolease.fraud.model import FraudModel
from autolease.fraud.training import TrainOptions, auc
from autolease.ml.card import card_facts, figures, top_importance

F64 = npt.NDArray[np.float64]
PURPOSE = (
    "Ranks applications by the likelihood of application fraud (identity, income, straw"
    " borrower, rings); the top share is referred to manual review."
)
LIMITS = (
    "Trained on labelled fraud cases, which are found late and incompletely: the labels"
    " under-count fraud, most of all in the latest months.",
    "The score ranks; it is not a calibrated probability of fraud.",
    "Inputs the serving path does not have (dropped at training) are not learnt from.",
)


def _importance(model: FraudModel) -> list[dict[str, Any]]:
    gains = np.asarray(model.booster.feature_importance(importance_type="gain"), dtype=float)
    total = float(gains.sum()) or 1.0
    names = [s.name for s in model.specs]
    return top_importance(dict(zip(names, gains / total, strict=True)), "gain_share")


def _monthly(scores: F64, y: F64, dates: Sequence[Any], sample: str) -> dict[str, Any]:
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

    months = pd.PeriodIndex(pd.to_datetime(np.asarray(dates)), freq="M").astype(str)
    rows = []
    for month in sorted(set(months)):
        mask = np.asarray(months == month)
        row: dict[str, Any] = {"month": month, "rows": int(mask.sum()),
                               "fraud_rate": float(y[mask].mean())}  # fmt: skip
        area = auc(y[mask], scores[mask]) if 0 < y[mask].sum() < mask.sum() else None
        row["auc"] = "n/a (one class)" if area is None else area
        rows.append(row)
    return {"sample": sample, "rows": rows}


def fraud_card(
    model: FraudModel,
    options: TrainOptions,
    *,
    population: str,
    in_sample: dict[str, Any],
    tested: tuple[str, dict[str, Any]] | None = None,
    stability: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The card facts of a fraud model (``ml.card.card_facts``)."""
    oof = f"cross-fit, {options.folds} folds (out-of-fold scores on the training rows)"
    forward = model.metrics.get("time_validation")
    if forward is not None:
        oof = f"{forward['sample']} ({len(forward['blocks'])} blocks, out of time)"
    held = [figures(oof, model.metrics["oof"])]
    if tested is not None:
        held.append(figures(*tested))
    return card_facts(
        purpose=PURPOSE,
        population=population,
        held_out=held,
        in_sample=[figures("in-sample (the training rows)", in_sample)],
        importance=_importance(model),
        calibration={
            "note": "not a probability: the refer threshold is the"
            f" {1 - options.refer_rate:.0%} quantile of the "
            + (forward["threshold_sample"] if forward else "out-of-fold scores")
            + "; `autolease fraud calibrate` resets it on recent rows",
            "refer_threshold": model.refer_threshold,
        },
        stability=stability,
        limits=LIMITS,
    )


def monthly_stability(
    model: FraudModel, x: F64, y: F64, dates: Sequence[Any], sample: str
) -> dict[str, Any]:
    """The held-out AUC and fraud rate by month."""
    return _monthly(model.score_matrix(x), y, dates, sample)
