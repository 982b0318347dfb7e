"""Tests for autolease.product.schedule: level, equal principal, balloon, advance, settlement."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy_financial as npf  # type: ignore[import-untyped]
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autolease.product.exceptions import ScheduleInputError
from autolease.product.schedule import (
    AmortizationMethod,
    EarlySettlementRule,
    LeaseTerms,
    RowKind,
    ScheduleType,
    build_schedule,
    early_settlement_quote,
    level_payment_amount,
    max_rent,
    rent_rows,
    total_interest,
    total_payments,
)

D = Decimal
EP = AmortizationMethod.EQUAL_PRINCIPAL
ADVANCE = ScheduleType.ADVANCE

principals = st.integers(min_value=10_000, max_value=2_000_000).map(D)
rates = st.integers(min_value=0, max_value=300).map(lambda bp: D(bp) / 1000)  # 0 % to 30 %
terms = st.sampled_from([6, 12, 24, 36, 48, 60])
balloon_shares = st.sampled_from([D(0), D("0.1"), D("0.3"), D("0.5")])


class TestGoldenValues:
    def test_level_payment_100k_8pct_36m(self) -> None:
        rows = build_schedule(LeaseTerms(D(100000), D("0.08"), 36))
        assert rows[0].payment == D("3133.64")
        assert all(r.payment == D("3133.64") for r in rows[:-1])
        assert rows[-1].balance_after == D("0.00")

    def test_balloon_30pct(self) -> None:
        rows = build_schedule(LeaseTerms(D(100000), D("0.08"), 36, D(30000)))
        assert rows[0].payment == D("2393.55")
        assert rows[-2].balance_after == D("30000.00")
        assert rows[-1].kind is RowKind.BALLOON
        assert rows[-1].payment == D("30000.00")
        assert rows[-1].period == 36

    def test_equal_principal_first_row(self) -> None:
        rows = build_schedule(LeaseTerms(D(100000), D("0.08"), 36, method=EP))
        # 100000 / 36 = 2777.78 principal + 100000 × 0.08 / 12 = 666.67 interest
        assert rows[0].principal == D("2777.78")
        assert rows[0].interest == D("666.67")
        assert rows[0].payment == D("3444.45")
        assert rows[-1].payment < rows[0].payment


class TestLevelPaymentAmount:
    @given(principals, rates, terms)
    @settings(max_examples=200, deadline=None)
    def test_matches_numpy_financial_pmt(self, p: D, r: D, n: int) -> None:
        ours = level_payment_amount(p, r / 12, n, D(0), advance=False)
        theirs = -npf.pmt(float(r) / 12, n, float(p))
        assert abs(float(ours) - theirs) < 1e-6 * float(p)

    @given(principals, rates, terms, balloon_shares)
    @settings(max_examples=200, deadline=None)
    def test_balloon_in_advance_matches_pmt_begin(self, p: D, r: D, n: int, b: D) -> None:
        ours = level_payment_amount(p, r / 12, n, p * b, advance=True)
        theirs = -npf.pmt(float(r) / 12, n, float(p), -float(p * b), when="begin")
        assert abs(float(ours) - theirs) < 1e-6 * float(p)

    def test_zero_rate_is_straight_line(self) -> None:
        assert level_payment_amount(D(1200), D(0), 12, D(0), advance=False) == D(100)


class TestBuildSchedule:
    @given(
        principals,
        rates,
        terms,
        balloon_shares,
        st.sampled_from(list(AmortizationMethod)),
        st.sampled_from(list(ScheduleType)),
    )
    @settings(max_examples=150, deadline=None)
    def test_principal_is_repaid_exactly(
        self, p: D, r: D, n: int, b: D, method: AmortizationMethod, kind: ScheduleType
    ) -> None:
        rows = build_schedule(LeaseTerms(p, r, n, (p * b).quantize(D("0.01")), method, kind))
        assert sum(row.principal for row in rows) == p
        assert rows[-1].balance_after == 0
        assert all(row.interest >= 0 and row.principal >= 0 for row in rows)
        assert total_payments(rows) == p + total_interest(rows)
        assert len(rent_rows(rows)) == n

    @given(principals, rates, terms, balloon_shares)
    @settings(max_examples=150, deadline=None)
    def test_level_rent_matches_pmt_to_the_fen(self, p: D, r: D, n: int, b: D) -> None:
        rows = build_schedule(LeaseTerms(p, r, n, p * b))
        theirs = -npf.pmt(float(r) / 12, n, float(p), -float(p * b))
        assert abs(float(rows[0].payment) - theirs) <= 0.005 + 1e-9
        # the last rent row absorbs only the rounding residue, compounded: ≤ 1 fen × s_n
        i = float(r) / 12
        accumulation = ((1 + i) ** n - 1) / i if i else n
        assert abs(rows[n - 1].payment - rows[0].payment) <= D("0.01") * D(accumulation)

    def test_rent_in_advance_first_payment_has_no_interest(self) -> None:
        rows = build_schedule(LeaseTerms(D(100000), D("0.08"), 36, schedule_type=ADVANCE))
        assert rows[0].period == 0
        assert rows[0].interest == 0
        assert rows[0].payment == D("3112.88")  # 3133.6365 / (1 + 0.08 / 12) = 3112.884
        assert rows[-1].period == 35

    def test_balloon_in_advance_carries_one_month_of_interest(self) -> None:
        rows = build_schedule(LeaseTerms(D(100000), D("0.08"), 36, D(30000), schedule_type=ADVANCE))
        assert rows[-1].payment == D("30000.00")
        assert rows[-1].principal == D("29801.32")
        assert rows[-1].interest == D("198.68")

    def test_max_rent_of_equal_principal_is_the_first(self) -> None:
        rows = build_schedule(LeaseTerms(D(60000), D("0.1"), 24, method=EP))
        assert max_rent(rows) == rows[0].payment


class TestLeaseTermsValidation:
    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"principal": D(0)}, "principal"),
            ({"annual_rate": D("-0.01")}, "annual_rate"),
            ({"annual_rate": D(1)}, "annual_rate"),
            ({"term_months": 0}, "term_months"),
            ({"balloon": D(100000)}, "balloon"),
        ],
    )
    def test_bad_input_names_the_field(self, kwargs: dict[str, object], field: str) -> None:
        values: dict[str, object] = {
            "principal": D(100000),
            "annual_rate": D("0.08"),
            "term_months": 36,
        }
        values.update(kwargs)
        with pytest.raises(ScheduleInputError) as info:
            LeaseTerms(**values)  # type: ignore[arg-type]
        assert info.value.errors[0].field == field
        assert info.value.errors[0].message_zh


class TestEarlySettlementQuote:
    terms = LeaseTerms(D(100000), D("0.08"), 36)

    def test_principal_accrued_penalty_and_validity(self) -> None:
        quote = early_settlement_quote(
            self.terms,
            payments_made=6,
            days_since_last_due=15,
            rule=EarlySettlementRule(D("0.03"), validity_days=7),
            as_of=date(2026, 11, 29),
            unrefunded_fees=D("100"),
        )
        outstanding = rent_rows(build_schedule(self.terms))[5].balance_after
        assert quote.outstanding_principal == outstanding
        assert quote.accrued_interest == (outstanding * D("0.08") * 15 / 360).quantize(D("0.01"))
        assert quote.penalty == (outstanding * D("0.03")).quantize(D("0.01"))
        assert quote.total == outstanding + quote.accrued_interest + quote.penalty + D(100)
        assert quote.valid_until == date(2026, 12, 6)
        assert not quote.penalty_waived

    def test_penalty_waived_after_n_payments(self) -> None:
        rule = EarlySettlementRule(D("0.03"), waive_after_payments=12)
        quote = early_settlement_quote(
            self.terms, payments_made=12, days_since_last_due=0, rule=rule, as_of=date(2026, 1, 1)
        )
        assert quote.penalty_waived
        assert quote.penalty == 0
        assert quote.total == quote.outstanding_principal

    def test_months_of_interest_penalty(self) -> None:
        rule = EarlySettlementRule(D(0), penalty_months_interest=2)
        quote = early_settlement_quote(
            self.terms, payments_made=0, days_since_last_due=0, rule=rule, as_of=date(2026, 1, 1)
        )
        assert quote.penalty == D("1333.33")  # 2 × 100000 × 0.08 / 12

    def test_bad_payments_made_is_rejected(self) -> None:
        with pytest.raises(ScheduleInputError) as info:
            early_settlement_quote(
                self.terms,
                payments_made=36,
                days_since_last_due=0,
                rule=EarlySettlementRule(),
                as_of=date(2026, 1, 1),
            )
        assert info.value.errors[0].field == "payments_made"
