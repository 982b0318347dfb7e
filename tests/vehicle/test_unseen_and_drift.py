"""Unseen brands (the brand-agnostic prior, calibrated brand by brand) and the drift check.

Generated markets where the answer is known: every brand has its own price level (a log
offset drawn from one distribution) that its specs do not reveal. Brands held out of
training are drawn from the same distribution, so an honest band covers about 80 % of their
cars on average and their P50 is not biased on average.
"""

from __future__ import annotations

import numpy as np
import pandas as pd  # type: ignore[import-untyped]
import pytest

from autolease.vehicle.columns import canonical_frame
from autolease.vehicle.evaluation import drift_check
from autolease.vehicle.unseen import weighted_quantile
from autolease.vehicle.valuation import LgbmValuer, TrainConfig, TrainedModel, train
from tests.vehicle.conftest import price_table

FAST = TrainConfig(p50_rounds=80, quantile_rounds=40, num_threads=1, seed=7, holdout_share=0.0)
SPREAD = 0.15  # brand levels, log


def level(brand: int) -> float:
    """The brand's own price level (log), which no input reveals."""
    return float(np.random.default_rng(1000 + brand).normal(0, SPREAD))


def market(brands: range, rows_per_brand: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    parts = []
    for b in brands:
        n = rows_per_brand
        age = rng.uniform(0.5, 10, n)
        engine = rng.choice([1.2, 1.6, 2.0, 3.0], n)
        km = age * rng.lognormal(np.log(12_000), 0.3, n)
        price = 20_000 * engine**0.8 * 0.85**age * np.exp(level(b)) * rng.lognormal(0, 0.05, n)
        parts.append(pd.DataFrame({"make": f"marque{b:02d}", "age": age, "km": km,
                                   "engine": engine, "price": price}))  # fmt: skip
    return pd.concat(parts, ignore_index=True)


@pytest.fixture(scope="module")
def model() -> TrainedModel:
    frame, _ = canonical_frame(market(range(16), 150, seed=0))
    return train(frame, FAST)


@pytest.fixture(scope="module")
def unseen(model: TrainedModel) -> tuple[pd.DataFrame, tuple[np.ndarray, ...]]:
    frame, _ = canonical_frame(market(range(100, 124), 200, seed=1))
    valuer = LgbmValuer(model.encoding, model.boosters, ref="v@0", num_threads=1)
    return frame, valuer.value_frame(frame)


class TestUnseenBrands:
    def test_training_learns_a_level_for_every_brand(self, model: TrainedModel) -> None:
        found = model.metrics["unseen_brand"]
        assert len(found["brand_levels"]) == 16
        levels = np.array(list(found["brand_levels"].values()))
        assert 0.5 * SPREAD < levels.std() < 2 * SPREAD
        assert model.encoding.unseen_prior
        assert model.encoding.unseen_shift_lo > 0
        assert model.encoding.unseen_shift_hi > 0

    def test_the_card_shows_the_unseen_brand_figures_as_held_out(self, model: TrainedModel) -> None:
        (held,) = model.card["held_out"]
        assert held["sample"].startswith("unseen brands: leave one training brand out")
        assert len(held["metrics"]["coverage_p10_p90_by_brand"]) == 16
        assert model.card["calibration"]["sample"] == "none held out"

    def test_unseen_brands_are_valued_at_the_average_brand_level(self, unseen) -> None:  # type: ignore[no-untyped-def]
        frame, (_, p50, _) = unseen
        bias = pd.Series(np.log(p50 / frame["price"].to_numpy())).groupby(frame["brand"]).median()
        assert len(bias) == 24
        # an unseen brand is valued at the training brands' average level: its miss is that
        # average less its own level
        trained_average = np.mean([level(b) for b in range(16)])
        expected = trained_average - np.mean([level(b) for b in range(100, 124)])
        assert abs(bias.mean() - expected) < 0.03

    def test_the_band_covers_about_80_percent_of_unseen_brands_cars(self, unseen) -> None:  # type: ignore[no-untyped-def]
        frame, (p10, _, p90) = unseen
        price = frame["price"].to_numpy()
        inside = pd.Series((price >= p10) & (price <= p90)).groupby(frame["brand"]).mean()
        assert 0.7 <= inside.mean() <= 0.9

    def test_a_known_brand_keeps_its_own_narrower_band(self, model: TrainedModel) -> None:
        frame, _ = canonical_frame(market(range(3), 50, seed=2))
        valuer = LgbmValuer(model.encoding, model.boosters, ref="v@0", num_threads=1)
        p10, _, p90 = valuer.value_frame(frame)
        known = np.median(np.log(p90 / p10))
        blank = frame.assign(brand="never-seen")
        q10, _, q90 = valuer.value_frame(blank)
        assert np.median(np.log(q90 / q10)) > known

    def test_brands_of_a_few_cars_train_but_are_not_left_out(self) -> None:
        few = market(range(50, 53), 10, seed=3)
        frame, _ = canonical_frame(pd.concat([market(range(4), 120, seed=4), few]))
        levels = train(frame, FAST).metrics["unseen_brand"]["brand_levels"]
        assert sorted(levels) == [f"marque{b:02d}" for b in range(4)]

    def test_the_weighted_quantile_gives_every_group_its_weight(self) -> None:
        values = np.array([0.0, 0.0, 0.0, 1.0])
        assert weighted_quantile(values, np.array([1 / 3, 1 / 3, 1 / 3, 1.0]), 0.6) == 1.0
        assert weighted_quantile(values, np.ones(4), 0.6) == 0.0


@pytest.fixture(scope="module")
def valuer() -> LgbmValuer:
    frame, _ = canonical_frame(price_table(3000, seed=0))
    trained = train(frame, FAST)
    return LgbmValuer(trained.encoding, trained.boosters, ref="v@0", num_threads=1)


class TestDrift:
    def test_a_fresh_table_of_the_same_market_gives_no_warning(self, valuer: LgbmValuer) -> None:
        frame, _ = canonical_frame(price_table(1500, seed=5))
        report = drift_check(frame["price"].to_numpy(dtype=float), *valuer.value_frame(frame))
        assert report["warning"] is None
        assert abs(report["median_log_shift"]) < 0.05

    @pytest.mark.parametrize("factor", [0.8, 1.2])
    def test_a_moved_market_is_named(self, valuer: LgbmValuer, factor: float) -> None:
        frame, _ = canonical_frame(price_table(1500, seed=5))
        moved = frame["price"].to_numpy(dtype=float) * factor
        report = drift_check(moved, *valuer.value_frame(frame))
        assert report["warning"] is not None
        assert report["warning"].startswith("the market has moved")
        assert np.sign(report["median_log_shift"]) == np.sign(np.log(factor))
        assert report["tails_off"] == (["below P10"] if factor < 1 else ["above P90"])
