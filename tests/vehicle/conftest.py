"""Shared fixtures: a small synthetic price table and one tiny model trained once."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd  # type: ignore[import-untyped]
import pytest

from autolease.ml import registry
from autolease.vehicle.valuation import LgbmValuer, TrainConfig, TrainedModel, train

# (brand as declared, model, new price CNY)
CARS = [
    ("大众", "朗逸", 120_000),
    ("丰田", "卡罗拉", 130_000),
    ("本田", "雅阁", 180_000),
    ("宝马", "3系", 300_000),
    ("吉利", "帝豪", 80_000),
    ("比亚迪", "秦PLUS", 140_000),
]
FAST = TrainConfig(p50_rounds=80, quantile_rounds=40, num_threads=1, seed=7)


def price_table(n: int = 2400, seed: int = 0) -> pd.DataFrame:
    """A price table with the usual column names: price falls 15 %/yr and 4 % per 10,000 km."""
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(CARS), n)
    age = rng.uniform(0.3, 12, n)
    km = age * rng.lognormal(np.log(12_000), 0.35, n)
    new = np.array([CARS[i][2] for i in pick], dtype=float)
    price = new * 0.85**age * (1 - 0.04 * km / 10_000).clip(0.3) * rng.lognormal(0, 0.06, n)
    return pd.DataFrame(
        {
            "make": [CARS[i][0] for i in pick],
            "model": [CARS[i][1] for i in pick],
            "age": age.round(3),
            "km": km.round(),
            "fuel": rng.choice(["petrol", "hybrid"], n, p=[0.8, 0.2]),
            "price": price.round(-1),
        }
    )


@pytest.fixture(scope="session")
def table() -> pd.DataFrame:
    return price_table()


@pytest.fixture(scope="session")
def trained(table: pd.DataFrame) -> TrainedModel:
    from autolease.vehicle.columns import canonical_frame

    frame, _ = canonical_frame(table)
    return train(frame, FAST, currency="CNY")


@pytest.fixture(scope="session")
def valuer(trained: TrainedModel) -> LgbmValuer:
    return LgbmValuer(trained.encoding, trained.boosters, ref="valuation@test", num_threads=1)


@pytest.fixture(scope="session")
def artifacts(trained: TrainedModel, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("artifacts")
    registry.save(
        root,
        "valuation",
        "1",
        trained.files,
        features=trained.features,
        metrics=trained.metrics,
        created_at="2026-11-29T00:00:00+00:00",
    )
    return root
