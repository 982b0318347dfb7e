"""Tests for autolease.credit.book: book tables → the same features as serving."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest

from autolease.credit import features
from autolease.credit.book import book_frame, raw_from_book, whole_years
from autolease.credit.exceptions import CreditDataInvalid


def tables() -> dict[str, Any]:
    apps = pd.DataFrame(
        {
            "application_id": [1, 2, 3],
            "applicant_id": [10, 11, 10],
            "vehicle_id": [100, 101, 102],
            "sp_code": ["SP1", "SP2", "SP1"],
            "application_date": pd.to_datetime(["2024-03-01", "2024-03-02", "2024-05-01"]),
            "product_type": ["direct_lease", "sale_leaseback", "direct_lease"],
            "term_months": [36, 24, 12],
            "amount_fen": [7_000_000, 5_000_000, 3_000_000],
            "down_payment_fen": [3_000_000, 1_000_000, 1_000_000],
            "asking_price_fen": [10_000_000, 6_000_000, 4_000_000],
            "valuation_price_fen": [9_000_000, None, 4_000_000],
            "monthly_income_fen": [1_000_000, 2_000_000, 1_000_000],
            "declared_mileage_km": [50_000, 80_000, 20_000],
            "seller_type": ["dealer", "lessee", "dealer"],
            "lead_source": ["sp", "direct", "sp"],
            "fuel_type": ["petrol", "bev", "hev"],
            "phone_tenure_months": [60, 3, 61],
        }
    )
    applicants = pd.DataFrame(
        {
            "applicant_id": [10, 11],
            "kind": ["individual", "corporate"],
            "birth_date": pd.to_datetime(["1990-03-02", "1980-01-01"]),
        }
    )
    vehicles = pd.DataFrame(
        {
            "vehicle_id": [100, 101, 102],
            "first_registration_date": pd.to_datetime(["2021-03-01", "2018-03-02", "2023-05-01"]),
        }
    )
    bureau = pd.DataFrame(
        {
            "application_id": [1, 2, 3],
            "has_credit_file": [True, False, True],
            "hard_queries_90d": [2, 0, 7],
            "first_credit_date": pd.to_datetime(["2014-03-01", None, "2014-05-01"]),
            "outstanding_debt_fen": [12_000_000, 0, 0],
        }
    )
    sps = pd.DataFrame({"sp_code": ["SP1", "SP2"], "grade": ["A", "C"]})
    truth = pd.DataFrame(
        {
            "application_id": [1, 2, 3],
            "booked": [True, False, True],
            "default_flag": pd.array([True, pd.NA, False], dtype="boolean"),
        }
    )
    return {
        "applications": apps,
        "applicants": applicants,
        "vehicles": vehicles,
        "bureau": bureau,
        "sps": sps,
        "truth": truth,
    }


class TestWholeYears:
    def day(self, text: str) -> float:
        return float(np.datetime64(text, "D").astype(np.int64))

    def test_birthday_reached_or_not(self) -> None:
        born = np.array([self.day("1990-03-02")] * 2)
        today = np.array([self.day("2024-03-01"), self.day("2024-03-02")])
        assert whole_years(born, today).tolist() == [33.0, 34.0]

    def test_unknown_is_nan(self) -> None:
        assert np.isnan(whole_years(np.array([np.nan]), np.array([1.0])))[0]


class TestRawFromBook:
    def test_columns_map_onto_raw_inputs(self) -> None:
        raw, joined = raw_from_book(tables())
        assert set(raw) <= set(features.RAW_INPUTS)
        assert raw["amount_yuan"].tolist() == [70_000.0, 50_000.0, 30_000.0]
        assert raw["applicant_age"].tolist() == [33.0, 44.0, 34.0]
        assert raw["sp_grade"].tolist() == ["A", "C", "A"]
        assert np.isnan(raw["valuation_yuan"][1])
        assert len(joined) == 3

    def test_features_match_the_serving_formula(self) -> None:
        raw, _ = raw_from_book(tables())
        out = features.compute(raw)
        assert out["ltv_on_asking_price"][0] == pytest.approx(0.7)
        assert out["vehicle_age_years"][0] == pytest.approx(
            (date(2024, 3, 1) - date(2021, 3, 1)).days / 365.25
        )
        assert out["debt_to_income"][0] == pytest.approx(120_000 / 120_000)


class TestBookFrame:
    def test_only_booked_rows_with_an_outcome(self) -> None:
        frame = book_frame(tables())
        assert frame.application_id.tolist() == [1, 3]
        assert frame.y.tolist() == [1, 0]
        assert list(frame.features.columns) == [f.name for f in features.FEATURES]

    def test_missing_table(self) -> None:
        broken = tables()
        del broken["truth"]
        with pytest.raises(CreditDataInvalid, match="no 'truth' table"):
            book_frame(broken)

    def test_missing_column(self) -> None:
        broken = tables()
        broken["applications"] = broken["applications"].drop(columns=["amount_fen"])
        with pytest.raises(CreditDataInvalid, match="amount_fen"):
            book_frame(broken)

    def test_no_labelled_rows(self) -> None:
        broken = tables()
        broken["truth"]["booked"] = False
        with pytest.raises(CreditDataInvalid, match="no booked application"):
            book_frame(broken)


class TestSyntheticBook:
    def test_generator_book_trains(self) -> None:
        synth = pytest.importorskip("autolease.synth.book")
        config = pytest.importorskip("autolease.synth.config")
        book = synth.generate_tables(config.SynthConfig(n_applications=1500, seed=5))
        frame = book_frame(book)
        assert 500 < len(frame.y) < 1500
        assert 0 < frame.y.mean() < 0.5
        assert frame.features["ltv_on_valuation"].notna().mean() > 0.9
        assert frame.features["hard_queries_90d"].notna().all()
