"""Tests for autolease.product.apr: IRR/APR on real cash flows, fees included."""

from __future__ import annotations

from decimal import Decimal

import numpy_financial as npf  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autolease.product.apr import (
    apr,
    effective_annual_rate,
    irr,
    lease_cash_flows,
    npv_and_slope,
    schedule_apr,
)
from autolease.product.exceptions import AprError
from autolease.product.schedule import LeaseTerms, ScheduleType, build_schedule

D = Decimal


class TestAprGoldenValues:
    def test_domain_example_fee_upfront_single_payment(self) -> None:
        # docs/domain.md §1.6: borrow ¥1,000 for a year at 8 % with a ¥25 fee up front → 10.77 %
        flows = [D(25) - D(1000), D(1080)]
        assert round(apr(flows, periods_per_year=1), 4) == D("0.1077")
        assert round(irr(flows), 6) == round(D(105) / D(975), 6)

    def test_no_fee_level_schedule_apr_is_the_contract_rate(self) -> None:
        rows = build_schedule(LeaseTerms(D(100000), D("0.08"), 36))
        value = schedule_apr(rows, amount_advanced=D(100000), upfront_fees=D(0))
        assert abs(value - D("0.08")) < D("0.00001")

    def test_fees_raise_the_apr_above_the_rate(self) -> None:
        rows = build_schedule(LeaseTerms(D(101000), D("0.08"), 36))  # ¥1,000 GPS financed
        value = schedule_apr(rows, amount_advanced=D(100000), upfront_fees=D(1500))
        assert value > D("0.0930")
        assert value < D("0.1000")


class TestIrr:
    @given(
        st.integers(min_value=1_000, max_value=500_000),
        st.lists(st.integers(min_value=0, max_value=50_000), min_size=1, max_size=48),
    )
    @settings(max_examples=200, deadline=None)
    def test_matches_numpy_financial(self, advance: int, payments: list[int]) -> None:
        flows = [D(-advance), *(D(p) for p in payments)]
        if sum(payments) == 0:
            return
        expected = npf.irr([float(f) for f in flows])
        ours = irr(flows)
        value, _ = npv_and_slope(ours, flows)
        assert abs(value) < D("1e-6") * advance
        if expected == expected and expected > -0.99:  # npf returns nan when it finds none
            assert abs(float(ours) - expected) < 1e-7

    def test_negative_rate_when_payments_are_short(self) -> None:
        assert irr([D(-1000), D(500), D(400)]) < 0

    @pytest.mark.parametrize("flows", [[D(100), D(10)], [D(-100), D(-10)], [D(0), D(0)]])
    def test_one_signed_flows_have_no_rate(self, flows: list[Decimal]) -> None:
        with pytest.raises(AprError) as info:
            irr(flows)
        assert info.value.errors[0].field == "cash_flows"
        assert info.value.errors[0].rule == "one_sign"


class TestEffectiveAnnualRate:
    def test_one_percent_a_month(self) -> None:
        assert round(effective_annual_rate(D("0.01")), 6) == D("0.126825")


class TestLeaseCashFlows:
    def test_arrears_with_balloon_and_fees(self) -> None:
        rows = build_schedule(LeaseTerms(D(10000), D("0.12"), 3, D(2000)))
        flows = lease_cash_flows(rows, amount_advanced=D(9500), upfront_fees=D(200))
        assert flows[0] == D(-9300)
        assert len(flows) == 4
        assert flows[3] == rows[2].payment + D(2000)

    def test_advance_rent_is_netted_at_period_zero(self) -> None:
        rows = build_schedule(
            LeaseTerms(D(12000), D("0.12"), 12, schedule_type=ScheduleType.ADVANCE)
        )
        flows = lease_cash_flows(rows, amount_advanced=D(12000), upfront_fees=D(0))
        assert flows[0] == rows[0].payment - D(12000)
        assert len(flows) == 12
        assert abs(apr(flows) - D("0.12")) < D("0.0001")
