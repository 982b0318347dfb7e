"""Tests for range-valued text columns (tabular), ordinal inputs (model) and tuning (training)."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from autolease.fraud.features import FeatureSpec
from autolease.fraud.model import META_FILE, FraudModel, encode
from autolease.fraud.tabular import encode_frame, parse_range, range_order, tabular_specs
from autolease.fraud.training import TrainOptions, cross_validated_auc, fit_fraud_model

OPTIONS = TrainOptions(rounds=30, num_leaves=4, min_data_in_leaf=10, folds=2, refer_rate=0.1)
DAYS = ["none", "1 to 7", "8 to 15", "15 to 30", "more than 30"]


def _claims(n: int = 800, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Fraud rises with the rank of `days` (a range-valued text column)."""
    rng = np.random.default_rng(seed)
    rank = rng.integers(0, len(DAYS), n)
    colour = rng.choice(["red", "blue"], n)
    logit = -3.5 + 0.9 * rank
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(float)
    return pd.DataFrame({"days": [DAYS[r] for r in rank], "colour": colour}), y


class TestParseRange:
    @pytest.mark.parametrize(
        ("text", "parsed"),
        [
            ("15 to 30", (15.0, 30.0, 0, None)),
            ("  More  than 69000 ", (69000.0, None, 1, None)),
            ("over 65", (65.0, None, 1, None)),
            ("less than 20000", (20000.0, None, -1, None)),
            ("under 6 months", (6.0, None, -1, 30.4375)),
            ("2 to 3 years", (2.0, 3.0, 0, 365.25)),
            ("2 vehicles", (2.0, None, 0, None)),
            ("5+", (5.0, None, 1, None)),
            ("1,5", (1.5, None, 0, None)),
            ("none", (0.0, None, 0, None)),
            ("new", (0.0, None, 0, None)),
        ],
    )
    def test_numbers_ranges_and_zero_words(self, text: str, parsed: tuple[object, ...]) -> None:
        assert parse_range(text) == parsed

    @pytest.mark.parametrize("text", ["Honda", "no change", "A12", "1 to 2 to 3", ""])
    def test_other_text_is_not_a_range(self, text: str) -> None:
        assert parse_range(text) is None


class TestRangeOrder:
    def test_orders_by_value_not_by_text(self) -> None:
        prices = ["more than 69000", "20000 to 29000", "less than 20000", "60000 to 69000"]
        assert range_order(prices) == (
            "less than 20000", "20000 to 29000", "60000 to 69000", "more than 69000",
        )  # fmt: skip

    def test_values_without_a_unit_take_the_columns_unit(self) -> None:
        ages = ["more than 7", "7 years", "2 years", "new", "3 years"]
        assert range_order(ages) == ("new", "2 years", "3 years", "7 years", "more than 7")

    def test_one_value_that_is_not_a_number_is_left_out(self) -> None:
        change = ["no change", "under 6 months", "1 year", "2 to 3 years", "4 to 8 years"]
        assert range_order(change) == ("under 6 months", "1 year", "2 to 3 years", "4 to 8 years")

    @pytest.mark.parametrize(
        "values",
        [["1 to 2", "3 to 4"], ["red", "green", "1", "2", "3"], ["Honda", "Toyota", "BMW"]],
    )
    def test_columns_that_are_not_ranges(self, values: list[str]) -> None:
        assert range_order(values) is None


class TestOrdinalInputs:
    def test_range_column_gets_an_ordinal_twin(self) -> None:
        frame = pd.DataFrame({"d": ["more than 30", "none", "1 to 7", "no change", None]})
        specs = tabular_specs(frame)
        assert [(s.name, s.dtype) for s in specs] == [("d", "category"), ("d", "ordinal")]
        assert specs[1].categories == ("none", "1 to 7", "more than 30")
        x = encode_frame(frame, specs)
        assert x[:, 1].tolist()[:3] == [2.0, 0.0, 1.0]
        assert math.isnan(x[3, 1])
        assert x[3, 0] == 2.0  # "no change" is kept by the categorical twin
        records = [{"d": v} for v in frame["d"].tolist()]
        assert np.array_equal(x, encode(specs, records), equal_nan=True)

    def test_model_round_trips_and_explains_each_input_once(self) -> None:
        frame, y = _claims()
        specs = tabular_specs(frame)
        model = fit_fraud_model(encode_frame(frame, specs), y, specs, OPTIONS)
        files = model.to_files()
        assert json.loads(files[META_FILE])["format"] == 2
        loaded = FraudModel.from_files(files, name="t", version="1")
        records = frame.head(50).to_dict("records")
        assert np.allclose(loaded.score(records), model.score(records))
        factors = loaded.explain({"days": "more than 30", "colour": "red"}, top=5)
        assert [f.feature for f in factors].count("days") == 1
        assert factors[0].feature == "days"

    def test_newer_formats_and_unknown_dtypes_are_refused(self) -> None:
        frame, y = _claims(300)
        specs = tabular_specs(frame)
        files = fit_fraud_model(encode_frame(frame, specs), y, specs, OPTIONS).to_files()
        meta = json.loads(files[META_FILE])
        with pytest.raises(ValueError, match="format 3 is newer"):
            FraudModel.from_files({**files, META_FILE: json.dumps({**meta, "format": 3}).encode()},
                                  name="t", version="1")  # fmt: skip
        meta["features"][1]["dtype"] = "interval"
        with pytest.raises(ValueError, match="unknown input dtypes"):
            FraudModel.from_files({**files, META_FILE: json.dumps(meta).encode()},
                                  name="t", version="1")  # fmt: skip

    def test_files_without_a_format_load_as_before(self) -> None:
        frame, y = _claims(300)
        specs = tuple(s for s in tabular_specs(frame) if s.dtype != "ordinal")
        files = fit_fraud_model(encode_frame(frame, specs), y, specs, OPTIONS).to_files()
        meta = json.loads(files[META_FILE])
        del meta["format"]
        old = {**files, META_FILE: json.dumps(meta).encode()}
        assert FraudModel.from_files(old, name="t", version="1").specs == specs


class TestTuning:
    def test_cross_validated_auc_is_deterministic_and_sees_the_signal(self) -> None:
        frame, y = _claims()
        specs = tabular_specs(frame)
        x = encode_frame(frame, specs)
        first = cross_validated_auc(x, y, specs, OPTIONS, folds=3, repeats=2)
        assert first == cross_validated_auc(x, y, specs, OPTIONS, folds=3, repeats=2)
        assert first["folds"] == 6
        assert first["auc"] > 0.7
        assert first["se"] > 0
        noise = np.random.default_rng(5).permutation(y)
        assert cross_validated_auc(x, noise, specs, OPTIONS, folds=3)["auc"] < 0.65

    def test_fraud_weight_changes_the_model_and_must_be_positive(self) -> None:
        frame, y = _claims(400)
        specs = tabular_specs(frame)
        x = encode_frame(frame, specs)
        plain = fit_fraud_model(x, y, specs, OPTIONS)
        weighted = fit_fraud_model(x, y, specs, TrainOptions(**{**OPTIONS.to_json(),
                                                                "fraud_weight": 3.0}))  # fmt: skip
        assert weighted.score_matrix(x).mean() > plain.score_matrix(x).mean()
        with pytest.raises(ValueError, match="fraud_weight"):
            TrainOptions(fraud_weight=0)

    def test_too_few_rows_to_cross_validate(self) -> None:
        with pytest.raises(ValueError, match="too few"):
            cross_validated_auc(np.zeros((10, 1)), np.r_[np.ones(2), np.zeros(8)],
                                (FeatureSpec("a", "float", "t", ""),))  # fmt: skip
