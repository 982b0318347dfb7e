"""Offers say where and why they depart from the requested amount, term or down payment.

Hand-worked on the test product T-DL (down payment 20-50 % of the price, terms 12/24/36,
LTV caps A 80 %, B 70 %, C 60 %, grid step ¥100).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from autolease.product.departures import departures
from autolease.product.matching import match
from autolease.product.present import offer_dict
from autolease.product.structures import Plan, evaluate, make_plan
from tests.product import helpers as h

D = Decimal


def _plan(req: Any, **product: Any) -> Plan:
    plan = make_plan(h.product(**product), req)
    assert isinstance(plan, Plan)
    return plan


def _fields(found: tuple[Any, ...]) -> list[tuple[str, str, str, str]]:
    return [(d.field, str(d.requested), str(d.offered), d.code) for d in found]


def test_an_offer_as_asked_departs_from_nothing() -> None:
    req = h.request()  # price ¥120,000, ¥40,000 down, ¥80,000 asked, 36 months
    ev = evaluate(_plan(req), req, 36, D(40000), D(0))
    assert departures(ev, req) == ()


def test_the_reported_case_down_payment_capped_and_amount_raised() -> None:
    # asked ¥15,000 with ¥110,000 down on a ¥127,400 car; the product takes at most 50 %
    # down: 0.5 x 127,400 = ¥63,700 down, so ¥127,400 - ¥63,700 = ¥63,700 is financed
    vehicle = h.vehicle(price=D(127400), value_p10=D(120000), value_p50=D(127400))
    needs = h.needs(down_payment_available=D(110000), amount_requested=D(15000))
    req = h.request(grade="A", needs_=needs, vehicle_=vehicle)
    found = departures(evaluate(_plan(req), req, 36, D(63700), D(0)), req)
    assert _fields(found) == [
        ("down_payment", "110000", "63700", "DOWN_PAYMENT_ABOVE_PRODUCT_MAX"),
        ("amount", "15000", "63700", "AMOUNT_RAISED_BY_DOWN_PAYMENT_CAP"),
    ]
    down, amount = found
    assert down.message_en == (
        "down payment lowered to ¥63,700: this product takes at most 50% of the price as a"
        " down payment"
    )
    assert down.message_zh == "首付降至¥63,700：该产品首付最多为车价的50%"
    assert "amount raised to ¥63,700" in amount.message_en
    assert "¥127,400" in amount.message_en
    assert amount.message_zh.startswith("融资金额提高至¥63,700")


def test_a_smaller_down_payment_chosen_for_fit_moves_the_amount() -> None:
    req = h.request()  # asked ¥40,000 down and ¥80,000 on a ¥120,000 car
    found = departures(evaluate(_plan(req), req, 36, D(30000), D(0)), req)
    assert _fields(found) == [
        ("down_payment", "40000", "30000", "DOWN_PAYMENT_LOWERED_FOR_FIT"),
        ("amount", "80000", "90000", "AMOUNT_IS_PRICE_LESS_DOWN_PAYMENT"),
    ]
    assert "you keep ¥10,000 more in cash" in found[0].message_en
    assert found[1].message_en == (
        "amount raised to ¥90,000: the amount financed is the price ¥120,000 less the down"
        " payment ¥30,000"
    )


def test_a_down_payment_off_the_grid_is_rounded() -> None:
    req = h.request(needs_=h.needs(down_payment_available=D(40050)))
    found = departures(evaluate(_plan(req), req, 36, D(40000), D(0)), req)
    assert _fields(found) == [("down_payment", "40050", "40000", "DOWN_PAYMENT_ROUNDED")]
    assert found[0].message_zh == "首付向下取整为¥40,000（方案以¥100为单位）"


def test_a_term_the_product_does_not_run() -> None:
    req = h.request(needs_=h.needs(term_months=30, flexible_term=True))
    found = departures(evaluate(_plan(req), req, 36, D(40000), D(0)), req)
    assert _fields(found) == [("term_months", "30", "36", "TERM_NOT_OFFERED_BY_PRODUCT")]
    assert "12, 24, 36 months only" in found[0].message_en


def test_a_term_too_long_for_an_old_car() -> None:
    # long terms (above 36 months) only for cars up to 3 years old; this one is 4
    req = h.request(
        needs_=h.needs(term_months=48, flexible_term=True), vehicle_=h.vehicle(age_years=D(4))
    )
    plan = _plan(req, terms_months=[12, 24, 36, 48])
    found = departures(evaluate(plan, req, 36, D(40000), D(0)), req)
    assert _fields(found) == [("term_months", "48", "36", "TERM_TOO_LONG_FOR_VEHICLE")]


def test_a_leaseback_amount_lowered_to_the_ltv_cap() -> None:
    # grade C lends at most 60 % of the ¥100,000 appraisal: ¥60,000 of the ¥80,000 asked
    req = h.request(
        grade="C",
        needs_=h.needs(product_type="sale_leaseback", down_payment_available=D(0)),
        vehicle_=h.vehicle(
            price=D(100000), value_p10=D(95000), value_p50=D(100000), seller_type="lessee"
        ),
    )
    plan = _plan(req, product_type="sale_leaseback", code="T-LB")
    found = departures(evaluate(plan, req, 36, D(40000), D(0)), req)
    assert _fields(found) == [("amount", "80000", "60000", "AMOUNT_LOWERED_TO_LTV_CAP")]
    assert "grade C" in found[0].message_en
    assert "60%" in found[0].message_en
    assert "信用等级C" in found[0].message_zh


def test_offers_carry_their_departures_from_the_matcher() -> None:
    vehicle = h.vehicle(price=D(127400), value_p10=D(120000), value_p50=D(127400))
    needs = h.needs(
        down_payment_available=D(110000), amount_requested=D(15000), monthly_budget=None
    )
    req = h.request(grade="A", needs_=needs, vehicle_=vehicle)
    result = match(h.catalogue(), req)
    assert result.offers
    for offer in result.offers:
        body = offer_dict(offer, req)
        by_field = {d["field"]: d for d in body["departures"]}
        assert by_field["down_payment"]["requested"] == "110000"
        assert by_field["down_payment"]["offered"] == body["down_payment"]
        assert by_field["amount"]["offered"] == body["amount_advanced"]
        assert all(d["message_en"] and d["message_zh"] for d in body["departures"])
