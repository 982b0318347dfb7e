from __future__ import annotations

import pandas as pd
import pytest
from pydantic import ValidationError

from autolease.fraud.features import FeatureSpec
from autolease.fraud.ipregions import CidrRegions, NoRegions
from autolease.fraud.model import encode
from autolease.fraud.regions import id_province_differs, province_key
from autolease.fraud.settings import FraudSettings, fraud_settings
from autolease.fraud.tabular import binary_target, encode_frame, tabular_specs


class TestCidrRegions:
    def test_longest_listed_range_and_unknowns(self) -> None:
        table = CidrRegions.from_rows([("58.60.0.0/14", "广东省"), ("2001:db8::/32", "海外")])
        assert table.region_of("58.63.255.255") == "广东省"
        assert table.region_of("58.64.0.0") is None
        assert table.region_of("2001:db8::1") == "海外"
        assert table.region_of("not an ip") is None

    def test_a_bad_cidr_is_refused(self) -> None:
        with pytest.raises(ValueError, match="does not appear to be"):
            CidrRegions.from_rows([("banana", "x")])

    def test_no_table_knows_nothing(self) -> None:
        assert NoRegions().region_of("1.1.1.1") is None


class TestRegions:
    def test_province_names_match_on_two_characters(self) -> None:
        assert province_key(" 黑龙江省 ") == "黑龙"
        assert province_key("") is None

    def test_id_province(self) -> None:
        assert id_province_differs("440106199001011234", "四川") is True
        assert id_province_differs("990106199001011234", "四川") is None


class TestTabular:
    def test_specs_and_encoding_agree_with_record_encoding(self) -> None:
        frame = pd.DataFrame({"n": [1.0, None, 3.0], "c": ["x", "y", None], "t": [0, 1, 0]})
        specs = tabular_specs(frame, exclude=["t"])
        assert specs == (
            FeatureSpec("n", "float", "table", ""),
            FeatureSpec("c", "category", "table", "", ("x", "y")),
        )
        records = [{"n": 1.0, "c": "x"}, {"n": None, "c": "y"}, {"n": 3.0, "c": None}]
        assert (encode_frame(frame, specs) == encode(specs, records)).sum() == 4

    def test_binary_target(self) -> None:
        assert binary_target(pd.Series(["Yes", "no", "1", "fraud"])).tolist() == [1, 0, 1, 1]
        assert binary_target(pd.Series(["bad", "good"]), "BAD").tolist() == [1, 0]


class TestFraudSettings:
    @pytest.mark.parametrize("ref", ["fraud_gbm@latest", "fraud_gbm@0001", ""])
    def test_model_names_a_model_not_a_version(self, ref: str) -> None:
        with pytest.raises(ValidationError, match="champion"):
            FraudSettings(model=ref)

    def test_defaults_until_wired(self) -> None:
        assert fraud_settings(object()) == FraudSettings()
