"""Risk-based pricing and fees (pure).

The customer rate is the product's rate for the credit grade plus a loading for the fraud
score, never below the margin floor: ``funding cost + expected loss(grade) + margin floor``.
The APR ceiling is checked on the real cash flows (see `apr.py`), not on this rate, because
fees raise the APR above the rate.

Fees follow design implication 10: each has a type, a payee and a financed/upfront flag; an
alert is raised when fees exceed 5 % of the amount financed or when a fee is added to principal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from autolease.product.catalogue import Fee, FraudBand, Pricing
from autolease.product.kinds import FeeType, Payee

ZERO = Decimal(0)
FEE_ALERT_RATIO = Decimal("0.05")
# Expected loss is calibrated at this LTV; it scales with the LTV actually offered.
REFERENCE_LTV = Decimal("0.6")


@dataclass(frozen=True)
class Price:
    annual_rate: Decimal
    grade: str
    base_rate: Decimal
    fraud_loading: Decimal
    floor_rate: Decimal
    floor_applied: bool
    funding_cost: Decimal
    expected_loss: Decimal

    @property
    def margin(self) -> Decimal:
        """Rate minus funding cost minus expected loss (at the reference LTV)."""
        return self.annual_rate - self.funding_cost - self.expected_loss


def fraud_loading(bands: Sequence[FraudBand], score: float | None) -> Decimal:
    """The largest `add_rate` of the bands whose `min_score` the score reaches (0 if none).

    Examples
    --------
    >>> bands = (FraudBand(Decimal("0.3"), Decimal("0.01")), FraudBand(Decimal("0.6"),
    ...          Decimal("0.02")))
    >>> fraud_loading(bands, 0.45), fraud_loading(bands, None)
    (Decimal('0.01'), Decimal('0'))
    """
    if score is None:
        return ZERO
    reached = [b.add_rate for b in bands if Decimal(str(score)) >= b.min_score]
    return max(reached, default=ZERO)


def price(pricing: Pricing, grade: str, fraud_score: float | None) -> Price | None:
    """The annual rate for `grade` and `fraud_score`, or None when the grade is not priced.

    Parameters
    ----------
    pricing : Pricing
        The product's pricing terms.
    grade : str
        Credit grade, e.g. "B".
    fraud_score : float or None
        Fraud score in [0, 1]; None means no loading.

    Returns
    -------
    Price or None

    Examples
    --------
    >>> p = Pricing({"B": Decimal("0.08")}, {"B": Decimal("0.02")}, Decimal("0.05"),
    ...             Decimal("0.02"), Decimal("0.24"))
    >>> price(p, "B", None).annual_rate  # floor: 0.05 + 0.02 + 0.02
    Decimal('0.09')
    """
    if grade not in pricing.rate_by_grade or grade not in pricing.expected_loss_by_grade:
        return None
    base = pricing.rate_by_grade[grade]
    loading = fraud_loading(pricing.fraud_loading, fraud_score)
    expected_loss = pricing.expected_loss_by_grade[grade]
    floor = pricing.funding_cost + expected_loss + pricing.margin_floor
    rate = max(base + loading, floor)
    return Price(
        annual_rate=rate,
        grade=grade,
        base_rate=base,
        fraud_loading=loading,
        floor_rate=floor,
        floor_applied=base + loading < floor,
        funding_cost=pricing.funding_cost,
        expected_loss=expected_loss,
    )


def risk_adjusted_margin(p: Price, ltv: Decimal, lessor_fee_yield: Decimal = ZERO) -> Decimal:
    """Annual margin after funding and expected loss scaled by LTV, plus the lessor's fees.

    Examples
    --------
    >>> p = Price(Decimal("0.10"), "B", Decimal("0.10"), ZERO, ZERO, False, Decimal("0.04"),
    ...           Decimal("0.02"))
    >>> risk_adjusted_margin(p, Decimal("0.3"))
    Decimal('0.05')
    """
    scaled_loss = p.expected_loss * ltv / REFERENCE_LTV
    return p.annual_rate - p.funding_cost - scaled_loss + lessor_fee_yield


@dataclass(frozen=True)
class FeeCharge:
    fee_type: FeeType
    name_zh: str
    payee: Payee
    amount: Decimal
    financed: bool

    def as_dict(self) -> dict[str, str | bool]:
        return {
            "type": self.fee_type.value,
            "name_zh": self.name_zh,
            "payee": self.payee.value,
            "amount": str(self.amount),
            "financed": self.financed,
        }


def charge_fees(fees: Sequence[Fee], advanced: Decimal) -> tuple[FeeCharge, ...]:
    """Each fee's amount on `advanced` (the amount the customer actually receives)."""
    return tuple(
        FeeCharge(f.fee_type, f.name_zh, f.payee, f.amount(advanced), f.financed) for f in fees
    )


def financed_fees(charges: Sequence[FeeCharge]) -> Decimal:
    return sum((c.amount for c in charges if c.financed), ZERO)


def upfront_fees(charges: Sequence[FeeCharge]) -> Decimal:
    return sum((c.amount for c in charges if not c.financed), ZERO)


def fee_alerts(
    charges: Sequence[FeeCharge], financed_amount: Decimal, threshold: Decimal = FEE_ALERT_RATIO
) -> tuple[str, ...]:
    """FEES_ABOVE_THRESHOLD when total fees / financed amount exceeds `threshold`;
    FEE_FINANCED when any fee is added to principal (design implication 10)."""
    alerts: list[str] = []
    total = sum((c.amount for c in charges), ZERO)
    if financed_amount > 0 and total / financed_amount > threshold:
        alerts.append("FEES_ABOVE_THRESHOLD")
    if any(c.financed and c.amount > 0 for c in charges):
        alerts.append("FEE_FINANCED")
    return tuple(alerts)
