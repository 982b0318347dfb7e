"""The unseen-brand level model and band (`vehicle.brand_level`) on generated brands.

Each generated brand has one fact (think engine size or price band), a level (log offset)
and row noise; the brand's misses are its level plus the noise. Where the level is a known
function of the fact, the level model must find it and value a new brand without bias,
where the one mean level is off; where it is not, the mean level must stay.
"""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from autolease.vehicle.brand_level import (
    LevelModel,
    band_shifts,
    brand_coverage,
    fit_level_model,
    fit_ridge,
)
from autolease.vehicle.valuation import ENCODING_FILE, Encoding, LgbmValuer, TrainedModel

NOISE = 0.1


def brands(facts: list[float], levels: list[float], seed: int, rows: int = 300):
    """(facts, misses) per brand: every row carries its brand's fact; miss = level + noise."""
    rng = np.random.default_rng(seed)
    fact_rows = [np.full((rows, 1), f) + rng.normal(0, 0.05, (rows, 1)) for f in facts]
    misses = [lv + rng.normal(0, NOISE, rows) for lv in levels]
    return fact_rows, misses


def explained(fact: float) -> float:
    return 0.4 * (fact - 1.0) - 0.1  # e.g. big-engine brands hold their value


class TestLevelModel:
    def test_a_level_that_follows_a_fact_is_recovered(self) -> None:
        facts = list(np.linspace(0.0, 2.0, 12))
        model, _ = fit_level_model(*brands(facts, [explained(f) for f in facts], seed=0))
        assert model.coef
        new = np.array([[1.8]])
        assert model.predict(new)[0] == pytest.approx(explained(1.8), abs=0.05)

    def test_an_unseen_brand_is_not_biased_where_the_mean_level_is(self) -> None:
        facts = list(np.linspace(0.0, 2.0, 12))
        fitted, misses = brands(facts, [explained(f) for f in facts], seed=1)
        model, _ = fit_level_model(fitted, misses)
        mean_only = fit_ridge(fitted, misses, None)
        new_facts, new_misses = brands([0.1, 1.9], [explained(0.1), explained(1.9)], seed=2)
        for f, m in zip(new_facts, new_misses, strict=True):
            assert abs(np.median(m - model.predict(f))) < 0.05
            assert abs(np.median(m - mean_only.predict(f))) > 0.3

    def test_idiosyncratic_levels_keep_the_mean_level(self) -> None:
        rng = np.random.default_rng(3)
        facts = list(np.linspace(0.0, 2.0, 12))
        model, _ = fit_level_model(*brands(facts, list(rng.normal(0, 0.3, 12)), seed=3))
        assert model.coef == ()

    def test_too_few_brands_keep_the_mean_level(self) -> None:
        model, _ = fit_level_model(*brands([0.0, 1.0, 2.0], [-0.5, -0.1, 0.3], seed=4))
        assert model.coef == ()

    def test_a_missing_fact_counts_as_its_mean(self) -> None:
        model = LevelModel(0.1, (1.0,), (0.5,), (0.2,))
        assert model.predict(np.array([[np.nan], [1.5]])).tolist() == pytest.approx([0.1, 0.3])


class TestBand:
    def test_idiosyncratic_levels_get_a_wider_band_than_explained_ones(self) -> None:
        facts = list(np.linspace(0.0, 2.0, 12))
        levels = [explained(f) for f in facts]
        _, known = fit_level_model(*brands(facts, levels, seed=5))
        shuffled = list(np.random.default_rng(5).permutation(levels))
        _, unknown = fit_level_model(*brands(facts, shuffled, seed=5))
        lo_k, hi_k, _ = band_shifts(known, 0.8)
        lo_u, hi_u, _ = band_shifts(unknown, 0.8)
        assert lo_u + hi_u > 1.5 * (lo_k + hi_k)

    def test_the_median_brand_is_covered_about_80_percent(self) -> None:
        # nine brands at the mean level, two far off: pooled tails would over-cover the nine
        _, residuals = brands([0.0] * 11, [0.0] * 9 + [0.6, -0.6], seed=6)
        lo, hi, scale = band_shifts(residuals, 0.8)
        covered = brand_coverage(residuals, lo, hi)
        assert 0.78 <= float(np.median(covered)) <= 0.85
        assert scale < 1


class TestStoredForm:
    def test_the_level_model_round_trips(self, trained: TrainedModel) -> None:
        stored = {"facts": ["brand_tier", "log_p50"], "intercept": 0.05, "mean": [1.0, 10.0],
                  "scale": [1.0, 1.0], "coef": [0.1, 0.0], "penalty": 1.0}  # fmt: skip
        encoding = replace(trained.encoding, unseen_level_model=stored)
        assert Encoding.from_json(encoding.to_json()) == encoding

    def test_a_stored_level_model_moves_an_unseen_brands_p50_by_its_facts(
        self, trained: TrainedModel
    ) -> None:
        stored = {"facts": ["brand_tier", "log_p50"], "intercept": 0.05, "mean": [1.0, 10.0],
                  "scale": [1.0, 1.0], "coef": [0.0, 0.1], "penalty": 1.0}  # fmt: skip
        with_model = replace(trained.encoding, unseen_level_model=stored)
        plain = replace(trained.encoding, unseen_prior=False)
        valuer = LgbmValuer(with_model, trained.boosters, ref="v@3")
        x = np.full((1, len(plain.features)), np.nan)
        x[0, plain.features.index("age_years")] = 3.0
        _, base, _ = LgbmValuer(plain, trained.boosters, ref="v@3").predict_matrix(x)
        _, mid, _ = valuer.predict_matrix(x)
        expected = 0.05 + 0.1 * (np.log(base[0]) - 10.0)
        assert np.log(mid[0] / base[0]) == pytest.approx(expected)

    def test_a_format_2_artifact_loads_and_keeps_its_mean_level(
        self, trained: TrainedModel
    ) -> None:
        raw = json.loads(trained.files[ENCODING_FILE])
        del raw["unseen_level_model"]
        raw["format"] = "autolease.valuation/2"
        loaded = Encoding.from_json(json.dumps(raw).encode())
        assert loaded.unseen_level_model == {}
        assert loaded.unseen_prior
        x = np.full((1, len(loaded.features)), np.nan)
        x[0, loaded.features.index("age_years")] = 3.0
        _, with_prior, _ = LgbmValuer(loaded, trained.boosters, ref="v@2").predict_matrix(x)
        plain = replace(loaded, unseen_prior=False)
        _, without, _ = LgbmValuer(plain, trained.boosters, ref="v@2").predict_matrix(x)
        assert np.log(with_prior[0] / without[0]) == pytest.approx(loaded.unseen_level)


class TestTraining:
    def test_the_stored_prior_names_its_facts_and_keeps_the_mean_level_by_default(
        self, trained: TrainedModel
    ) -> None:
        stored = trained.encoding.unseen_level_model
        assert stored["facts"][-1] == "log_p50"
        assert list(stored["coef"]) == []
        assert stored["intercept"] == pytest.approx(trained.encoding.unseen_level)
        assert trained.metrics["unseen_brand"]["band_scale"] > 0
