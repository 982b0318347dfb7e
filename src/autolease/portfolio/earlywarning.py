"""Early warning (behaviour score): which active contracts will reach M3+ (pure).

A LightGBM model on a contract's first months of payment behaviour plus its origination
features predicts **M3+ or written off within 12 months on book**, scored at MOB 3. Behaviour
features look at the window of the last `window` months before the scoring month: the worst
bucket, the months spent in M1, the cures (a late month followed by a current one) and the
state now. The training set is every contract active at MOB 3 (current, M1 or M2) whose first
12 months are observed; the label is bad at some MOB 4..12. The monthly batch scores every
contract active at the reporting month with at least 3 months on book, on the same window
ending at its current month; the riskiest become the watch-list. Their reason codes are the
features with the largest positive contributions to the log-odds (LightGBM ``pred_contrib``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from autolease.portfolio.panel import NOT_OBSERVED, Panel, State

SCORE_MOB = 3
HORIZON = 12
BEHAVIOUR = ("worst_bucket", "months_in_m1", "cures", "state_now")
ORIGINATION = (
    "credit_pd",
    "ltv",
    "fraud_score",
    "valuation_ratio",
    "applicant_age",
    "monthly_income",
    "vehicle_age_years",
)
SEGMENTS = ("product", "sp_grade", "region")
REASONS: Mapping[str, tuple[str, str]] = {
    "worst_bucket": ("already two months late in recent months", "近期曾逾期达M2"),
    "months_in_m1": ("repeatedly one month late", "多次逾期一期（M1）"),
    "cures": ("falls behind and catches up again", "反复逾期后补缴"),
    "state_now": ("in arrears now", "当前处于逾期状态"),
    "credit_pd": ("high credit PD at origination", "进件时信用违约概率高"),
    "ltv": ("high loan-to-value at origination", "进件时融资比例（LTV）高"),
    "fraud_score": ("elevated fraud score at origination", "进件时欺诈评分偏高"),
    "valuation_ratio": ("price far from the vehicle valuation", "成交价偏离车辆估值"),
    "applicant_age": ("applicant age group", "申请人年龄段"),
    "monthly_income": ("low declared income", "申报月收入偏低"),
    "vehicle_age_years": ("old vehicle", "车龄较长"),
    "product": ("product", "产品类型"),
    "sp_grade": ("SP grade", "SP评级"),
    "region": ("region", "地区"),
}
# Shallow trees: chosen on a validation split of another seed's book (seed 12, cohorts
# 2023-12..2024-04 against 2023-01..2023-11), not on the benchmark's test months.
PARAMS: Mapping[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.03,
    "num_leaves": 4,
    "min_data_in_leaf": 300,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 5.0,
    "seed": 0,
    "deterministic": True,
    "force_col_wise": True,
    "num_threads": 1,
    "verbosity": -1,
}
ROUNDS = 400
F64 = npt.NDArray[np.float64]
I8 = npt.NDArray[np.int8]


def behaviour(window: I8) -> pd.DataFrame:
    """Behaviour features of `window` (contracts × months, oldest first, all observed)."""
    late = np.where(window <= State.M3_PLUS, window, State.CURRENT).astype(np.int8)
    cures = ((late[:, :-1] > State.CURRENT) & (late[:, 1:] == State.CURRENT)).sum(axis=1)
    return pd.DataFrame(
        {
            "worst_bucket": late.max(axis=1).astype(np.int8),
            "months_in_m1": (late == State.M1).sum(axis=1).astype(np.int8),
            "cures": cures.astype(np.int8),
            "state_now": window[:, -1].astype(np.int8),
        }
    )


def features(
    panel: Panel,
    applications: pd.DataFrame,
    rows: npt.NDArray[np.int64],
    mob: npt.NDArray[np.int64],
    window: int = SCORE_MOB,
) -> pd.DataFrame:
    """Model inputs of contracts `rows`, each at its month on book `mob` (≥ `window`): the
    behaviour of the `window` months ending at `mob` and the origination features."""
    if window < 1 or (mob < window).any():
        raise ValueError(f"every contract needs at least {window} months on book")
    cols = mob[:, None] - np.arange(window - 1, -1, -1)[None, :]
    frame = behaviour(panel.states[rows[:, None], cols])
    for name in ORIGINATION:
        frame[name] = applications[name].to_numpy()[rows] if name in applications else np.nan
    for name in SEGMENTS:
        if name in panel.segments:
            seg = panel.segments[name]
            frame[name] = pd.Categorical.from_codes(seg.codes[rows], categories=seg.labels)
    return frame


@dataclass(frozen=True)
class TrainingSet:
    rows: npt.NDArray[np.int64]
    x: pd.DataFrame
    y: npt.NDArray[np.int8]
    cohort: npt.NDArray[np.int32]


def training_set(
    panel: Panel, applications: pd.DataFrame, mob: int = SCORE_MOB, horizon: int = HORIZON
) -> TrainingSet:
    """Contracts active at `mob` and observed through `horizon`; label: bad at mob+1..horizon."""
    if panel.max_mob <= horizon:
        raise ValueError(f"the panel needs more than {horizon} months on book")
    states = panel.states
    active = (states[:, mob] >= State.CURRENT) & (states[:, mob] <= State.M2)
    seen = states[:, horizon] != NOT_OBSERVED
    rows = np.flatnonzero(active & seen).astype(np.int64)
    later = states[rows, mob + 1 : horizon + 1]
    y = ((later == State.M3_PLUS) | (later == State.WRITTEN_OFF)).any(axis=1).astype(np.int8)
    x = features(panel, applications, rows, np.full(len(rows), mob, dtype=np.int64), window=mob)
    return TrainingSet(rows, x, y, panel.origination[rows])


def active_at(panel: Panel, month_index: int, min_mob: int = SCORE_MOB) -> pd.DataFrame:
    """Contracts active (current, M1, M2) at the end of `month_index` with ≥ `min_mob` MOB."""
    mob = month_index - panel.origination.astype(np.int64)
    rows = np.flatnonzero((mob >= min_mob) & (mob < panel.max_mob))
    state = panel.states[rows, mob[rows]]
    keep = (state >= State.CURRENT) & (state <= State.M2)
    return pd.DataFrame({"contract": rows[keep], "mob": mob[rows[keep]]})


class EarlyWarningModel:
    """A LightGBM booster with its input columns; kept as LightGBM's native text model."""

    def __init__(self, booster: Any, columns: Sequence[str]) -> None:
        self.booster = booster
        self.columns = tuple(columns)

    @classmethod
    def fit(cls, x: pd.DataFrame, y: npt.ArrayLike, rounds: int = ROUNDS) -> EarlyWarningModel:
        import lightgbm

        data = lightgbm.Dataset(x, label=np.asarray(y, dtype=np.float64), free_raw_data=True)
        booster = lightgbm.train(dict(PARAMS), data, num_boost_round=rounds)
        return cls(booster, list(x.columns))

    def to_text(self) -> str:
        text: str = self.booster.model_to_string()
        return text

    @classmethod
    def from_text(cls, text: str, columns: Sequence[str]) -> EarlyWarningModel:
        import lightgbm

        return cls(lightgbm.Booster(model_str=text), columns)

    def explain(self, x: pd.DataFrame) -> tuple[F64, F64]:
        """Probabilities and per-feature contributions to the log-odds, (n,) and (n, p)."""
        contrib = np.asarray(
            self.booster.predict(x[list(self.columns)], pred_contrib=True), dtype=np.float64
        )
        log_odds = contrib.sum(axis=1)
        return 1.0 / (1.0 + np.exp(-log_odds)), contrib[:, :-1]

    def predict(self, x: pd.DataFrame) -> F64:
        return np.asarray(self.booster.predict(x[list(self.columns)]), dtype=np.float64)


def reason_codes(contrib: F64, columns: Sequence[str], top: int = 3) -> list[list[str]]:
    """Per row, the features that raise the risk most (positive contributions, largest first)."""
    order = np.argsort(-contrib, axis=1)[:, :top]
    return [
        [columns[j] for j in picks if contrib[i, j] > 0] for i, picks in enumerate(order.tolist())
    ]


def score_frame(frame: pd.DataFrame, model: EarlyWarningModel) -> pd.DataFrame:
    """The probability of each row of a features frame (the function pandas and Dask run)."""
    return pd.DataFrame({"probability": model.predict(frame)}, index=frame.index)


def reasons_frame(frame: pd.DataFrame, model: EarlyWarningModel, top: int = 3) -> pd.DataFrame:
    """Reason codes with their English and Chinese texts, from ``pred_contrib`` (slower than
    scoring, so the batch asks it only for the contracts on the watch-list)."""
    codes = reason_codes(model.explain(frame)[1], model.columns, top)
    return pd.DataFrame(
        {
            "reasons": [";".join(c) for c in codes],
            "reasons_en": ["; ".join(REASONS[r][0] for r in c) for c in codes],
            "reasons_zh": ["；".join(REASONS[r][1] for r in c) for c in codes],
        },
        index=frame.index,
    )


def score_month(
    panel: Panel, applications: pd.DataFrame, month_index: int, model: EarlyWarningModel
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every contract active at `month_index` (≥ 3 MOB) with its probability, and its inputs."""
    active = active_at(panel, month_index)
    x = month_features(panel, applications, active)
    return pd.concat([active, score_frame(x, model)], axis=1), x


def month_features(panel: Panel, applications: pd.DataFrame, active: pd.DataFrame) -> pd.DataFrame:
    rows = active["contract"].to_numpy(np.int64)
    return features(panel, applications, rows, active["mob"].to_numpy(np.int64))


def watch_list(
    scored: pd.DataFrame, x: pd.DataFrame, model: EarlyWarningModel, top: int
) -> pd.DataFrame:
    """The `top` highest-risk contracts, riskiest first, with their reasons."""
    listed = scored.sort_values(["probability", "contract"], ascending=[False, True]).head(top)
    return pd.concat([listed, reasons_frame(x.loc[listed.index], model)], axis=1)
