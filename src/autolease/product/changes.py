"""Constraint texts and the changes a customer can make, in English and Chinese (pure)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any

from autolease.product.kinds import Constraint
from autolease.product.request import CustomerNeeds

CONSTRAINT_TEXT: Mapping[Constraint, tuple[str, str]] = {
    Constraint.CATALOGUE_EMPTY: (
        "no lease product is active in the catalogue",
        "产品目录中没有启用的租赁产品",
    ),
    Constraint.PRODUCT_TYPE: ("no active product of the type requested", "没有所申请类型的产品"),
    Constraint.APPLICANT_KIND: (
        "no product accepts this kind of applicant",
        "没有产品接受该类承租人",
    ),
    Constraint.SELLER: (
        "the seller does not fit the product type: a sale-and-leaseback needs the vehicle"
        " registered to the lessee, a direct or operating lease a separate supplier",
        "卖方不符合产品类型要求：售后回租须车辆登记在承租人名下，直租或经营性租赁须由独立供应商出售",
    ),
    Constraint.NEW_ENERGY: ("no product accepts this powertrain", "没有产品接受该动力类型"),
    Constraint.MILEAGE: ("the mileage is above the products' limit", "行驶里程超过产品上限"),
    Constraint.GRADE: ("no product accepts this credit grade", "没有产品接受该信用等级"),
    Constraint.TERM: ("no product offers the term wanted", "没有产品提供所需期数"),
    Constraint.AGE_PLUS_TERM: ("vehicle age plus term is above the limit", "车龄加租期超过上限"),
    Constraint.LONG_TERM_AGE: (
        "terms this long are only for young vehicles",
        "该期限仅适用于车龄较短的车辆",
    ),
    Constraint.BALLOON_RESIDUAL: (
        "the balloon would be above the vehicle's residual value",
        "尾款将超过车辆残值上限",
    ),
    Constraint.DOWN_PAYMENT: (
        "the minimum down payment is more than the down payment available",
        "最低首付超过可用首付",
    ),
    Constraint.LTV: (
        "the amount financed is above the loan-to-value cap for the credit grade",
        "融资额超过该信用等级的抵押率上限",
    ),
    Constraint.FINANCED_LIMITS: (
        "the amount financed is outside the products' limits",
        "融资额超出产品限额",
    ),
    Constraint.BUDGET: ("the monthly payment is above the monthly budget", "月租金超过月预算"),
    Constraint.PAYMENT_TO_INCOME: (
        "the monthly payment is above the payment-to-income cap",
        "月租金超过月收入比例上限",
    ),
    Constraint.APR_CEILING: (
        "the APR including fees is above the product's ceiling",
        "含费用的年化利率超过产品上限",
    ),
}


class Lever(StrEnum):
    DOWN_PAYMENT = "down_payment"
    AMOUNT = "amount"
    MONTHLY_BUDGET = "monthly_budget"
    MONTHLY_INCOME = "monthly_income"
    TERM = "term"


@dataclass(frozen=True)
class Change:
    """A change to the request that makes an offer possible; `then` a second one it needs."""

    lever: Lever
    current: Decimal | int | None
    proposed: Decimal | int
    effort: float
    then: Change | None = None

    def text(self) -> tuple[str, str]:
        en, zh = self._own_text()
        if self.then is None:
            return en, zh
        then_en, then_zh = self.then.text()
        return f"{en} and {then_en}", f"{zh}，并且{then_zh}"

    def _own_text(self) -> tuple[str, str]:
        if self.lever is Lever.TERM:
            return (
                f"term {self.current} → {self.proposed} months",
                f"期数 {self.current} → {self.proposed} 期",
            )
        en, zh = LEVER_TEXT[self.lever]
        now = Decimal(self.current or 0)
        delta = Decimal(self.proposed) - now
        sign = "+" if delta >= 0 else "−"
        move = f"{money(now)} → {money(Decimal(self.proposed))}"
        step = f"{sign}{money(abs(delta))}"
        return f"{en} {move} ({step})", f"{zh} {move}（{step}）"

    def as_dict(self) -> dict[str, Any]:
        en, zh = self.text()
        return {
            "lever": self.lever.value,
            "current": None if self.current is None else str(self.current),
            "proposed": str(self.proposed),
            "effort": round(self.effort, 4),
            "message_en": en,
            "message_zh": zh,
            "then": None if self.then is None else self.then.as_dict(),
        }


LEVER_TEXT: Mapping[Lever, tuple[str, str]] = {
    Lever.DOWN_PAYMENT: ("down payment", "首付"),
    Lever.AMOUNT: ("amount financed", "融资金额"),
    Lever.MONTHLY_BUDGET: ("monthly budget", "月预算"),
    Lever.MONTHLY_INCOME: ("documented monthly income", "可证明月收入"),
}


def money(amount: Decimal) -> str:
    """¥ with thousands separators; whole yuan without decimals.

    >>> money(Decimal("8000")), money(Decimal("2393.55"))
    ('¥8,000', '¥2,393.55')
    """
    if amount == amount.to_integral_value():
        return f"¥{amount:,.0f}"
    return f"¥{amount:,.2f}"


def apply_change(needs: CustomerNeeds, change: Change) -> CustomerNeeds:
    """`needs` with `change` applied."""
    if change.lever is Lever.TERM:
        return replace(needs, term_months=int(change.proposed))
    amount = Decimal(change.proposed)
    if change.lever is Lever.DOWN_PAYMENT:
        return replace(needs, down_payment_available=amount)
    if change.lever is Lever.AMOUNT:
        return replace(needs, amount_requested=amount)
    if change.lever is Lever.MONTHLY_BUDGET:
        return replace(needs, monthly_budget=amount)
    return replace(needs, monthly_income=amount)
