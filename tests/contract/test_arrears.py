"""The arrears state against hand-worked schedules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from autolease.contract.arrears import Bucket, Due, Payment, arrears_state, bucket_of
from autolease.contract.calendar import add_months

D = Decimal
# Three rents of 1,000.00 due on 15 Jan, 15 Feb and 15 Mar 2026.
DUES = (
    Due(1, date(2026, 1, 15), D("1000.00")),
    Due(2, date(2026, 2, 15), D("1000.00")),
    Due(3, date(2026, 3, 15), D("1000.00")),
)


def pay(day: date, amount: str) -> Payment:
    return Payment(day, D(amount))


class TestBuckets:
    @pytest.mark.parametrize(
        ("dpd", "bucket"),
        [
            (0, Bucket.CURRENT),
            (1, Bucket.M1),
            (30, Bucket.M1),
            (31, Bucket.M2),
            (60, Bucket.M2),
            (61, Bucket.M3_PLUS),
            (400, Bucket.M3_PLUS),
        ],
    )
    def test_edges(self, dpd: int, bucket: Bucket) -> None:
        assert bucket_of(dpd) is bucket


class TestHandWorked:
    def test_paid_on_time_is_current(self) -> None:
        payments = [pay(date(2026, 1, 15), "1000"), pay(date(2026, 2, 14), "1000")]
        state = arrears_state(DUES, payments, date(2026, 2, 20))
        assert (state.days_past_due, state.bucket, state.overdue_amount) == (0, Bucket.CURRENT, 0)
        assert state.installments_due == 2
        assert state.installments_paid == 2
        assert state.first_payment_default is False

    def test_partial_payment_leaves_the_installment_late(self) -> None:
        # 600 on 15 Jan and 600 on 15 Feb: the first rent is paid on 15 Feb (31 days late),
        # the second has 200 of 1,000 paid; on 1 Mar the oldest unpaid is no. 2, 14 days late.
        payments = [pay(date(2026, 1, 15), "600"), pay(date(2026, 2, 15), "600")]
        state = arrears_state(DUES, payments, date(2026, 3, 1))
        assert state.oldest_unpaid == 2
        assert state.days_past_due == 14
        assert state.bucket is Bucket.M1
        assert state.overdue_amount == D("800.00")
        assert state.first_payment_default is True  # paid 31 days after it fell due

    def test_on_the_day_before_a_partial_catch_up(self) -> None:
        state = arrears_state(DUES, [pay(date(2026, 1, 15), "600")], date(2026, 2, 14))
        assert (state.oldest_unpaid, state.days_past_due) == (1, 30)
        assert state.overdue_amount == D("400.00")
        assert state.first_payment_default is None  # the 30 days end on 14 Feb: not yet known

    def test_missed_first_payment(self) -> None:
        state = arrears_state(DUES, [], date(2026, 3, 20))
        assert state.days_past_due == 64
        assert state.bucket is Bucket.M3_PLUS
        assert state.overdue_amount == D("3000.00")
        assert state.first_payment_default is True

    def test_catch_up_cures(self) -> None:
        payments = [pay(date(2026, 3, 1), "2000")]
        state = arrears_state(DUES, payments, date(2026, 3, 2))
        assert (state.days_past_due, state.bucket) == (0, Bucket.CURRENT)
        assert state.first_payment_default is True  # cured, but the first rent was 45 days late

    def test_prepayment_is_applied_forward(self) -> None:
        state = arrears_state(DUES, [pay(date(2026, 1, 10), "2500")], date(2026, 3, 16))
        assert state.oldest_unpaid == 3
        assert state.days_past_due == 1
        assert state.overdue_amount == D("500.00")

    def test_overpayment_is_unapplied(self) -> None:
        state = arrears_state(DUES, [pay(date(2026, 1, 10), "3100")], date(2026, 4, 1))
        assert state.installments_paid == 3
        assert state.unapplied == D("100")

    def test_payments_after_as_of_are_ignored(self) -> None:
        state = arrears_state(DUES, [pay(date(2026, 1, 20), "1000")], date(2026, 1, 18))
        assert (state.days_past_due, state.paid_total) == (3, 0)

    def test_tolerance_treats_a_small_shortfall_as_paid(self) -> None:
        payments = [pay(date(2026, 1, 15), "999.50")]
        late = arrears_state(DUES, payments, date(2026, 1, 20))
        tolerant = arrears_state(DUES, payments, date(2026, 1, 20), tolerance=D("1.00"))
        assert late.days_past_due == 5
        assert tolerant.days_past_due == 0


class TestCalendar:
    @pytest.mark.parametrize(
        ("start", "months", "expected"),
        [
            (date(2026, 1, 31), 1, date(2026, 2, 28)),
            (date(2026, 1, 31), 2, date(2026, 3, 31)),
            (date(2028, 1, 31), 1, date(2028, 2, 29)),
            (date(2026, 11, 15), 3, date(2027, 2, 15)),
            (date(2026, 5, 10), 0, date(2026, 5, 10)),
        ],
    )
    def test_add_months(self, start: date, months: int, expected: date) -> None:
        assert add_months(start, months) == expected
