"""Fraud: out of time on every labelled claims table, against a default HistGradientBoosting.

For each CSV under ``fraud/vehicle_insurance_fraud`` (label ``FraudFound_P``, ``Year`` and
``Month`` the accident's period; ``PolicyNumber`` is a row id and dropped): the latest year
is the test period, every earlier year trains. Two column sets, as a user would try them:
every column, and without the calendar and agent columns (claim/accident month, week,
weekday, ``RepNumber``). Our model is `fraud.selection.fit_time_validated` (settings, inputs
and threshold chosen on forward blocks of the training years, at a 5 % referral); the
baseline is ``HistGradientBoostingClassifier()`` with its defaults on the same columns
(text columns as pandas categories, so it splits them natively).

Figures: AUC in-sample (the training years), on the forward blocks (held out inside the
training years) and on the test year with its DeLong standard error; the baseline's test
AUC and the paired difference's bootstrap standard error; recall of fraud when 1 / 5 / 10 %
of the test year is referred (binomial SE); the share the trained threshold refers in the
test year, and after `fraud calibrate` on the test year's first two months (no labels) the
share it refers in the rest. Other data sets under ``fraud/`` (e.g. a trust graph) are not
claims tables and are listed as such.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd  # type: ignore[import-untyped,unused-ignore]

from autolease.fraud.selection import REFERRAL_SHARES, fit_time_validated
from autolease.fraud.tabular import binary_target, encode_frame, tabular_specs
from autolease.fraud.timesplit import period_index, recall_at_shares, threshold_for_share
from autolease.fraud.training import SMALL_TABLE_OPTIONS, auc, auc_standard_error

NAME = "fraud"
TARGET, ID, YEAR, MONTH = "FraudFound_P", "PolicyNumber", "Year", "Month"
CALENDAR = ["Month", "WeekOfMonth", "DayOfWeek", "MonthClaimed", "WeekOfMonthClaimed",
            "DayOfWeekClaimed", "RepNumber"]  # fmt: skip
REFER = 0.05


def _hgb(frame: pd.DataFrame, columns: list[str], train: np.ndarray, test: np.ndarray,
         y: np.ndarray) -> np.ndarray:  # fmt: skip
    from sklearn.ensemble import HistGradientBoostingClassifier

    x = frame[columns].copy()
    for column in columns:
        if not pd.api.types.is_numeric_dtype(x[column]):
            x[column] = x[column].astype("category")
    model = HistGradientBoostingClassifier(random_state=0).fit(x[train], y[train])
    return np.asarray(model.predict_proba(x[test])[:, 1], dtype=np.float64)


def _paired_se(y: np.ndarray, a: np.ndarray, b: np.ndarray, draws: int) -> float:
    rng = np.random.default_rng(0)
    diffs = []
    for _ in range(draws):
        rows = rng.integers(0, len(y), len(y))
        if 0 < y[rows].sum() < len(rows):
            diffs.append((auc(y[rows], a[rows]) or 0.5) - (auc(y[rows], b[rows]) or 0.5))
    return float(np.std(diffs, ddof=1))


def _recall(scores: np.ndarray, y: np.ndarray) -> str:
    found = recall_at_shares(scores, y, REFERRAL_SHARES)
    return " / ".join(f"{v['recall']:.1%} ± {v['se']:.1%}" for v in found.values())


def _one(frame: pd.DataFrame, dropped: list[str], quick: bool) -> dict[str, Any]:
    y = binary_target(frame[TARGET]).astype(np.float64)
    years = sorted(frame[YEAR].unique().tolist())
    train = (frame[YEAR] < years[-1]).to_numpy()
    test = ~train
    exclude = [TARGET, ID, YEAR, *dropped]
    specs = tabular_specs(frame[train], exclude=exclude)
    x = encode_frame(frame, specs)
    period = period_index(frame, [YEAR, MONTH])
    options = replace(SMALL_TABLE_OPTIONS, refer_rate=REFER, num_threads=1)
    model = fit_time_validated(x[train], y[train], specs, period[train], options)
    xm = encode_frame(frame, model.specs)
    ours, inside = model.score_matrix(xm[test]), model.score_matrix(xm[train])
    columns = [c for c in frame.columns if c not in exclude]
    base = _hgb(frame, columns, train, test, y)
    first = period[test] <= np.unique(period[test])[1]
    calibrated = threshold_for_share(ours[first], REFER)
    forward = model.metrics["time_validation"]
    return {
        "train": f"{years[0]}..{years[-2]}" if len(years) > 2 else str(years[0]),
        "test": str(years[-1]), "rows": (int(train.sum()), int(test.sum())),
        "in_sample": auc(y[train], inside), "forward": forward["auc"],
        "test_auc": auc(y[test], ours), "test_se": auc_standard_error(y[test], ours),
        "hgb": auc(y[test], base), "hgb_se": auc_standard_error(y[test], base),
        "diff_se": _paired_se(y[test], ours, base, 100 if quick else 400),
        "recall": _recall(ours, y[test]), "hgb_recall": _recall(base, y[test]),
        "referred": float((ours >= model.refer_threshold).mean()),
        "recalibrated": float((ours[~first] >= calibrated).mean()),
        "chosen": forward["chosen"], "dropped": forward["dropped_inputs"],
    }  # fmt: skip


def _row(label: str, r: dict[str, Any]) -> str:
    diff = r["test_auc"] - r["hgb"]
    verdict = "matches or beats" if diff >= -r["diff_se"] else "**below**"
    return (
        f"| {label} | {r['train']} → {r['test']} ({r['rows'][0]:,} / {r['rows'][1]:,}) |"
        f" {r['in_sample']:.3f} | {r['forward']:.3f} | **{r['test_auc']:.3f}** ± {r['test_se']:.3f}"
        f" | {r['hgb']:.3f} ± {r['hgb_se']:.3f} | {diff:+.3f} ± {r['diff_se']:.3f} ({verdict}) |"
        f" {r['recall']} | {r['hgb_recall']} | {r['referred']:.1%} → {r['recalibrated']:.1%} |"
    )


HEADER = (
    "| columns | train → test years (rows) | AUC in-sample | AUC forward blocks (held out) |"
    " AUC test year | HGB default, test | ours − HGB (paired bootstrap SE) |"
    " recall at 1 / 5 / 10 % referral, test | HGB recall at 1 / 5 / 10 % |"
    " referred at the 5 % threshold: trained → recalibrated on 2 months |\n"
    "|---|---|---|---|---|---|---|---|---|---|"
)


def run(data_root: Path, *, quick: bool) -> str:
    """The fraud section (Markdown)."""
    folder = data_root / "fraud"
    lines = ["### Fraud — out of time (`benchmarks/model_honesty/fraud.py`)", ""]
    tables = sorted((folder / "vehicle_insurance_fraud").glob("*.csv"))
    if not tables:
        return "\n".join([*lines, f"no claims table under {folder}"])
    for path in tables:
        frame = pd.read_csv(path)
        lines += [f"`{path.name}`: {len(frame):,} claims, {int(frame[TARGET].sum()):,} frauds.",
                  "", HEADER]  # fmt: skip
        notes = []
        for label, dropped in (("every column", []), ("without calendar and agent", CALENDAR)):
            result = _one(frame, dropped, quick)
            lines.append(_row(label, result))
            notes.append(f"{label}: setting `{result['chosen']}`, inputs dropped by the"
                         f" forward blocks: {', '.join(result['dropped']) or 'none'}")  # fmt: skip
        lines += ["", *[f"- {n}" for n in notes], ""]
    others = sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    skipped = [o for o in others if o != "vehicle_insurance_fraud"]
    if skipped:
        lines.append(f"Not claims tables (no label per application): {', '.join(skipped)}.")
    return "\n".join(lines)
