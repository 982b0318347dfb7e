"""Tests for autolease.product.pricing: rate by grade, fraud loading, margin floor, fees."""

from __future__ import annotations

from decimal import Decimal

import pytest

from autolease.product.catalogue import Fee, FraudBand, Pricing
from autolease.product.kinds import FeeType, Payee
from autolease.product.pricing import (
    charge_fees,
    fee_alerts,
    financed_fees,
    fraud_loading,
    price,
    risk_adjusted_margin,
    upfront_fees,
)

D = Decimal
BANDS = (FraudBand(D("0.3"), D("0.01")), FraudBand(D("0.6"), D("0.025")))
PRICING = Pricing(
    rate_by_grade={"A": D("0.07"), "B": D("0.09"), "D": D("0.05")},
    expected_loss_by_grade={"A": D("0.005"), "B": D("0.01"), "D": D("0.05")},
    funding_cost=D("0.045"),
    margin_floor=D("0.015"),
    apr_ceiling=D("0.24"),
    fraud_loading=BANDS,
)


class TestFraudLoading:
    @pytest.mark.parametrize(
        ("score", "expected"),
        [(None, D(0)), (0.0, D(0)), (0.29, D(0)), (0.3, D("0.01")), (0.7, D("0.025"))],
    )
    def test_bands(self, score: float | None, expected: Decimal) -> None:
        assert fraud_loading(BANDS, score) == expected


class TestPrice:
    def test_rate_for_grade_plus_loading(self) -> None:
        p = price(PRICING, "B", 0.65)
        assert p is not None
        assert p.annual_rate == D("0.115")
        assert p.fraud_loading == D("0.025")
        assert not p.floor_applied

    def test_margin_floor_lifts_an_underpriced_grade(self) -> None:
        p = price(PRICING, "D", None)
        assert p is not None
        assert p.annual_rate == D("0.045") + D("0.05") + D("0.015")
        assert p.floor_applied
        assert p.margin == D("0.015")

    def test_unpriced_grade_is_none(self) -> None:
        assert price(PRICING, "E", None) is None


class TestRiskAdjustedMargin:
    def test_expected_loss_scales_with_ltv(self) -> None:
        p = price(PRICING, "B", None)
        assert p is not None
        low = risk_adjusted_margin(p, D("0.3"))
        high = risk_adjusted_margin(p, D("0.6"))
        assert high == D("0.09") - D("0.045") - D("0.01")
        assert low - high == D("0.005")
        assert risk_adjusted_margin(p, D("0.6"), D("0.004")) == high + D("0.004")


class TestFees:
    fees = (
        Fee(FeeType.GPS, Payee.GPS_VENDOR, fixed=D(1200), financed=True, name_zh="GPS"),
        Fee(FeeType.SERVICE, Payee.LESSOR, rate=D("0.015")),
        Fee(FeeType.NOTARY, Payee.NOTARY, rate=D("0.003")),
    )

    def test_amounts_split_by_financed_flag(self) -> None:
        charges = charge_fees(self.fees, D("80000"))
        assert [c.amount for c in charges] == [D("1200.00"), D("1200.00"), D("240.00")]
        assert financed_fees(charges) == D(1200)
        assert upfront_fees(charges) == D(1440)
        assert charges[0].as_dict()["financed"] is True

    def test_alerts(self) -> None:
        charges = charge_fees(self.fees, D("30000"))  # 1200 + 450 + 90 = 1740 > 5 % of 31200
        assert fee_alerts(charges, D("31200")) == ("FEES_ABOVE_THRESHOLD", "FEE_FINANCED")
        upfront_only = charge_fees(self.fees[1:], D("100000"))
        assert fee_alerts(upfront_only, D("100000")) == ()
