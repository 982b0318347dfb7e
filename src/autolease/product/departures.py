"""Where an offer departs from what was asked, and why (pure).

The matcher searches the catalogue's structures; the best one may not be what the customer
asked for. A direct or operating lease always finances the price less the cash down payment,
so a requested amount that does not add up, or a down payment above the product's maximum
share, moves the amount; a sale-and-leaseback lends on the car's appraisal, up to the LTV
cap of the applicant's grade; a flexible term may move to one the product offers or the
vehicle allows. `departures` names each moved field with what was requested, what is
offered and a reason code with an English and a Chinese text, so the offer never silently
ignores the request.

Codes (field: code — when):

``down_payment``: ``DOWN_PAYMENT_ABOVE_PRODUCT_MAX`` — the request is above the product's
maximum share of the price; ``DOWN_PAYMENT_ROUNDED`` — down to the grid step;
``DOWN_PAYMENT_LOWERED_FOR_FIT`` — a smaller one ranked better (more cash kept within every
limit); ``DOWN_PAYMENT_RAISED_TO_PRODUCT_MIN`` — up to the product's minimum share.
``amount``: ``AMOUNT_RAISED_BY_DOWN_PAYMENT_CAP`` / ``AMOUNT_IS_PRICE_LESS_DOWN_PAYMENT`` —
cash products finance the price less the down payment; ``AMOUNT_LOWERED_TO_LTV_CAP``,
``AMOUNT_LOWERED_TO_PRODUCT_MAX``, ``AMOUNT_RAISED_TO_PRODUCT_MIN``,
``AMOUNT_LOWERED_FOR_FIT`` — a sale-and-leaseback's amount.
``term_months``: ``TERM_NOT_OFFERED_BY_PRODUCT``, ``TERM_TOO_LONG_FOR_VEHICLE``,
``TERM_CHANGED_FOR_FIT``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from autolease.product.catalogue import LeaseProduct, term_gate
from autolease.product.changes import money
from autolease.product.request import (
    MatchRequest,
    base_value,
    floor_step,
    maximum_down_payment,
    minimum_down_payment,
)
from autolease.product.structures import Evaluation


@dataclass(frozen=True)
class Departure:
    """One field of the offer that differs from the request, and why."""

    field: str
    requested: Decimal | int
    offered: Decimal | int
    code: str
    message_en: str
    message_zh: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "requested": str(self.requested),
            "offered": str(self.offered),
            "code": self.code,
            "message_en": self.message_en,
            "message_zh": self.message_zh,
        }


def _pct(ratio: Decimal) -> str:
    return f"{ratio * 100:.0f}%"


def departures(ev: Evaluation, req: MatchRequest) -> tuple[Departure, ...]:
    """Every field of the offer `ev` that departs from the request, with its reason.

    In the order down payment, amount, term; empty when the offer is what was asked.
    """
    found: list[Departure] = []
    down = _down_payment(ev, req) if ev.product.cash_down_payment else None
    if down is not None:
        found.append(down)
    amount = _amount(ev, req, down)
    if amount is not None:
        found.append(amount)
    term = _term(ev, req)
    if term is not None:
        found.append(term)
    return tuple(found)


# ---- down payment (cash products) -------------------------------------------------------------


def _down_payment(ev: Evaluation, req: MatchRequest) -> Departure | None:
    asked, offered = req.needs.down_payment_available, ev.down_payment
    if offered == asked:
        return None
    product, settings = ev.product, req.settings
    value = base_value(product, req.vehicle)
    highest = maximum_down_payment(product, value, settings)
    step = settings.down_payment_step

    def made(code: str, en: str, zh: str) -> Departure:
        return Departure("down_payment", asked, offered, code, en, zh)

    if offered > asked:
        return made(
            "DOWN_PAYMENT_RAISED_TO_PRODUCT_MIN",
            f"down payment raised to {money(offered)}: this product needs at least"
            f" {_pct(product.down_payment_min_ratio)} of the price down",
            f"首付提高至{money(offered)}：该产品首付不低于车价的{_pct(product.down_payment_min_ratio)}",
        )
    if asked > highest and offered == highest:
        return made(
            "DOWN_PAYMENT_ABOVE_PRODUCT_MAX",
            f"down payment lowered to {money(offered)}: this product takes at most"
            f" {_pct(product.down_payment_max_ratio)} of the price as a down payment",
            f"首付降至{money(offered)}：该产品首付最多为车价的{_pct(product.down_payment_max_ratio)}",
        )
    if offered == floor_step(asked, step):
        return made(
            "DOWN_PAYMENT_ROUNDED",
            f"down payment rounded down to {money(offered)} (offers go in steps of {money(step)})",
            f"首付向下取整为{money(offered)}（方案以{money(step)}为单位）",
        )
    return made(
        "DOWN_PAYMENT_LOWERED_FOR_FIT",
        f"a smaller down payment of {money(offered)} was chosen: you keep"
        f" {money(asked - offered)} more in cash and every limit is still met",
        f"选择较低首付{money(offered)}：多保留现金{money(asked - offered)}，且仍满足各项限制",
    )


# ---- amount -------------------------------------------------------------------------------------


def _amount(ev: Evaluation, req: MatchRequest, down: Departure | None) -> Departure | None:
    asked = req.needs.amount_requested
    if asked is None or ev.advanced == asked:
        return None
    if ev.product.cash_down_payment:
        return _cash_amount(ev, req, asked, down)
    return _leaseback_amount(ev, req, asked)


def _cash_amount(
    ev: Evaluation, req: MatchRequest, asked: Decimal, down: Departure | None
) -> Departure:
    price, offered = req.vehicle.price, ev.advanced
    verb_en, verb_zh = ("raised", "提高") if offered > asked else ("lowered", "降低")
    if down is not None and down.code == "DOWN_PAYMENT_ABOVE_PRODUCT_MAX":
        ratio = _pct(ev.product.down_payment_max_ratio)
        return Departure(
            "amount", asked, offered, "AMOUNT_RAISED_BY_DOWN_PAYMENT_CAP",
            f"amount {verb_en} to {money(offered)}: this product takes at most {ratio} of the"
            f" {money(price)} price as a down payment, so the rest is financed",
            f"融资金额{verb_zh}至{money(offered)}：该产品首付最多为车价{money(price)}的{ratio}，"
            "其余部分需融资",
        )  # fmt: skip
    return Departure(
        "amount", asked, offered, "AMOUNT_IS_PRICE_LESS_DOWN_PAYMENT",
        f"amount {verb_en} to {money(offered)}: the amount financed is the price"
        f" {money(price)} less the down payment {money(ev.down_payment)}",
        f"融资金额{verb_zh}至{money(offered)}：融资金额为车价{money(price)}减去首付"
        f"{money(ev.down_payment)}",
    )  # fmt: skip


def _leaseback_amount(ev: Evaluation, req: MatchRequest, asked: Decimal) -> Departure:
    product, offered = ev.product, ev.advanced
    value = base_value(product, req.vehicle)
    cap = product.ltv_cap_by_grade.get(req.risk.grade, Decimal(0))
    most = value - minimum_down_payment(product, value, req.settings)

    def made(code: str, en: str, zh: str) -> Departure:
        return Departure("amount", asked, offered, code, en, zh)

    if offered > asked:
        return made(
            "AMOUNT_RAISED_TO_PRODUCT_MIN",
            f"amount raised to {money(offered)}: this product finances at least"
            f" {money(product.min_financed)}",
            f"融资金额提高至{money(offered)}：该产品最低融资{money(product.min_financed)}",
        )
    if asked > cap * req.vehicle.value_p50:
        return made(
            "AMOUNT_LOWERED_TO_LTV_CAP",
            f"amount lowered to {money(offered)}: for credit grade {req.risk.grade} this product"
            f" lends at most {_pct(cap)} of the car's value ({money(req.vehicle.value_p50)})",
            f"融资金额降至{money(offered)}：信用等级{req.risk.grade}在该产品下最多融资车辆估值"
            f"（{money(req.vehicle.value_p50)}）的{_pct(cap)}",
        )
    if asked > min(most, product.max_financed):
        return _lowered_to_max(product, asked, offered, value)
    return made(
        "AMOUNT_LOWERED_FOR_FIT",
        f"amount lowered to {money(offered)}: a smaller amount keeps the rent within your"
        " budget and income, or ranked better on cost",
        f"融资金额降至{money(offered)}：金额较小，月租金在预算和收入范围内，或综合成本更低",
    )


def _lowered_to_max(
    product: LeaseProduct, asked: Decimal, offered: Decimal, value: Decimal
) -> Departure:
    share = _pct(1 - product.down_payment_min_ratio)
    return Departure(
        "amount", asked, offered, "AMOUNT_LOWERED_TO_PRODUCT_MAX",
        f"amount lowered to {money(offered)}: this product lends at most {share} of the car's"
        f" appraised value ({money(value)}) and at most {money(product.max_financed)}",
        f"融资金额降至{money(offered)}：该产品最多融资车辆评估价（{money(value)}）的{share}，"
        f"且不超过{money(product.max_financed)}",
    )  # fmt: skip


# ---- term ---------------------------------------------------------------------------------------


def _term(ev: Evaluation, req: MatchRequest) -> Departure | None:
    asked = req.needs.term_months
    if asked is None or asked == ev.term_months:
        return None
    product, offered = ev.product, ev.term_months

    def made(code: str, en: str, zh: str) -> Departure:
        return Departure("term_months", asked, offered, code, en, zh)

    if asked not in product.terms_months:
        terms = ", ".join(str(t) for t in product.terms_months)
        return made(
            "TERM_NOT_OFFERED_BY_PRODUCT",
            f"term changed to {offered} months: this product runs for {terms} months only",
            f"租期调整为{offered}个月：该产品仅提供{terms}个月的租期",
        )
    if term_gate(product, asked, req.vehicle.age_years) is not None:
        return made(
            "TERM_TOO_LONG_FOR_VEHICLE",
            f"term shortened to {offered} months: the car is too old for a {asked}-month lease"
            " with this product",
            f"租期缩短为{offered}个月：车龄较大，该产品不能提供{asked}个月的租期",
        )
    return made(
        "TERM_CHANGED_FOR_FIT",
        f"term changed to {offered} months: it fits your budget and costs better",
        f"租期调整为{offered}个月：更符合您的预算和成本",
    )
