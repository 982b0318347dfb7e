"""Scores of a book from the models of record: the champions the store names, as live serves.

`champion_refs` reads the same champions live serving reads (``serving_models``: verified
against the approved manifest sha256 and gated); `record_scores` scores every application of
the book with them: credit from the declared features (``credit.book.raw_from_book`` and
``credit.features.compute``, as serving computes them), fraud from the book's fraud features.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd  # type: ignore[import-untyped]

from autolease.backtest.exceptions import BacktestInvalid
from autolease.exceptions import FieldError


@dataclass(frozen=True)
class RecordModels:
    """The artifacts root and the ``name@version`` of each champion (None: none serves)."""

    root: Path
    credit: str | None
    fraud: str | None

    def scores(self, data: Path) -> pd.DataFrame:
        return record_scores(data, self)

    def note(self) -> str:
        return (
            f"credit and fraud scores from the models of record: credit {self.credit or 'none'},"
            f" fraud {self.fraud or 'none'}"
        )


def champion_refs() -> RecordModels:
    """The champions recorded in the store for the configured model names."""
    from autolease.cli_support import runtime_scope, transaction
    from autolease.governance.service.serving import serving_models

    with runtime_scope() as runtime, transaction(runtime) as session:
        serving = serving_models(session, runtime.settings)
        root = runtime.settings.artifacts_dir
    if serving.credit is None and serving.fraud is None:
        message = "the store records no credit or fraud champion (see `autolease model list`)"
        raise BacktestInvalid(
            message, errors=[FieldError("models", "store", message, "存储中没有在用的模型")]
        )
    return RecordModels(root, serving.credit, serving.fraud)


def record_scores(data: Path, models: RecordModels) -> pd.DataFrame:
    """``application_id`` and the score columns of every application of the book."""
    frames = []
    if models.credit is not None:
        frames.append(_credit_scores(data, models.root, models.credit))
    if models.fraud is not None:
        frames.append(_fraud_scores(data, models.root, models.fraud))
    out = frames[0]
    for frame in frames[1:]:
        out = out.merge(frame, on="application_id", how="outer", validate="one_to_one")
    return out


def _credit_scores(data: Path, root: Path, ref: str) -> pd.DataFrame:
    from autolease.credit.book import raw_from_book
    from autolease.credit.features import compute
    from autolease.credit.service import read_book, resolve_model

    model, _ = resolve_model(root, ref)
    raw, joined = raw_from_book(read_book(data))
    scored = model.score_batch(pd.DataFrame(compute(raw)))
    return pd.DataFrame(
        {
            "application_id": joined["application_id"].to_numpy(np.int64),
            "credit_pd": scored.pd,
            "credit_score": scored.score,
            "credit_grade": scored.grade.astype(object),
        }
    )


def _fraud_scores(data: Path, root: Path, ref: str) -> pd.DataFrame:
    from autolease.fraud.service.offline import book_dataset, book_scores
    from autolease.fraud.service.scoring import resolve_model

    return book_scores(resolve_model(root, ref), book_dataset(data))
