"""The early-warning model's life: train it on a saved book and register it, load it, and
run the monthly batch that turns the riskiest active contracts into a collections watch-list.

The batch runs the pure `earlywarning.score_frame` with pandas, or with Dask
(``dask.dataframe.map_partitions`` over the same function) when the book is large.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from autolease.ml import registry
from autolease.ml.registry import ArtifactError, Feature
from autolease.portfolio import earlywarning as ew
from autolease.portfolio.simulate import SimulatedBook

NAME = "early_warning"
MODEL_FILE = "model.txt"
COLUMNS_FILE = "columns.json"


class EarlyWarningError(ValueError):
    """The book, the month or the model cannot be used (the message says which)."""


def train(
    book: SimulatedBook, root: Path, *, created_at: datetime, version: str | None = None
) -> registry.Manifest:
    """Fit on every contract with 12 observed months and save it as a new registry version."""
    try:
        data = ew.training_set(book.panel, book.applications)
    except ValueError as exc:
        raise EarlyWarningError(str(exc)) from None
    if len(np.unique(data.y)) < 2:
        raise EarlyWarningError("the training set needs both good and bad contracts")
    model = ew.EarlyWarningModel.fit(data.x, data.y)
    months = book.panel.months
    files = {
        MODEL_FILE: model.to_text().encode("utf-8"),
        COLUMNS_FILE: json.dumps(list(model.columns)).encode("utf-8"),
    }
    try:
        return registry.save(
            root,
            NAME,
            version or _next_version(root),
            files,
            features=[Feature(c, _dtype(data.x[c]), ew.REASONS[c][0]) for c in model.columns],
            metrics={"rows": len(data.y), "bad_rate": round(float(data.y.mean()), 6)},
            created_at=created_at.isoformat(),
            training_window={
                "first_cohort": months[int(data.cohort.min())],
                "last_cohort": months[int(data.cohort.max())],
            },
            params={
                "lightgbm": dict(ew.PARAMS),
                "rounds": ew.ROUNDS,
                "score_mob": ew.SCORE_MOB,
                "horizon": ew.HORIZON,
            },
        )
    except ArtifactError as exc:
        raise EarlyWarningError(str(exc)) from None


def _dtype(column: pd.Series) -> str:
    return "category" if isinstance(column.dtype, pd.CategoricalDtype) else "float"


def _next_version(root: Path) -> str:
    numbers = [int(v) for v in registry.versions(root, NAME) if v.isdigit()]
    return f"{max(numbers, default=0) + 1:04d}"


def load_model(root: Path, ref: str = f"{NAME}@latest") -> ew.EarlyWarningModel:
    try:
        artifact = registry.resolve(root, ref)
        columns = json.loads(artifact.files[COLUMNS_FILE])
        return ew.EarlyWarningModel.from_text(artifact.files[MODEL_FILE].decode("utf-8"), columns)
    except (ArtifactError, KeyError, json.JSONDecodeError) as exc:
        raise EarlyWarningError(f"model {ref}: {exc}") from None


def month_index(book: SimulatedBook, month: str) -> int:
    try:
        return book.panel.months.index(month)
    except ValueError:
        first, last = book.panel.months[0], book.panel.months[-1]
        raise EarlyWarningError(f"month {month} is outside the book ({first}..{last})") from None


@dataclass(frozen=True)
class Scored:
    """Every active contract of a month with its probability, and the model's inputs."""

    scores: pd.DataFrame
    inputs: pd.DataFrame


def score(
    book: SimulatedBook, model: ew.EarlyWarningModel, month: str, *, partitions: int = 0
) -> Scored:
    """Every active contract at `month`, scored: pandas, or Dask with `partitions` > 0."""
    active = ew.active_at(book.panel, month_index(book, month))
    x = ew.month_features(book.panel, book.applications, active)
    scored = _dask_scores(x, model, partitions) if partitions else ew.score_frame(x, model)
    out = pd.concat([active, scored], axis=1)
    out.insert(
        1,
        "cohort",
        np.asarray(book.panel.months, dtype=object)[
            book.panel.origination[out["contract"].to_numpy()]
        ],
    )
    return Scored(out, x)


def _dask_scores(x: pd.DataFrame, model: ew.EarlyWarningModel, partitions: int) -> pd.DataFrame:
    import dask.dataframe as dd

    meta = pd.DataFrame({"probability": pd.Series(dtype="float64")})
    frame = dd.from_pandas(x, npartitions=max(1, partitions), sort=False)  # type: ignore[no-untyped-call]
    result: Any = frame.map_partitions(ew.score_frame, model, meta=meta).compute(
        scheduler="threads"
    )
    return result.sort_index()


def write_watch_list(scored: Scored, model: ew.EarlyWarningModel, top: int, out: Path) -> int:
    """The `top` riskiest contracts with reasons, to CSV (UTF-8 with BOM, for Excel) or JSON."""
    listed = ew.watch_list(scored.scores, scored.inputs, model, top)
    if out.suffix.lower() == ".json":
        out.write_text(
            json.dumps(listed.to_dict(orient="records"), ensure_ascii=False, indent=1),
            encoding="utf-8",
        )
    else:
        listed.to_csv(out, index=False, encoding="utf-8-sig")
    return len(listed)
