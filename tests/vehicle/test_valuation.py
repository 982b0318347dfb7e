"""The LightGBM valuation: accuracy on a known curve, ordering, monotonicity, artifacts."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd  # type: ignore[import-untyped]
import pytest

from autolease.ml import registry
from autolease.vehicle.columns import canonical_frame
from autolease.vehicle.features import Valuation, ValuationError, ValuationInput
from autolease.vehicle.valuation import (
    BOOSTER_FILES,
    ENCODING_FILE,
    Encoding,
    LgbmValuer,
    TrainConfig,
    TrainedModel,
    add_derived,
    frame_matrix,
    map_distinct,
    price_metrics,
)
from tests.vehicle.conftest import FAST, price_table

CAR = ValuationInput(brand="丰田", model="卡罗拉", age_years=3.0, mileage_km=36_000, fuel="petrol")


class TestTraining:
    def test_holdout_metrics_are_good_on_a_clean_curve(self, trained: TrainedModel) -> None:
        m = trained.metrics
        assert m["evaluated_on"] == "holdout"
        assert m["mape"] < 0.10
        assert m["r2"] > 0.9
        assert 0.7 <= m["coverage_p10_p90"] <= 0.92

    def test_features_follow_the_table_plus_brand_derivations(self, trained: TrainedModel) -> None:
        names = [f.name for f in trained.features]
        assert names == [
            "brand", "model", "fuel", "brand_origin", "age_years", "mileage_km", "brand_tier"
        ]  # fmt: skip
        assert trained.encoding.categorical == ("brand", "model", "fuel", "brand_origin")

    def test_files_are_native_text_and_json(self, trained: TrainedModel) -> None:
        assert set(trained.files) == {*BOOSTER_FILES.values(), ENCODING_FILE}
        assert trained.files["p50.txt"].startswith(b"tree\nversion=")
        assert json.loads(trained.files[ENCODING_FILE])["format"] == "autolease.valuation/3"

    def test_p50_is_monotone_decreasing_in_age_and_mileage(self, trained: TrainedModel) -> None:
        assert trained.params["boosters"]["p50"]["monotone_constraints"] == [
            0, 0, 0, 0, -1, -1, 0
        ]  # fmt: skip

    def test_point_model_samples_features_and_the_quantile_models_do_not(
        self, trained: TrainedModel
    ) -> None:
        boosters = trained.params["boosters"]
        assert boosters["p50"]["feature_fraction"] == TrainConfig().p50_feature_fraction < 0.9
        assert boosters["p10"]["feature_fraction"] == boosters["p90"]["feature_fraction"] == 0.9

    def test_category_smoothing_comes_from_the_config(self, trained: TrainedModel) -> None:
        # Light smoothing lets rare models keep their own price level (Ford CV R² +0.002).
        for booster in ("p10", "p50", "p90"):
            used = trained.params["boosters"][booster]
            assert (used["cat_smooth"], used["cat_l2"], used["min_data_per_group"]) == (
                FAST.cat_smooth, FAST.cat_l2, FAST.min_data_per_group
            )  # fmt: skip
        assert (FAST.cat_smooth, FAST.cat_l2, FAST.min_data_per_group) == (1.0, 1.0, 5)

    def test_early_stopping_never_exceeds_the_round_cap(self, trained: TrainedModel) -> None:
        assert 0 < trained.params["boosters"]["p50"]["rounds"] <= FAST.p50_rounds
        assert trained.params["boosters"]["p50"]["learning_rate"] == FAST.p50_learning_rate


class TestValuer:
    def test_value_is_ordered_and_near_the_true_curve(self, valuer: LgbmValuer) -> None:
        v = valuer.value(CAR)
        truth = 130_000 * 0.85**3 * (1 - 0.04 * 3.6)
        assert v.p10 <= v.p50 <= v.p90
        assert v.p50 == pytest.approx(truth, rel=0.12)
        assert v.model_ref == "valuation@test"

    def test_older_and_further_driven_is_worth_less(self, valuer: LgbmValuer) -> None:
        now = valuer.value(CAR).p50
        assert valuer.value(CAR.at_future(2, 0)).p50 < now
        assert valuer.value(CAR.at_future(0, 60_000)).p50 < now

    def test_brand_in_english_and_chinese_values_the_same(self, valuer: LgbmValuer) -> None:
        zh = valuer.value(CAR)
        en = valuer.value(ValuationInput("Toyota", "卡罗拉", 3.0, 36_000, fuel="Petrol"))
        assert en == zh

    def test_unknown_brand_and_model_still_value(self, valuer: LgbmValuer) -> None:
        v = valuer.value(ValuationInput("某某", "未知", 3.0, 36_000))
        assert 0 < v.p10 <= v.p50 <= v.p90

    def test_an_unseen_brand_is_valued_by_its_tier(self, valuer: LgbmValuer) -> None:
        # Neither brand is in the training table; the brand list says Lexus is premium and
        # Dacia budget, and the unknown-brand training rows taught the trees to use that.
        lexus = valuer.value(ValuationInput("雷克萨斯", "ES", 3.0, 36_000, fuel="petrol"))
        dacia = valuer.value(ValuationInput("Dacia", "Sandero", 3.0, 36_000, fuel="petrol"))
        assert lexus.p50 > 1.5 * dacia.p50

    def test_many_equals_one_by_one(self, valuer: LgbmValuer) -> None:
        items = [CAR, CAR.at_future(1, 10_000), ValuationInput("宝马", "3系", 5, 60_000)]
        assert valuer.value_many(items) == [valuer.value(i) for i in items]
        assert valuer.value_many([]) == []

    def test_frame_batch_agrees_with_single(self, valuer: LgbmValuer, table: pd.DataFrame) -> None:
        frame, _ = canonical_frame(table.head(5))
        p10, p50, p90 = valuer.value_frame(frame)
        row = frame.iloc[0]
        one = valuer.value(
            ValuationInput(row["brand"], row["model"], row["age_years"], row["mileage_km"],
                           fuel=row["fuel"])
        )  # fmt: skip
        assert (p10[0], p50[0], p90[0]) == pytest.approx((one.p10, one.p50, one.p90))

    def test_round_trip_through_the_registry(self, artifacts: Path, valuer: LgbmValuer) -> None:
        loaded = registry.resolve(artifacts, "valuation@latest")
        again = LgbmValuer.from_files(loaded.files, ref=loaded.manifest.ref)
        assert again.ref == "valuation@1"
        assert again.value(CAR).p50 == pytest.approx(valuer.value(CAR).p50)

    def test_missing_file_is_a_valuation_error(self, trained: TrainedModel) -> None:
        files = {k: v for k, v in trained.files.items() if k != "p90.txt"}
        with pytest.raises(ValuationError, match=r"lacks p90\.txt"):
            LgbmValuer.from_files(files, ref="valuation@x")


class TestBatchFeatures:
    def test_map_distinct_equals_a_per_row_map(self) -> None:
        series = pd.Series(["a", None, "b", "a", float("nan"), "c"], index=[5, 4, 3, 2, 1, 0])
        calls: list[str] = []

        def upper(value: str) -> str:
            calls.append(value)
            return value.upper()

        out = map_distinct(series, upper)
        assert out.tolist() == ["A", None, "B", "A", None, "C"]
        assert out.index.tolist() == [5, 4, 3, 2, 1, 0]
        assert sorted(calls) == ["a", "b", "c"]  # once per distinct value, never for nulls
        assert map_distinct(series, {"1": 7}.get, key=lambda v: str(len(v))).tolist() == [
            7, None, 7, 7, None, 7
        ]  # fmt: skip

    def test_map_distinct_of_nothing(self) -> None:
        assert map_distinct(pd.Series([], dtype=object), str).tolist() == []
        assert map_distinct(pd.Series([None, None]), str).tolist() == [None, None]

    def test_brand_derivations_per_row(self) -> None:
        frame = pd.DataFrame({"brand": ["toyota", None, "某某", "dacia", "toyota"]})
        out = add_derived(frame)
        assert out["brand_origin"].tolist() == ["japan", None, None, "romania", "japan"]
        tier = out["brand_tier"].to_numpy()
        assert tier.dtype == np.float64
        assert np.isnan(tier[[1, 2]]).all()
        assert tier[0] == tier[4] == 1.0
        assert tier[3] == 0.0

    def test_frame_matrix_codes_known_categories_and_blanks_the_rest(
        self, trained: TrainedModel
    ) -> None:
        enc = trained.encoding
        frame = add_derived(
            pd.DataFrame(
                {
                    "brand": ["toyota", "unknownco", None],
                    "model": ["卡罗拉", "卡罗拉", None],
                    "fuel": ["hev", "petrol", None],
                    "age_years": [1.0, 2.0, 3.0],
                    "mileage_km": [10.0, None, 30.0],
                }
            )
        )
        x = frame_matrix(frame, enc)
        col = {name: x[:, j] for j, name in enumerate(enc.features)}
        assert col["brand"][0] == enc.vocab["brand"]["toyota"]
        assert np.isnan(col["brand"][1:]).all()
        assert col["model"][1] == enc.vocab["model"]["卡罗拉"]
        assert col["fuel"][0] == enc.vocab["fuel"]["hev"]
        assert np.isnan(col["fuel"][2])
        assert np.isnan(col["mileage_km"][1])
        assert col["age_years"].tolist() == [1.0, 2.0, 3.0]


class TestUnseenBrandPrior:
    UNSEEN = ValuationInput("Dacia", "Sandero", 3.0, 36_000, fuel="petrol")

    def test_training_measures_each_brands_level(self, trained: TrainedModel) -> None:
        # Six brands whose new prices differ beyond what tier says: real, unequal levels.
        levels = trained.metrics["unseen_brand"]["brand_levels"]
        assert len(levels) == 6
        assert max(levels.values()) - min(levels.values()) > 0.05
        assert trained.encoding.unseen_prior
        assert trained.encoding.unknown_brand_spread == 0.0

    def test_only_unseen_brands_get_the_prior(self, trained: TrainedModel) -> None:
        plain = replace(trained.encoding, unseen_prior=False)
        prior = LgbmValuer(trained.encoding, trained.boosters, ref="v@1")
        without = LgbmValuer(plain, trained.boosters, ref="v@1")
        assert prior.value(CAR) == without.value(CAR)
        p, n = prior.value(self.UNSEEN), without.value(self.UNSEEN)
        enc = trained.encoding
        assert np.log(p.p50 / n.p50) == pytest.approx(enc.unseen_level)
        assert np.log(p.p50 / p.p10) == pytest.approx(enc.unseen_shift_lo)
        assert np.log(p.p90 / p.p50) == pytest.approx(enc.unseen_shift_hi)

    def test_a_model_without_the_prior_widens_by_the_spread(self, trained: TrainedModel) -> None:
        narrow_encoding = replace(trained.encoding, unseen_prior=False)
        wide_encoding = replace(narrow_encoding, unknown_brand_spread=0.2)
        wide = LgbmValuer(wide_encoding, trained.boosters, ref="v@1")
        narrow = LgbmValuer(narrow_encoding, trained.boosters, ref="v@1")
        assert wide.value(CAR) == narrow.value(CAR)
        w, n = wide.value(self.UNSEEN), narrow.value(self.UNSEEN)
        assert w.p50 == n.p50
        assert np.log(w.p50 / w.p10) == pytest.approx(np.hypot(np.log(n.p50 / n.p10), 0.2))
        assert np.log(w.p90 / w.p50) == pytest.approx(np.hypot(np.log(n.p90 / n.p50), 0.2))

    def test_format_1_artifacts_load_without_the_prior(self, trained: TrainedModel) -> None:
        raw = json.loads(trained.files[ENCODING_FILE])
        for name in ("unknown_brand_spread", "unseen_prior", "unseen_level", "unseen_shift_lo",
                     "unseen_shift_hi", "brand_levels"):  # fmt: skip
            del raw[name]
        raw["format"] = "autolease.valuation/1"
        loaded = Encoding.from_json(json.dumps(raw).encode())
        assert (loaded.unknown_brand_spread, loaded.unseen_prior) == (0.0, False)


class TestHoldoutOnFreshData:
    def test_unseen_rows_have_calibrated_coverage(self, valuer: LgbmValuer) -> None:
        frame, _ = canonical_frame(price_table(3000, seed=99))
        p10, p50, p90 = valuer.value_frame(frame)
        metrics = price_metrics(frame["price"].to_numpy(dtype=float), p10, p50, p90)
        assert 0.7 <= metrics["coverage_p10_p90"] <= 0.92
        assert metrics["mape"] < 0.1


class TestValuationValue:
    def test_out_of_order_quantiles_are_refused(self) -> None:
        with pytest.raises(ValueError, match="P10 <= P50 <= P90"):
            Valuation(100.0, 90.0, 120.0, "x@1")

    def test_metrics_of_a_perfect_prediction(self) -> None:
        actual = np.array([100.0, 200.0, 300.0])
        m = price_metrics(actual, actual * 0.9, actual, actual * 1.1)
        assert (m["mae"], m["mape"], m["r2"], m["coverage_p10_p90"]) == (0.0, 0.0, 1.0, 1.0)
