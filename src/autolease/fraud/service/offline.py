"""Offline use cases over files or the whole store: rings, training, evaluation.

A synthetic book is read from Parquet (`read_book`); a labelled CSV from disk. Models are
registered under the artifacts root (`autolease.ml.registry`, native files + manifest +
sha256). Reading the store is read-only; nothing here commits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd  # type: ignore[import-untyped,unused-ignore]
from sqlalchemy.orm import Session

from autolease.fraud import repository
from autolease.fraud.book import BookLinks, book_features, book_link_rows, book_truth
from autolease.fraud.card import fraud_card, monthly_stability
from autolease.fraud.exceptions import FraudDataInvalid, FraudModelInvalid
from autolease.fraud.features import FEATURE_SET, FEATURES, FeatureSpec
from autolease.fraud.keys import DEFAULT_POLICY, LinkPolicy
from autolease.fraud.links import LinkRows
from autolease.fraud.model import FraudModel
from autolease.fraud.rings import RingPolicy, RingReport, detect_rings
from autolease.fraud.selection import REFERRAL_SHARES, fit_time_validated
from autolease.fraud.stage import FraudRules, ring_flag
from autolease.fraud.tabular import binary_target, encode_frame, tabular_specs, where_mask
from autolease.fraud.timesplit import period_index, recall_at_shares, threshold_for_share
from autolease.fraud.training import TrainOptions, evaluate, fit_fraud_model
from autolease.identity.providers.local import LocalRegistry
from autolease.ml import registry
from autolease.ml.registry import ArtifactError, Feature

BOOK_TABLES = ("applications", "applicants", "vehicles", "truth", "sps", "bureau")
_VERSION = re.compile(r"^\d+$")


def read_book(book: Path, tables: Sequence[str] = BOOK_TABLES) -> dict[str, Any]:
    """The named Parquet tables of a book directory."""
    import pyarrow.parquet as pq

    if not Path(book).is_dir():
        raise FraudDataInvalid(f"--data: {book} is not a directory")
    out = {}
    for name in tables:
        path = Path(book) / f"{name}.parquet"
        if not path.is_file():
            if name in ("sps", "bureau", "truth"):
                continue
            raise FraudDataInvalid(f"--data: the book at {book} has no {name}.parquet")
        out[name] = pq.read_table(path)
    return out


# ----------------------------------------------------------------------------- rings


def rings_over_book(book: Path, policy: RingPolicy | None = None) -> tuple[RingReport, LinkRows]:
    """Rings over every application of a book (plaintext in process; exports masked)."""
    links = book_link_rows(read_book(book, ("applications", "applicants", "vehicles", "truth")))
    return detect_rings(links.rows, policy), links.rows


def rings_over_store(
    session: Session,
    policy: RingPolicy | None = None,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
) -> tuple[RingReport, LinkRows]:
    """Rings over the store's link rows (blind indexes; exports show hash prefixes)."""
    rows = repository.link_rows(session, start=start, end=end)
    bad_ids = repository.all_fraud_labels(session, before=end)
    known = np.asarray([a in bad_ids for a in rows.app_ids], dtype=bool)
    return detect_rings(rows, policy, known_bad=known), rows


# ----------------------------------------------------------------------------- book data


@dataclass(frozen=True)
class BookDataset:
    features: pd.DataFrame
    truth: pd.DataFrame
    links: BookLinks

    @property
    def dates(self) -> pd.Series:
        return pd.to_datetime(self.features["application_date"])

    def matrix(self, specs: Sequence[FeatureSpec] = FEATURES) -> npt.NDArray[np.float64]:
        records = self.features[[f.name for f in specs]]
        return encode_frame(records, specs)


def book_dataset(
    book: Path | dict[str, Any], *, policy: LinkPolicy = DEFAULT_POLICY, graph: bool = True
) -> BookDataset:
    tables = read_book(book) if isinstance(book, Path) else book
    if "truth" not in tables:
        raise FraudDataInvalid("--data: the book has no truth.parquet (labels)")
    links = book_link_rows(tables)
    registry_ = LocalRegistry.from_tables(tables)
    features = book_features(tables, links, policy=policy, registry=registry_, graph=graph)
    truth = book_truth(tables, features["application_id"])
    return BookDataset(features, truth, links)


def split_months(dates: pd.Series, months: int) -> npt.NDArray[np.bool_]:
    """True for rows in the first `months` months (from the earliest date)."""
    cut = dates.min() + pd.DateOffset(months=months)
    return np.asarray(dates < cut, dtype=bool)


def _labels(truth: pd.DataFrame) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    y = truth["is_fraud"].fillna(False).astype(bool).to_numpy(dtype=np.float64)
    ring = truth["ring_id"].notna().to_numpy(dtype=bool)
    return y, ring


def evaluate_dataset(
    model: FraudModel, data: BookDataset, rows: npt.NDArray[np.bool_] | None = None
) -> dict[str, Any]:
    """Metrics of `model` on (some) rows of a book dataset at its own threshold."""
    mask = np.ones(len(data.features), bool) if rows is None else rows
    x = data.matrix(model.specs)[mask]
    y, ring = _labels(data.truth)
    scores = model.score_matrix(x)
    return evaluate(
        scores, y[mask], ring[mask], threshold=model.refer_threshold,
        patterns=data.truth["fraud_type"].to_numpy()[mask].tolist(),
    )  # fmt: skip


def book_scores(model: FraudModel, data: BookDataset) -> pd.DataFrame:
    """``application_id``, ``fraud_score``, ``fraud_ring_flag`` of every application."""
    features = data.features
    flags = [
        ring_flag(row, FraudRules())
        for row in features.reindex(columns=["graph_known_bad", "graph_other_ids",
                                             "graph_distinct_sps", "graph_shared_kinds"])
        .to_dict("records")
    ]  # fmt: skip
    return pd.DataFrame(
        {
            "application_id": features["application_id"].to_numpy(),
            "fraud_score": np.round(model.score_matrix(data.matrix()), 6),
            "fraud_ring_flag": flags,
        }
    )


@dataclass(frozen=True)
class Trained:
    model: FraudModel
    manifest: registry.Manifest
    holdout: dict[str, Any] | None


def next_version(root: Path, name: str) -> str:
    numbers = [int(v) for v in registry.versions(root, name) if _VERSION.match(v)]
    return f"{max(numbers, default=0) + 1:04d}"


def register(
    root: Path,
    model: FraudModel,
    *,
    name: str,
    version: str | None,
    created_at: datetime,
    training_window: dict[str, str],
    params: dict[str, Any],
    card: dict[str, Any] | None = None,
) -> registry.Manifest:
    version = version or next_version(root, name)
    features = [
        Feature(
            s.name,
            s.dtype,
            f"{s.source}: {s.description}".strip(": "),
            {"categories": list(s.categories)} if s.categories else {},
        )
        for s in model.specs
    ]
    try:
        manifest = registry.save(
            root, name, version, model.to_files(), features=features, metrics=model.metrics,
            created_at=created_at.isoformat(), training_window=training_window, params=params,
            card=card,
        )  # fmt: skip
    except ArtifactError as exc:
        raise FraudModelInvalid(str(exc)) from exc
    model.name, model.version = name, version
    return manifest


def train_book(
    book: Path | BookDataset,
    options: TrainOptions,
    *,
    out: Path,
    name: str = "fraud_gbm",
    version: str | None = None,
    created_at: datetime,
    train_months: int | None = 9,
    drop: Sequence[str] = (),
) -> Trained:
    """Train on the first `train_months` months of a book (all when None), evaluate the rest.

    `drop` names inputs to leave out — those serving will not have (a face-match score
    where no biometric check runs): a model must not learn from what it will never see.
    """
    specs = _kept_inputs(drop)
    data = book if isinstance(book, BookDataset) else book_dataset(book)
    train = (
        split_months(data.dates, train_months)
        if train_months is not None
        else np.ones(len(data.features), bool)
    )
    y, ring = _labels(data.truth)
    model = fit_fraud_model(data.matrix(specs)[train], y[train], specs, options, ring=ring[train])
    holdout = evaluate_dataset(model, data, ~train) if (~train).any() else None
    if holdout is not None:
        model.metrics["holdout"] = holdout
    dates = data.dates[train]
    window = {"from": str(dates.min().date()), "to": str(dates.max().date()),
              "source": str(getattr(book, "name", "book"))}  # fmt: skip
    card = _book_card(model, data, train, options, window)
    params = {"options": options.to_json(), "feature_set": FEATURE_SET,
              "train_months": train_months, "dropped_inputs": sorted(drop)}  # fmt: skip
    manifest = register(out, model, name=name, version=version, created_at=created_at,
                        training_window=window, params=params, card=card)  # fmt: skip
    return Trained(model, manifest, holdout)


def _book_card(
    model: FraudModel,
    data: BookDataset,
    train: npt.NDArray[np.bool_],
    options: TrainOptions,
    window: dict[str, str],
) -> dict[str, Any]:
    in_sample = evaluate_dataset(model, data, train)
    population = f"{int(train.sum())} applications of the book {window['source']}"
    tested = stability = None
    if (~train).any():
        later = data.dates[~train]
        sample = (f"time split: trained {window['from']}..{window['to']},"
                  f" tested {later.min().date()}..{later.max().date()}")  # fmt: skip
        tested = (sample, model.metrics["holdout"])
        y, _ = _labels(data.truth)
        stability = monthly_stability(
            model, data.matrix(model.specs)[~train], y[~train], later.tolist(), sample
        )
    return fraud_card(model, options, population=population, in_sample=in_sample,
                      tested=tested, stability=stability)  # fmt: skip


def _kept_inputs(drop: Sequence[str]) -> tuple[FeatureSpec, ...]:
    known = {f.name for f in FEATURES}
    unknown = sorted(set(drop) - known)
    if unknown:
        raise FraudDataInvalid(f"--drop: not model inputs: {unknown}")
    return tuple(f for f in FEATURES if f.name not in set(drop))


# ----------------------------------------------------------------------------- CSV


def read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise FraudDataInvalid(f"--csv: cannot read {path}: {exc}") from exc


@dataclass(frozen=True)
class CsvResult:
    model: FraudModel
    manifest: registry.Manifest
    test: dict[str, Any] | None


def train_csv(
    path: Path,
    target: str,
    options: TrainOptions,
    *,
    out: Path,
    name: str,
    version: str | None,
    created_at: datetime,
    drop: Sequence[str] = (),
    train_where: str | None = None,
    test_where: str | None = None,
    positive: str | None = None,
    time_columns: Sequence[str] = (),
) -> CsvResult:
    """Train on a labelled CSV (rows matching `train_where`), test on `test_where` rows.

    With `time_columns` the setting, inputs and threshold are chosen on forward blocks of
    the training rows (`selection.fit_time_validated`); without, by a shuffled cross-fit —
    unless `train_where` and `test_where` split one column in time (every test value after
    every training value): that column then orders the blocks when it gives two periods or
    more.
    """
    frame = read_csv(path)
    if target not in frame.columns:
        raise FraudDataInvalid(f"--target: the file has no column {target!r}")
    unknown = [c for c in drop if c not in frame.columns]
    if unknown:
        raise FraudDataInvalid(f"--drop: the file has no columns {unknown}")
    y = binary_target(frame[target], positive).astype(np.float64)
    train = where_mask(frame, train_where, "--train-where")
    test = where_mask(frame, test_where, "--test-where") if test_where else None
    specs = tabular_specs(frame[train], exclude=[target, *drop])
    x = encode_frame(frame, specs)
    time_columns = list(time_columns) or _split_column(frame, train_where, test_where, train, test)
    if time_columns:
        period = period_index(frame, time_columns)
        model = fit_time_validated(x[train], y[train], specs, period[train], options)
        x = encode_frame(frame, model.specs)
    else:
        model = fit_fraud_model(x[train], y[train], specs, options)
    result = None
    tested = None
    if test is not None and test.any():
        result = measured(model.score_matrix(x[test]), y[test], model.refer_threshold)
        model.metrics["test"] = result
        tested = (f"test rows: {test_where} ({int(test.sum())} rows)", result)
    in_sample = evaluate(model.score_matrix(x[train]), y[train], threshold=model.refer_threshold)
    population = f"{int(train.sum())} rows of {path.name} ({train_where or 'all rows'})"
    stability = _forward_stability(model, frame[train], time_columns) if time_columns else None
    card = fraud_card(model, options, population=population, in_sample=in_sample, tested=tested,
                      stability=stability)  # fmt: skip
    window = {"source": path.name, "train": train_where or "all", "test": test_where or "none"}
    params = {"options": options.to_json(), "target": target, "dropped": list(drop),
              "rows": int(train.sum()), "time_columns": list(time_columns)}  # fmt: skip
    manifest = register(out, model, name=name, version=version, created_at=created_at,
                        training_window=window, params=params, card=card)  # fmt: skip
    return CsvResult(model, manifest, result)


def _forward_stability(
    model: FraudModel, frame: pd.DataFrame, time_columns: Sequence[str]
) -> dict[str, Any]:
    """The AUC of each forward block, its periods named by the time columns' values."""
    period = period_index(frame, time_columns)
    keys = frame[list(time_columns)].astype(str).agg(" ".join, axis=1).to_numpy()

    def label(p: int) -> str:
        return str(keys[np.flatnonzero(period == p)[0]])

    blocks = model.metrics["time_validation"]["blocks"]
    rows = [{"periods": f"{label(b['periods'][0])} .. {label(b['periods'][1])}",
             "trained_on_rows": b["train_rows"], "rows": b["valid_rows"], "auc": b["auc"]}
            for b in blocks]  # fmt: skip
    return {"sample": "forward blocks of the training rows (each scored by a model of the"
                      " earlier periods only)", "rows": rows}  # fmt: skip


def _split_column(
    frame: pd.DataFrame,
    train_where: str | None,
    test_where: str | None,
    train: npt.NDArray[np.bool_],
    test: npt.NDArray[np.bool_] | None,
) -> list[str]:
    """``[column]`` when both conditions name one column and the test rows come after every
    training row in it, with two or more training periods; otherwise ``[]``."""
    if not train_where or not test_where or test is None or not test.any():
        return []
    column = train_where.partition("=")[0].strip()
    if column != test_where.partition("=")[0].strip():
        return []
    try:
        order = period_index(frame, [column])
    except FraudDataInvalid:
        return []
    later = order[test].min() > order[train].max()
    return [column] if later and len(np.unique(order[train])) >= 2 else []


def csv_target(root: Path, ref: str) -> str | None:
    """The label column a CSV-trained model was trained on (None for a book model)."""
    params = registry.resolve(root, ref).manifest.params
    target = params.get("target") if isinstance(params, dict) else None
    return str(target) if target else None


def absent_inputs(model: FraudModel, frame: pd.DataFrame) -> list[str]:
    """Model inputs the table does not have (they score as missing in every row)."""
    return sorted({s.name for s in model.specs} - {str(c) for c in frame.columns})


def evaluate_csv(
    model: FraudModel,
    path: Path,
    target: str,
    *,
    where: str | None = None,
    positive: str | None = None,
) -> dict[str, Any]:
    """Metrics of `model` on the rows of a labelled CSV matching `where` (all when None)."""
    frame = read_csv(path)
    if target not in frame.columns:
        raise FraudDataInvalid(f"--target: the file has no column {target!r}")
    rows = where_mask(frame, where, "--test-where")
    if not rows.any():
        raise FraudDataInvalid("--test-where: no row of the file matches")
    y = binary_target(frame[target], positive).astype(np.float64)[rows]
    scores = model.score_matrix(encode_frame(frame[rows], model.specs))
    result = measured(scores, y, model.refer_threshold)
    return {**result, "absent_inputs": absent_inputs(model, frame)}


def measured(scores: npt.NDArray[np.float64], y: npt.ArrayLike, threshold: float) -> dict[str, Any]:
    """`evaluate` at the model's threshold plus recall at 1/5/10 % referral of these rows."""
    result = evaluate(scores, y, threshold=threshold)
    result["recall_at_referral"] = recall_at_shares(scores, y, REFERRAL_SHARES)
    return result


def calibrate_csv(
    root: Path,
    model: FraudModel,
    path: Path,
    refer_rate: float,
    *,
    where: str | None,
    created_at: datetime,
    version: str | None = None,
) -> dict[str, Any]:
    """Register a new version of `model` whose threshold refers `refer_rate` of these rows.

    The rows are recent applications, scored as new ones will be; labels are not needed.
    The booster and inputs are the same files; the manifest records the calibration sample.
    """
    if not 0 < refer_rate < 1:
        raise FraudDataInvalid("--refer-rate: must be between 0 and 1 (exclusive)")
    frame = read_csv(path)
    rows = where_mask(frame, where, "--where")
    if rows.sum() < 1 / refer_rate:
        raise FraudDataInvalid(
            f"--where: {int(rows.sum())} rows cannot set a {refer_rate:.1%} referral"
            f" (need at least {int(np.ceil(1 / refer_rate))})"
        )
    scores = model.score_matrix(encode_frame(frame[rows], model.specs))
    threshold = threshold_for_share(scores, refer_rate)
    before = float((scores >= model.refer_threshold).mean())
    old = registry.resolve(root, model.ref).manifest
    calibration = {"source": path.name, "where": where or "all rows", "rows": int(rows.sum()),
                   "refer_rate": refer_rate, "threshold": threshold,
                   "previous_threshold": model.refer_threshold,
                   "from_model": model.ref}  # fmt: skip
    recalibrated = FraudModel(model.booster, model.specs, threshold,
                              {**model.metrics, "calibration": calibration},
                              num_threads=model.num_threads)  # fmt: skip
    card = dict(old.card or {})
    if card:
        card["calibration"] = {**(card.get("calibration") or {}), "recalibrated": calibration}
    manifest = register(
        root, recalibrated, name=model.name, version=version, created_at=created_at,
        training_window=dict(old.training_window), params=dict(old.params), card=card or None,
    )  # fmt: skip
    return {"model": manifest.ref, "threshold": round(threshold, 6),
            "referred_share_before": round(before, 4),
            "referred_share": round(float((scores >= threshold).mean()), 4),
            "rows": int(rows.sum())}  # fmt: skip


def score_csv(model: FraudModel, path: Path, out: Path) -> dict[str, Any]:
    """Write the CSV plus ``fraud_score`` and ``referred`` per row (CSV, or Parquet by suffix)."""
    frame = read_csv(path)
    scores = model.score_matrix(encode_frame(frame, model.specs))
    scored = frame.assign(fraud_score=np.round(scores, 6), referred=scores >= model.refer_threshold)
    if out.suffix.lower() in (".parquet", ".pq"):
        scored.to_parquet(out, index=False)
    else:
        scored.to_csv(out, index=False)
    return {
        "rows": len(scored),
        "out": str(out),
        "referred_share": round(float(scored["referred"].mean()), 4),
        "absent_inputs": absent_inputs(model, frame),
    }


def score_records(model: FraudModel, frame: pd.DataFrame) -> npt.NDArray[np.float64]:
    """Scores of a frame whose columns are the model's inputs."""
    if all(s.name in frame.columns for s in model.specs):
        return model.score_matrix(encode_frame(frame, model.specs))
    return model.score(
        [dict(zip(frame.columns, row, strict=True)) for row in frame.itertuples(index=False)]
    )
