"""Credit section: in-sample against held-out figures and a default baseline on the same split.

For every credit set in ``<data root>/credit`` (each folder's source note, the ``SOURCE``
Markdown file in the folder, names the file and the target; a folder not listed in ``KNOWN``
is read by the target its note names, from its largest table) and for
a generated table with planted high-cardinality trap columns (`autolease.credit.trap`):

- one stratified 70/30 split (seed 0); the schema is inferred from the training part only, so
  levels first seen in the test part are unseen, as they would be in production;
- our scorecard and GBM trained exactly as ``autolease credit train`` trains them, and the
  blend of the two (what ``--model blend`` builds); in-sample figures on the training part,
  held-out figures on the test part;
- a default scikit-learn ``HistGradientBoostingClassifier(random_state=0)`` on the same
  encoded inputs (categorical columns as categories where they have at most 255 codes);
- the paired bootstrap standard error of the AUC difference (test rows resampled), and
  whether the model matches or beats the baseline within one SE.

Beside them, a diagnostic: the same baseline with its trees cut to depth 1, 2 and 3 (an
additive model, two-input interactions, three), against which the scorecard's reach is read.

For the trap table, also the test AUC of each model trained without the trap columns: the
right answer is known (they carry nothing), so the two must be within 0.02.
"""

from __future__ import annotations

import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from autolease.credit import metrics
from autolease.credit.encoding import encode, unseen_shares
from autolease.credit.model import CreditModel
from autolease.credit.service import read_table
from autolease.credit.tabular import binary_target, resolve_column
from autolease.credit.training import PreparedData, TrainOptions, fit_credit_model, prepare
from autolease.credit.trap import TARGET as TRAP_TARGET
from autolease.credit.trap import TRAP_COLUMNS, trap_table

NAME = "credit"
KNOWN = {
    "statlog_german": ("german.data", "-1", "2"),
    "taiwan_default": ("UCI_Credit_Card.csv", "default.payment.next.month", "1"),
    "hmeq": ("hmeq.csv", "BAD", "1"),
    "credit_scoring_sanchez": ("credit_data.csv", "Status", "bad"),
    "lending_club_modeldata": ("lending_club.csv", "Class", "bad"),
    "home_credit_sample": ("application_train_sample.tsv", "TARGET", "1"),
}
TEST_SHARE = 0.3
QUICK_ROWS = 6000
TRAP_ROWS = (10_000, 5_000)  # full, quick
TRAP_TOLERANCE = 0.02
CEILING_DEPTHS = (1, 2, 3)
CEILING_HEAD = [
    "How far an additive card can reach (diagnostic): the scorecard's held-out AUC beside the"
    " baseline with its trees cut to depth 1 (additive, as a scorecard), 2 (interactions of"
    " two inputs, as a card with 2-D characteristics) and 3, and the default baseline.",
    "",
    "| set | scorecard | trees of depth 1 | depth 2 | depth 3 | baseline (default) |",
    "|---|---|---|---|---|---|",
]
_DATA_SUFFIXES = (".csv", ".tsv", ".data", ".txt")


@dataclass(frozen=True)
class Split:
    data: PreparedData
    x_test: Any
    y_test: Any
    unseen: dict[str, float]


@dataclass(frozen=True)
class Row:
    model: str
    train_rows: int
    test_rows: int
    in_sample: metrics.Evaluation
    held_out: metrics.Evaluation
    baseline: metrics.Evaluation
    diff: float
    se: float
    seconds: float

    @property
    def within_one_se(self) -> bool:
        return self.diff >= -self.se


def run(data_root: Path, *, quick: bool) -> str:
    """The credit section of the model-honesty benchmark, as Markdown."""
    started = time.perf_counter()
    lines = [
        "## Model honesty — credit (`python -m benchmarks.bench_model_honesty --only credit"
        + (" --quick" if quick else "")
        + "`)",
        "",
        "One stratified 70/30 split per set (seed 0), schema from the training part only."
        " In-sample = the training part; held-out = the test part. Baseline: scikit-learn"
        " `HistGradientBoostingClassifier(random_state=0)` on the same inputs and split."
        " SE = paired bootstrap standard error of the AUC difference (model − baseline)."
        + (f" Quick: at most {QUICK_ROWS} rows a set." if quick else ""),
        "",
        "| set | model | train / test rows | in-sample AUC / log-loss | held-out AUC / log-loss"
        " / ECE | constant log-loss | baseline AUC / log-loss / ECE | Δ AUC ± SE | ≥ baseline"
        " − 1 SE | blend fit s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    notes: list[str] = []
    unseen_notes: list[str] = []
    ceiling: list[str] = []
    for folder in sorted(p for p in (data_root / "credit").iterdir() if p.is_dir()):
        loaded = _load(folder)
        if isinstance(loaded, str):
            notes.append(f"- {folder.name}: skipped ({loaded})")
            continue
        frame, target, bad = loaded
        print(f"credit: {folder.name} ({len(frame)} rows)", file=sys.stderr, flush=True)
        split = _split(frame, target, bad, quick)
        rows, fitted_rows = _table_rows(folder.name, split, quick)
        print("\n".join(rows), file=sys.stderr, flush=True)  # kept if a later set fails
        lines.extend(rows)
        ceiling.append(_ceiling_line(folder.name, split, fitted_rows))
        worst = max(split.unseen.items(), key=lambda kv: kv[1], default=None)
        if worst is not None and worst[1] > 0:
            unseen_notes.append(f"{folder.name}: {worst[1]:.1%} of test rows in {worst[0]}")
    trap_lines = _trap(quick)
    lines.extend(trap_lines[0])
    lines += ["", *notes] if notes else []
    if unseen_notes:
        lines += ["", "Largest share of test rows with a level unseen in training: "
                  + "; ".join(unseen_notes) + "."]  # fmt: skip
    lines += ["", *trap_lines[1]]
    lines += ["", *CEILING_HEAD, *ceiling]
    lines += ["", f"Section run time {time.perf_counter() - started:.0f} s."]
    return "\n".join(lines)


def _load(folder: Path) -> tuple[pd.DataFrame, str, str | None] | str:
    if folder.name in KNOWN:
        file, target, bad = KNOWN[folder.name]
        path: Path | None = folder / file
        bad_value: str | None = bad
    else:
        path, target, bad_value = _largest_table(folder), _source_target(folder), None
    if path is None or not path.is_file():
        return "no data file"
    frame = read_table(path, target=target, bad_value=bad_value)
    if not target:
        return "its source note names no target column"
    try:
        resolve_column(frame, target)
    except ValueError as exc:
        return str(exc)
    return frame, target, bad_value


def _largest_table(folder: Path) -> Path | None:
    files = [
        p
        for p in folder.iterdir()
        if p.suffix in _DATA_SUFFIXES and not p.name.startswith("upstream")
    ]
    return max(files, key=lambda p: p.stat().st_size, default=None)


def _source_target(folder: Path) -> str:
    """The first `backticked` name in the target section of the folder's source note."""
    source = next(iter(sorted(folder.glob("SOURCE.*"))), None)
    if source is None:
        return ""
    text = source.read_text(encoding="utf-8")
    section = text.split("## Target", 1)[-1].split("\n## ", 1)[0]
    found = re.search(r"`([^`]+)`", section)
    return found.group(1) if found else ""


def _split(frame: pd.DataFrame, target: str, bad: str | None, quick: bool) -> Split:
    name = resolve_column(frame, target)
    frame = frame.loc[frame[name].notna()].reset_index(drop=True)
    labels = binary_target(frame[name], bad).y
    if quick and len(frame) > QUICK_ROWS:
        frame, _, labels, _ = train_test_split(
            frame, labels, train_size=QUICK_ROWS, stratify=labels, random_state=0
        )
    train, test = train_test_split(frame, test_size=TEST_SHARE, stratify=labels, random_state=0)
    train, test = train.reset_index(drop=True), test.reset_index(drop=True)
    data = prepare(train, name, bad)
    y_test = binary_target(test[name], data.bad_label).y
    return Split(data, encode(test, data.schema), y_test, unseen_shares(test, data.schema))


def _fit_all(data: PreparedData, quick: bool) -> dict[str, tuple[CreditModel, float]]:
    """The blend as ``--model blend`` trains it, and its scorecard and GBM as models alone.

    A blend's parts are trained by the same code on the same rows as a scorecard or a GBM
    trained alone, so one fit gives all three (the fit time is the blend's).
    """
    started = time.perf_counter()
    blend = fit_credit_model(data.x, data.y, data.schema, TrainOptions(kind="blend")).model
    seconds = time.perf_counter() - started
    common = {"schema": data.schema, "scaling": blend.scaling, "grades": blend.grades}
    return {
        "scorecard": (CreditModel(kind="scorecard", scorecard=blend.table, **common), seconds),
        "gbm": (CreditModel(kind="gbm", booster=blend.booster, **common), seconds),
        f"blend (w = {blend.blend_weight:.2f})": (blend, seconds),
    }


def baseline_pd(split: Split, **params: Any) -> Any:
    """PDs of a default HistGradientBoostingClassifier (`params` changed) on the test rows."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    data = split.data
    mask = [c.kind == "categorical" and len(c.categories) + 1 <= 255 for c in data.schema.columns]
    model = HistGradientBoostingClassifier(random_state=0, categorical_features=mask, **params)
    model.fit(data.x, data.y)
    return model.predict_proba(split.x_test)[:, 1]


def bootstrap_se(y: Any, ours: Any, theirs: Any, *, repeats: int, seed: int = 0) -> float:
    """Paired bootstrap standard error of AUC(ours) − AUC(theirs)."""
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(seed)
    y = np.asarray(y)
    diffs = []
    for _ in range(repeats):
        idx = rng.integers(0, len(y), len(y))
        if y[idx].min() == y[idx].max():
            continue
        diffs.append(roc_auc_score(y[idx], ours[idx]) - roc_auc_score(y[idx], theirs[idx]))
    return float(np.std(diffs, ddof=1))


def _rows(split: Split, quick: bool, fitted: dict[str, tuple[CreditModel, float]]) -> list[Row]:
    data = split.data
    base_pd = baseline_pd(split)
    base = metrics.evaluate(split.y_test, base_pd)
    out = []
    for kind, (model, seconds) in fitted.items():
        held_pd = model.pd_matrix(split.x_test)
        held = metrics.evaluate(split.y_test, held_pd)
        se = bootstrap_se(split.y_test, held_pd, base_pd, repeats=100 if quick else 300)
        out.append(
            Row(
                kind,
                len(data.y),
                len(split.y_test),
                metrics.evaluate(data.y, model.pd_matrix(data.x)),
                held,
                base,
                held.auc - base.auc,
                se,
                seconds,
            )
        )
    return out


def _table_rows(
    name: str,
    split: Split,
    quick: bool,
    fitted: dict[str, tuple[CreditModel, float]] | None = None,
) -> tuple[list[str], list[Row]]:
    constant = _constant_log_loss(split.data.y, split.y_test)
    lines = []
    rows = _rows(split, quick, fitted or _fit_all(split.data, quick))
    for row in rows:
        b = row.baseline
        lines.append(
            f"| {name} | {row.model} | {row.train_rows} / {row.test_rows}"
            f" | {row.in_sample.auc:.4f} / {row.in_sample.log_loss:.4f}"
            f" | {row.held_out.auc:.4f} / {row.held_out.log_loss:.4f}"
            f" / {row.held_out.calibration_error:.4f} | {constant:.4f}"
            f" | {b.auc:.4f} / {b.log_loss:.4f} / {b.calibration_error:.4f}"
            f" | {row.diff:+.4f} ± {row.se:.4f} | {'yes' if row.within_one_se else '**no**'}"
            f" | {row.seconds:.1f} |"
        )
    return lines, rows


def _ceiling_line(name: str, split: Split, rows: list[Row]) -> str:
    """The scorecard beside the baseline with its trees cut to depth 1, 2 and 3.

    Depth-1 trees add up to an additive model (as a scorecard is), depth 2 carries
    interactions of two inputs (as a card's 2-D characteristics do): a diagnostic of how
    much of the baseline's lead needs deeper interactions. Nothing is chosen from it.
    """
    aucs = [metrics.auc(split.y_test, baseline_pd(split, max_depth=d)) for d in CEILING_DEPTHS]
    card = next(r.held_out.auc for r in rows if r.model == "scorecard")
    cells = " | ".join(f"{a:.4f}" for a in aucs)
    return f"| {name} | {card:.4f} | {cells} | {rows[0].baseline.auc:.4f} |"


def _constant_log_loss(y_train: Any, y_test: Any) -> float:
    rate = float(np.mean(y_train))
    return metrics.log_loss(y_test, np.full(len(y_test), rate))


def _trap(quick: bool) -> tuple[list[str], list[str]]:
    """Rows of the main table for the trap set, and the with/without-trap table."""
    frame = trap_table(TRAP_ROWS[1] if quick else TRAP_ROWS[0], seed=0)
    with_trap = _split(frame, TRAP_TARGET, "1", quick=False)
    without = _split(frame.drop(columns=list(TRAP_COLUMNS)), TRAP_TARGET, "1", quick=False)
    fitted_with = _fit_all(with_trap.data, quick)
    rows, _ = _table_rows("generated trap", with_trap, quick, fitted_with)
    fitted_without = _fit_all(without.data, quick)
    table = [
        f"Planted trap ({len(frame)} generated rows; `city` has {frame['city'].nunique()} levels"
        f" of a few rows each, `branch` {frame['branch'].nunique()} levels of about 60 rows;"
        " neither carries any signal): test AUC of each model with and without them.",
        "",
        "| model | test AUC without the trap | with the trap | difference | within 0.02 |",
        "|---|---|---|---|---|",
    ]
    for (kind, (model_with, _)), (model_without, _) in zip(
        fitted_with.items(), fitted_without.values(), strict=True
    ):
        auc_with = metrics.auc(with_trap.y_test, model_with.pd_matrix(with_trap.x_test))
        auc_without = metrics.auc(without.y_test, model_without.pd_matrix(without.x_test))
        diff = auc_with - auc_without
        ok = "yes" if diff >= -TRAP_TOLERANCE else "**no**"
        table.append(f"| {kind} | {auc_without:.4f} | {auc_with:.4f} | {diff:+.4f} | {ok} |")
    return rows, table
