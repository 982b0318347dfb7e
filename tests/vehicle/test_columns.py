"""Column mapping and recognition of common price-table names."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd  # type: ignore[import-untyped]
import pytest

from autolease.vehicle.columns import ColumnError, canonical_frame, parse_mapping


class TestParseMapping:
    def test_text_pairs_with_scale_and_extras(self) -> None:
        m = parse_mapping("price=selling_price, mileage_km=kilometer*10000, extra=tax+mpg")
        assert m.columns == {"price": ("selling_price", 1.0), "mileage_km": ("kilometer", 10000.0)}
        assert m.extra == ("tax", "mpg")

    def test_json_file(self, tmp_path: Path) -> None:
        path = tmp_path / "m.json"
        path.write_text(json.dumps({"price": "Price", "extra": ["tax"]}))
        m = parse_mapping(str(path))
        assert m.columns == {"price": ("Price", 1.0)}
        assert m.extra == ("tax",)

    def test_yaml_file(self, tmp_path: Path) -> None:
        path = tmp_path / "m.yaml"
        path.write_text("price: Price\nmileage_km: miles*1.609344\n")
        assert parse_mapping(str(path)).columns["mileage_km"] == ("miles", 1.609344)

    def test_unknown_canonical_name_is_refused(self) -> None:
        with pytest.raises(ColumnError, match="unknown canonical column 'colour'"):
            parse_mapping("colour=color")

    def test_entry_without_equals_is_refused(self) -> None:
        with pytest.raises(ColumnError, match="not canonical=source"):
            parse_mapping("price")


class TestCanonicalFrame:
    def test_common_names_are_recognised(self) -> None:
        raw = pd.DataFrame(
            {
                "make": ["audi", "宝马"],
                "model": [" A1", "3系"],
                "year": [2019, 2017],
                "price": [12500, 150000],
                "transmission": ["Manual", "Automatic"],
                "mileage": [15735, 40000],
                "fuelType": ["Petrol", "Hybrid"],
                "engineSize": [1.4, 2000],
            }
        )
        frame, info = canonical_frame(raw)
        assert list(frame["brand"]) == ["audi", "bmw"]
        assert list(frame["model"]) == ["a1", "3系"]
        assert list(frame["fuel"]) == ["petrol", "hev"]
        assert list(frame["engine_l"]) == [1.4, 2.0]  # cc above 50 becomes litres
        assert list(frame["age_years"]) == [0.0, 2.0]  # reference year = the data's latest
        assert info["age_source"] == "year"

    def test_km_driven_wins_over_a_fuel_economy_mileage_column(self) -> None:
        raw = pd.DataFrame(
            {"name": ["Maruti Swift Dzire VDI"], "year": [2014], "selling_price": [450000],
             "km_driven": [145500], "mileage": ["23.4 kmpl"], "owner": ["Second Owner"]}
        )  # fmt: skip
        frame, _ = canonical_frame(raw, reference_year=2020)
        row = frame.iloc[0]
        assert (row["brand"], row["model"], row["mileage_km"]) == ("suzuki", "swift", 145500)
        assert (row["transfers"], row["age_years"]) == (1.0, 6.0)

    def test_dates_give_exact_age_and_scale_applies(self) -> None:
        raw = pd.DataFrame(
            {"regDate": [20040402, 20030001], "creatDate": [20160404, 20160309],
             "kilometer": [12.5, 15.0], "price": [1850, 3600], "notRepairedDamage": ["0", "-"]}
        )  # fmt: skip
        frame, info = canonical_frame(raw, parse_mapping("mileage_km=kilometer*10000"))
        assert list(frame["mileage_km"]) == [125_000, 150_000]
        assert frame["age_years"].iloc[0] == pytest.approx(12.0, abs=0.01)
        assert frame["age_years"].iloc[1] == pytest.approx(13.19, abs=0.01)  # month 00 → Jan
        assert frame["damage"].iloc[0] == 0
        assert pd.isna(frame["damage"].iloc[1])
        assert info["age_source"] == "registration_date/sale_date"

    def test_rows_without_price_or_with_future_year_are_dropped(self) -> None:
        raw = pd.DataFrame({"price": [1000, 0, 900], "year": [2019, 2019, 2060]})
        frame, info = canonical_frame(raw, reference_year=2020)
        assert len(frame) == 1
        assert info["rows_dropped"] == 2

    def test_missing_price_column_is_an_error(self) -> None:
        with pytest.raises(ColumnError, match="no price column"):
            canonical_frame(pd.DataFrame({"year": [2019]}))

    def test_mapped_column_must_exist(self) -> None:
        with pytest.raises(ColumnError, match="'cost'"):
            canonical_frame(pd.DataFrame({"year": [2019]}), parse_mapping("price=cost"))

    def test_no_age_source_is_an_error(self) -> None:
        with pytest.raises(ColumnError, match="no age source"):
            canonical_frame(pd.DataFrame({"price": [1000]}))
