"""Credit use cases that touch files: read tables, train and register, load and verify, evaluate.

Models live in the artifact registry (`autolease.ml.registry`): ``<root>/<name>/<version>/``
with native files and a manifest whose sha256 hashes are verified on every load. No database
is involved, so nothing here commits.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from autolease.credit import features as declared
from autolease.credit.book import book_frame
from autolease.credit.card import (
    OUTSIDE_PURPOSE,
    HeldOut,
    credit_card,
    held_out,
    out_of_time,
    with_held_out,
)
from autolease.credit.encoding import InputSchema, encode, unseen_shares
from autolease.credit.exceptions import CreditDataInvalid, CreditModelInvalid, CreditModelNotFound
from autolease.credit.model import CreditModel
from autolease.credit.settings import CreditSettings
from autolease.credit.stage import CreditStage
from autolease.credit.tabular import binary_target, parse_table, resolve_column
from autolease.credit.training import PreparedData, TrainingResult, TrainOptions, fit_credit_model
from autolease.credit.training import prepare as prepare_frame
from autolease.ml import registry
from autolease.ml.registry import ArtifactError, Feature

log = logging.getLogger(__name__)
BINNING_FILE = "binning.json"
BOOK_TABLES = ("applications", "applicants", "vehicles", "bureau", "sps", "truth")
_VERSION = re.compile(r"^\d+$")
# A model trained on an outside table lands here unless named otherwise, apart from the
# origination models trained on the book's declared features.
EXTERNAL_NAMESPACE = "external"


@dataclass(frozen=True)
class RegisteredModel:
    ref: str
    path: Path
    result: TrainingResult
    manifest: registry.Manifest


def read_table(
    path: Path,
    *,
    sep: str | None = None,
    header: bool | None = None,
    target: str | None = None,
    bad_value: str | None = None,
    missing: Collection[str] | None = None,
) -> pd.DataFrame:
    """Read a delimited file (any common delimiter, header detected) into a clean frame.

    The target's `bad_value` is kept as a label in the target column even when it is also a
    missing-value marker (see `tabular.parse_table`).
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise CreditDataInvalid(f"data file {path} does not exist") from exc
    except UnicodeDecodeError:
        text = path.read_text(encoding="gb18030")
    return parse_table(
        text, sep=sep, header=header, target=target, bad_value=bad_value, missing=missing
    )


def next_version(root: Path, name: str) -> str:
    """The next zero-padded integer version of `name` (``0001`` first)."""
    numbers = [int(v) for v in registry.versions(root, name) if _VERSION.match(v)]
    return f"{max(numbers, default=0) + 1:04d}"


def _features(schema: InputSchema) -> list[Feature]:
    """The manifest's input schema: name, dtype and the categories a categorical input knows."""
    out = []
    for column in schema.columns:
        domain = {"categories": list(column.categories)} if column.kind == "categorical" else {}
        spec = declared.BY_NAME.get(column.name)
        if spec is not None:
            description = f"{spec.description_en}; as of: {spec.as_of}"
            out.append(Feature(spec.name, spec.dtype, description, domain))
        else:
            dtype = "float" if column.kind == "numeric" else "category"
            out.append(Feature(column.name, dtype, "", domain))
    return out


def register(
    root: Path,
    result: TrainingResult,
    *,
    name: str,
    version: str | None,
    created_at: datetime,
    training_window: dict[str, str],
    params: dict[str, Any],
    card: dict[str, Any] | None = None,
    holdout_key: str = "holdout_cross_fit",
) -> RegisteredModel:
    """Save a trained model as a new immutable version under `root`.

    The held-out figure is recorded under `holdout_key` (``holdout_cross_fit`` or
    ``holdout_out_of_time``), apart from the in-sample ``train`` figure; ``samples`` names
    the sample of each.
    """
    version = version or next_version(root, name)
    files = result.model.to_files()
    if result.binning is not None:
        files[BINNING_FILE] = _json_bytes(result.binning)
    metrics: dict[str, Any] = {"train": result.train.to_json()}
    samples = {"train": "in-sample (the training rows)"}
    if result.holdout is not None:
        metrics[holdout_key] = result.holdout.to_json()
        held = (card or {}).get("held_out") or [{"sample": "cross-fit"}]
        samples[holdout_key] = held[0]["sample"]
    metrics["samples"] = samples
    if result.n_rounds is not None:
        metrics["trees"] = result.n_rounds
    try:
        manifest = registry.save(
            root,
            name,
            version,
            files,
            features=_features(result.model.schema),
            metrics=metrics,
            created_at=created_at.isoformat(),
            training_window=training_window,
            params=params,
            card=card,
        )
    except ArtifactError as exc:
        raise CreditModelInvalid(str(exc)) from exc
    model = result.model.with_ref(name, version)
    path = registry.artifact_dir(root, name, version)
    return RegisteredModel(
        manifest.ref,
        path,
        replace(result, model=model),
        manifest,
    )


def _json_bytes(data: Any) -> bytes:
    import json

    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()


def train_csv(
    data: Path,
    target: str,
    options: TrainOptions,
    *,
    bad_value: str | None,
    out: Path,
    name: str | None,
    version: str | None,
    created_at: datetime,
    sep: str | None = None,
    header: bool | None = None,
    drop: Sequence[str] = (),
    missing: Collection[str] | None = None,
    time_column: str | None = None,
    test_from: str | None = None,
) -> tuple[RegisteredModel, PreparedData]:
    """Train a model of `options.kind` on any delimited file and register it.

    With `time_column`, the held-out figure is out of time: the model is trained on the
    rows before `test_from` (default: the latest fifth of the rows by that column is held
    out) and measured on the rest; otherwise it is an outer cross-fit.
    """
    frame = read_table(
        data, sep=sep, header=header, target=target, bad_value=bad_value, missing=missing
    )
    if time_column is None:
        prepared = prepare_frame(frame, target, bad_value, drop=drop)
        result = fit_credit_model(prepared.x, prepared.y, prepared.schema, options)
        held = held_out(result, prepared.x, prepared.y, prepared.schema, options)
        y_held, dates = prepared.y, None
    else:
        split = time_split(frame, time_column, test_from)
        prepared = prepare_frame(split.train, target, bad_value, drop=[*drop, split.column])
        result = fit_credit_model(prepared.x, prepared.y, prepared.schema, options)
        held, y_held, dates = _held_later(result, prepared, split)
    population = f"{len(prepared.y)} rows of {data.name}; bad = {prepared.bad_label!r}"
    card = credit_card(
        result, held, y_held, population=population, purpose=OUTSIDE_PURPOSE, dates=dates
    )
    result = with_held_out(result, held)
    params = {
        "options": options.to_json(),
        "data": data.name,
        "target": prepared.target,
        "bad_value": prepared.bad_label,
        "rows": len(prepared.y),
        "dropped_columns": prepared.dropped_columns,
        "warnings": list(prepared.warnings),
        "left_out": dict(result.left_out),
    }
    if time_column is not None:
        params["time_split"] = {"column": split.column, "test_from": split.cutoff}
    registered = register(
        out,
        result,
        name=name or f"{EXTERNAL_NAMESPACE}/credit_{options.kind}",
        version=version,
        created_at=created_at,
        training_window={"source": data.name},
        params=params,
        card=card,
        holdout_key=held.key,
    )
    return registered, prepared


@dataclass(frozen=True)
class TimeSplit:
    """Rows before the cut-off (train) and from it (later), by one date or number column."""

    column: str
    cutoff: str
    train: pd.DataFrame
    later: pd.DataFrame
    is_date: bool
    dropped_rows: int


def time_split(frame: pd.DataFrame, column: str, test_from: str | None) -> TimeSplit:
    """Split `frame` by `column` (dates, or numbers such as years) at `test_from`.

    Without `test_from` the latest fifth of the rows (by the column) is held out. Rows with
    no readable value in the column are left out of both parts.
    """
    name = resolve_column(frame, column)
    keys, is_date = _time_keys(frame[name])
    if keys.notna().sum() == 0:
        raise CreditDataInvalid(f"--time-column {name!r}: no value reads as a date or a number")
    if test_from is None:
        ordered = keys.dropna().sort_values()
        cut = ordered.iloc[min(len(ordered) - 1, int(np.ceil(0.8 * len(ordered))))]
    else:
        cut = _time_value(test_from, is_date)
    later = keys >= cut
    earlier = keys < cut
    if not earlier.any() or not later.any():
        raise CreditDataInvalid(
            f"--test-from {_show(cut)} leaves no rows {'before' if not earlier.any() else 'from'}"
            f" it in {name!r} (values run from {_show(keys.min())} to {_show(keys.max())})"
        )
    return TimeSplit(
        name,
        _show(cut),
        frame.loc[earlier].reset_index(drop=True),
        frame.loc[later].reset_index(drop=True),
        is_date,
        int(keys.isna().sum()),
    )


def _time_keys(column: pd.Series) -> tuple[pd.Series, bool]:
    if pd.api.types.is_numeric_dtype(column):
        return column.astype(np.float64), False
    return pd.to_datetime(column, errors="coerce", format="mixed"), True


def _time_value(text: str, is_date: bool) -> Any:
    try:
        return pd.Timestamp(text) if is_date else float(text)
    except ValueError as exc:
        kind = "a date" if is_date else "a number"
        raise CreditDataInvalid(f"--test-from {text!r} is not {kind}") from exc


def _show(value: Any) -> str:
    if isinstance(value, pd.Timestamp):
        return str(value.date().isoformat() if value == value.normalize() else value.isoformat())
    number = float(value)
    return str(int(number)) if number.is_integer() else str(number)


def _held_later(
    result: TrainingResult, prepared: PreparedData, split: TimeSplit
) -> tuple[HeldOut, Any, Any]:
    """The out-of-time figure on the later rows (the training schema encodes them)."""
    later = split.later
    try:
        tgt = binary_target(later[prepared.target], prepared.bad_label)
    except CreditDataInvalid as exc:
        raise CreditDataInvalid(
            f"the rows with {split.column} >= {split.cutoff} cannot be held out: {exc}"
        ) from exc
    kept = later.loc[tgt.keep].reset_index(drop=True)
    x = encode(kept, prepared.schema)
    held = out_of_time(
        result, x, tgt.y, column=split.column, cutoff=split.cutoff, train_rows=len(prepared.y)
    )
    dates = pd.to_datetime(kept[split.column], errors="coerce") if split.is_date else None
    return held, tgt.y, dates


def read_book(book: Path) -> dict[str, Any]:
    """Read a synthetic book's Parquet tables (those the credit features use)."""
    import pyarrow.parquet as pq

    tables = {}
    for name in BOOK_TABLES:
        path = book / f"{name}.parquet"
        if not path.is_file():
            if name in ("bureau", "sps"):
                continue
            raise CreditDataInvalid(f"the book at {book} has no {name}.parquet")
        tables[name] = pq.read_table(path)
    return tables


def train_book(
    book: Path,
    options: TrainOptions,
    *,
    out: Path,
    name: str | None,
    version: str | None,
    created_at: datetime,
) -> RegisteredModel:
    """Train the origination credit model on a book, with the declared features."""
    frame = book_frame(read_book(book))
    schema = declared.schema()
    from autolease.credit.encoding import encode

    x = encode(frame.features, schema)
    labels, monotone = declared.labels(), declared.monotone()
    result = fit_credit_model(x, frame.y, schema, options, labels=labels, monotone=monotone)
    held = held_out(result, x, frame.y, schema, options, labels=labels, monotone=monotone)
    population = (
        f"{len(frame.y)} applications of the book {book.name} with a known outcome"
        f" (bad rate {float(np.mean(frame.y)):.2%})"
    )
    card = credit_card(result, held, frame.y, population=population, dates=frame.application_date)
    result = with_held_out(result, held)
    window = {
        "from": str(frame.application_date.min()),
        "to": str(frame.application_date.max()),
        "source": str(book.name),
    }
    params = {
        "options": options.to_json(),
        "feature_set": declared.FEATURE_SET,
        "rows": len(frame.y),
        "bad_rate": round(float(np.mean(frame.y)), 6),
    }
    return register(
        out,
        result,
        name=name or f"credit_{options.kind}",
        version=version,
        created_at=created_at,
        training_window=window,
        params=params,
        card=card,
    )


def load_model(path: Path) -> tuple[CreditModel, registry.Manifest]:
    """Load and verify a model folder (the one holding ``manifest.json``)."""
    try:
        artifact = registry.load_dir(path)
    except ArtifactError as exc:
        if "no manifest" in str(exc):
            raise CreditModelNotFound(f"no model at {path}") from exc
        raise CreditModelInvalid(str(exc)) from exc
    return _model(artifact), artifact.manifest


def resolve_model(root: Path, ref: str) -> tuple[CreditModel, registry.Manifest]:
    """Load ``name@version`` or ``name@latest`` from the registry under `root`."""
    name, _, version = ref.partition("@")
    if version in ("", "latest") and not registry.versions(root, name):
        raise CreditModelNotFound(f"no versions of {name!r} under {root}")
    try:
        artifact = registry.resolve(root, ref)
    except ArtifactError as exc:
        if "no manifest" in str(exc):
            raise CreditModelNotFound(f"no model {ref} under {root}") from exc
        raise CreditModelInvalid(str(exc)) from exc
    return _model(artifact), artifact.manifest


def _model(artifact: registry.LoadedArtifact) -> CreditModel:
    m = artifact.manifest
    try:
        return CreditModel.from_files(artifact.files, name=m.name, version=m.version)
    except (ValueError, KeyError, TypeError) as exc:
        raise CreditModelInvalid(f"{m.ref}: {exc}") from exc


def build_credit_stage(
    settings: CreditSettings,
    artifacts_dir: Path,
    champion: str | None,
    challenger: str | None = None,
) -> CreditStage:
    """The credit stage serving `champion` (``name@version``, recorded in the store).

    A `challenger` scores in shadow beside it (stored, never used to decide).

    No champion (or its files missing) gives a stage that refers every application with
    ``CREDIT_MODEL_UNAVAILABLE``; ``enabled = False`` gives a stage that assesses nothing; a
    model whose files fail their hashes raises `CreditModelInvalid`, so a tampered model stops
    the process from starting.
    """
    if not settings.enabled:
        return CreditStage(None, settings.top_reasons, enabled=False)
    if champion is None:
        return CreditStage(None, settings.top_reasons)
    try:
        model, _ = resolve_model(artifacts_dir, champion)
    except CreditModelNotFound:
        log.warning("credit model %s not found under %s", champion, artifacts_dir)
        return CreditStage(None, settings.top_reasons)
    if settings.grade_pd_cutoffs is not None:
        from autolease.credit.scaling import GradeScale

        model.grades = GradeScale(tuple(settings.grade_pd_cutoffs))
    shadow = resolve_model(artifacts_dir, challenger)[0] if challenger else None
    return CreditStage(model, settings.top_reasons, challenger=shadow)


@dataclass(frozen=True)
class Scored:
    y: np.ndarray[Any, np.dtype[np.int8]]
    pd: np.ndarray[Any, np.dtype[np.float64]]
    score: np.ndarray[Any, np.dtype[np.float64]]
    grade: np.ndarray[Any, np.dtype[np.str_]]
    dropped_rows: int
    missing_inputs: tuple[str, ...] = ()
    unseen_levels: dict[str, float] = field(default_factory=dict)


def score_labelled(
    model: CreditModel,
    data: Path,
    target: str,
    *,
    bad_value: str | None,
    sep: str | None = None,
    header: bool | None = None,
    missing: Collection[str] | None = None,
) -> Scored:
    """Score a labelled file with a model (the inputs are matched by column name)."""
    frame = read_table(
        data, sep=sep, header=header, target=target, bad_value=bad_value, missing=missing
    )
    target_name = resolve_column(frame, target)
    tgt = binary_target(frame[target_name], bad_value)
    kept = frame.loc[tgt.keep].reset_index(drop=True)
    present = [n for n in model.schema.names if n in kept.columns]
    if not present:
        raise CreditDataInvalid("the file has none of the model's input columns")
    scores = model.score_batch(kept)
    absent = tuple(n for n in model.schema.names if n not in kept.columns)
    dropped = int((~tgt.keep).sum())
    unseen = unseen_shares(kept, model.schema)
    return Scored(tgt.y, scores.pd, scores.score, scores.grade, dropped, absent, unseen)
