"""Credit factors in words: what the value is and why it raises risk; harmless values are quiet."""

from __future__ import annotations

import pytest

from autolease.credit.factors import DESCRIBERS, describe
from autolease.credit.features import FEATURES
from autolease.credit.model import Factor, FeatureLabel
from autolease.credit.stage import _adverse


def test_every_credit_feature_has_a_text() -> None:
    assert {f.name for f in FEATURES} == set(DESCRIBERS)


@pytest.mark.parametrize(
    ("feature", "value"),
    [
        ("has_credit_file", 1.0),
        ("has_credit_file", True),
        ("hard_queries_90d", 0),
        ("institutions_applied_30d", 0.0),
        ("open_credit_institutions", 0),
        ("delinquencies_24m", 0),
        ("max_dpd_24m", 0),
        ("court_enforced", 0.0),
        ("court_dishonest", False),
        ("sp_grade", "A"),
    ],
)
def test_a_value_that_cannot_be_adverse_has_no_text(feature: str, value: object) -> None:
    assert describe(feature, value) is None


def test_no_credit_file_says_what_is_missing_and_why_it_matters() -> None:
    text = describe("has_credit_file", 0.0)
    assert text is not None
    assert text.en.startswith("no credit file")
    assert "history" in text.en
    assert "没有" in text.zh
    assert "还款" in text.zh


def test_counts_and_shares_show_the_applicants_value() -> None:
    queries = describe("hard_queries_90d", 7)
    share = describe("payment_to_income", 0.46)
    assert queries is not None
    assert share is not None
    assert "7 times in 90 days" in queries.en
    assert "7次" in queries.zh
    assert "46%" in share.en
    assert "46%" in share.zh


def test_a_missing_value_is_called_unknown_with_the_label() -> None:
    text = describe(
        "phone_tenure_months", None, label_en="mobile number tenure", label_zh="在网时长"
    )
    assert text is not None
    assert text.en.startswith("mobile number tenure is not known")
    assert text.zh.startswith("在网时长未知")


def test_the_stage_reports_only_adverse_values_up_to_top() -> None:
    label = FeatureLabel("x", "x")
    factors = (
        Factor("has_credit_file", 9.0, label),
        Factor("hard_queries_90d", 6.0, label),
        Factor("delinquencies_24m", 4.0, label),
        Factor("court_dishonest", 3.0, label),
        Factor("max_dpd_24m", 2.0, label),
    )
    values = {
        "has_credit_file": 1.0,
        "hard_queries_90d": 8,
        "delinquencies_24m": 0,
        "court_dishonest": 0.0,
        "max_dpd_24m": 30,
    }
    kept = _adverse(factors, values, top=3)
    assert [f.feature for f, _ in kept] == ["hard_queries_90d", "max_dpd_24m"]
    assert "30 days late" in kept[1][1].en
    assert [f.feature for f, _ in _adverse(factors, values, top=1)] == ["hard_queries_90d"]
