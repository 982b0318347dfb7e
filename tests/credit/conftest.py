"""Small generated credit data and models shared by the credit tests (no external files)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from autolease.credit import features as declared
from autolease.credit.encoding import InputSchema, encode
from autolease.credit.model import CreditModel, Kind
from autolease.credit.tabular import infer_schema
from autolease.credit.training import TrainingResult, TrainOptions, fit_credit_model

SMALL_GBM = {"max_rounds": 150, "inner_folds": 3, "early_stopping": 30, "learning_rate": 0.1}


def make_frame(n: int = 800, seed: int = 7) -> pd.DataFrame:
    """A toy application table: risk rises with ltv and falls with income; home is a category."""
    rng = np.random.default_rng(seed)
    ltv = rng.uniform(0.3, 1.1, n)
    income = rng.lognormal(9.5, 0.5, n)
    home = rng.choice(["own", "rent", "family"], n, p=[0.4, 0.4, 0.2])
    noise = rng.normal(0, 1, n)
    logit = -1.5 + 3.0 * (ltv - 0.7) - 0.8 * (np.log(income) - 9.5) + 0.6 * (home == "rent")
    bad = rng.random(n) < 1 / (1 + np.exp(-logit))
    income_with_gaps = np.where(rng.random(n) < 0.05, np.nan, income)
    return pd.DataFrame(
        {
            "ltv": ltv,
            "income": income_with_gaps,
            "home": home,
            "noise": noise,
            "status": np.where(bad, "bad", "good"),
        }
    )


MONOTONE = {"ltv": 1, "income": -1}


def train_small(kind: Kind, frame: pd.DataFrame, seed: int = 0) -> TrainingResult:
    schema, _ = infer_schema(frame, exclude=["status"])
    y = (frame["status"] == "bad").to_numpy().astype(np.int8)
    options = TrainOptions(kind=kind, seed=seed, gbm=SMALL_GBM)
    return fit_credit_model(encode(frame, schema), y, schema, options, monotone=MONOTONE)


@pytest.fixture(scope="session")
def toy_frame() -> pd.DataFrame:
    return make_frame()


@pytest.fixture(scope="session")
def toy_models(toy_frame: pd.DataFrame) -> dict[str, TrainingResult]:
    return {kind: train_small(kind, toy_frame) for kind in ("scorecard", "gbm", "blend")}


def declared_training_data(n: int = 1500, seed: int = 3) -> tuple[pd.DataFrame, Any]:
    """Declared credit features with a default flag driven by ltv, income and bureau counts."""
    rng = np.random.default_rng(seed)
    raw: dict[str, Any] = {
        "as_of_day": np.full(n, 20_000.0),
        "applicant_age": rng.integers(22, 60, n).astype(float),
        "applicant_kind": rng.choice(["individual", "corporate"], n, p=[0.9, 0.1]),
        "monthly_income_yuan": rng.lognormal(9.3, 0.5, n),
        "amount_yuan": rng.uniform(30_000, 150_000, n),
        "asking_price_yuan": rng.uniform(80_000, 200_000, n),
        "down_payment_yuan": rng.uniform(0, 40_000, n),
        "term_months": rng.choice([12, 24, 36], n).astype(float),
        "first_registration_day": 20_000 - rng.uniform(200, 3000, n),
        "mileage_km": rng.uniform(5_000, 150_000, n),
        "product_type": rng.choice(list(declared.PRODUCT_TYPES), n),
        "seller_type": rng.choice(list(declared.SELLER_TYPES), n),
        "lead_source": rng.choice(list(declared.LEAD_SOURCES), n),
        "fuel_type": rng.choice(["petrol", "bev", "hev"], n),
        "sp_grade": rng.choice(list(declared.SP_GRADES), n),
        "hard_queries_90d": rng.poisson(1.5, n).astype(float),
    }
    raw["amount_yuan"] = np.minimum(raw["amount_yuan"], raw["asking_price_yuan"])
    frame = pd.DataFrame(declared.compute(raw))
    logit = (
        -2.5
        + 3.0 * (frame["ltv_on_asking_price"] - 0.6)
        + 1.5 * frame["payment_to_income"]
        + 0.3 * frame["hard_queries_90d"]
    )
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int8)
    return frame, y


@pytest.fixture(scope="session")
def declared_model() -> CreditModel:
    frame, y = declared_training_data()
    schema: InputSchema = declared.schema()
    result = fit_credit_model(
        encode(frame, schema),
        y,
        schema,
        TrainOptions(kind="gbm", gbm=SMALL_GBM),
        labels=declared.labels(),
        monotone=declared.monotone(),
    )
    return result.model.with_ref("credit_gbm", "0001")
