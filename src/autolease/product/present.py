"""Offers and match results as JSON-safe dicts with English and Chinese explanations (pure).

Amounts leave as strings ("2393.55") so nothing is lost to floats; rates as fractions
("0.1187") with a percentage beside the APR. Every offer carries the product's terms snapshot
and its hash, so a later catalogue edit never changes an offer already made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from autolease.kit.money import round_money
from autolease.product.changes import CONSTRAINT_TEXT, Change, money
from autolease.product.departures import departures
from autolease.product.kinds import Constraint, ProductType
from autolease.product.matching import MatchResult, Offer
from autolease.product.request import MatchRequest
from autolease.product.schedule import Installment
from autolease.product.structures import Evaluation

RATE_PLACES = Decimal("0.000001")
TYPE_ZH = {
    ProductType.DIRECT_LEASE: "直租",
    ProductType.SALE_LEASEBACK: "售后回租",
    ProductType.OPERATING_LEASE: "经营性租赁",
}


@dataclass(frozen=True)
class Note:
    """Something the reader should know about the inputs (e.g. a fallback that was used)."""

    code: str
    message_en: str
    message_zh: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message_en": self.message_en, "message_zh": self.message_zh}


NOTE_VALUATION = Note(
    "VALUATION_FROM_ASKING_PRICE",
    "no valuation was available: the asking price stands in for the appraised value",
    "暂无评估价：以车辆报价代替评估价",
)
NOTE_RESIDUAL = Note(
    "RESIDUAL_ESTIMATED",
    "residual values estimated with the demo depreciation curve",
    "残值按示例折旧曲线估算",
)
NOTE_FRAUD = Note(
    "FRAUD_SCORE_MISSING",
    "no fraud score was available: no fraud loading",
    "暂无欺诈评分：未加收欺诈风险溢价",
)
NOTE_PROVISIONAL = Note(
    "OFFERS_PROVISIONAL",
    "provisional until the referral is reviewed",
    "转人工审核，方案待审核后确认",
)


def note_grade(default: str) -> Note:
    return Note(
        "GRADE_DEFAULTED",
        f"no credit grade was available: priced as grade {default}",
        f"暂无信用等级：按{default}级定价",
    )


def rate(value: Decimal) -> str:
    """A rate as a fraction string, 6 places."""
    return str(value.quantize(RATE_PLACES))


def percent(value: Decimal) -> str:
    """A fraction as a percentage with two decimals: Decimal('0.10769') → '10.77'."""
    return str(round_money(value * 100))


def _ratio(part: Decimal, whole: Decimal) -> Decimal:
    return part / whole if whole > 0 else Decimal(0)


def _balloon_text(ev: Evaluation) -> tuple[str, str]:
    if ev.balloon == 0:
        return "no balloon", "无尾款"
    if ev.product.product_type is ProductType.OPERATING_LEASE:
        return (
            f"residual {money(ev.balloon)} kept by the lessor (car returned at month"
            f" {ev.term_months})",
            f"残值{money(ev.balloon)}由出租人承担（第{ev.term_months}期末还车）",
        )
    return (
        f"balloon {money(ev.balloon)} due at month {ev.term_months}",
        f"弹性尾款{money(ev.balloon)}于第{ev.term_months}期末支付",
    )


def _afford_text(ev: Evaluation, req: MatchRequest) -> tuple[str, str]:
    budget, income = req.needs.monthly_budget, req.needs.monthly_income
    en: list[str] = []
    zh: list[str] = []
    if budget is not None:
        share = percent(_ratio(ev.max_payment, budget))
        en.append(f"{share}% of your {money(budget)} budget")
        zh.append(f"占月预算{money(budget)}的{share}%")
    if income is not None:
        share = percent(_ratio(ev.max_payment, income))
        en.append(f"{share}% of monthly income")
        zh.append(f"占月收入的{share}%")
    return (", " + " and ".join(en) if en else ""), ("，" + "，".join(zh) if zh else "")


def offer_texts(offer: Offer, req: MatchRequest) -> tuple[str, str]:
    """One-paragraph explanation of an offer in English and Chinese."""
    ev = offer.evaluation
    p = ev.product
    down_share = percent(_ratio(ev.down_payment, ev.down_payment + ev.advanced))
    balloon_en, balloon_zh = _balloon_text(ev)
    afford_en, afford_zh = _afford_text(ev, req)
    rent_en = "rent" if p.method.value == "level_payment" else "highest rent"
    rent_zh = "月租金" if p.method.value == "level_payment" else "最高月租金"
    floor_en = ", raised to the margin floor" if ev.price.floor_applied else ""
    floor_zh = "，已提至利润下限" if ev.price.floor_applied else ""
    en = (
        f"#{offer.rank} {p.name_en} ({p.code}), {ev.term_months} months:"
        f" {money(ev.down_payment)} down ({down_share}%), {balloon_en};"
        f" {rent_en} {money(ev.monthly_payment)} a month{afford_en}."
        f" APR {percent(ev.apr)}% including {money(ev.total_fees)} of fees"
        f" (rate {percent(ev.price.annual_rate)}% for grade {ev.price.grade}{floor_en})."
        f" Total cost of credit {money(ev.total_cost)}."
        f" Lessor risk-adjusted margin {percent(offer.margin)}%; score {offer.score:.3f}."
    )
    zh = (
        f"第{offer.rank}名 {p.name_zh}（{p.code}），{ev.term_months}期："
        f"首付{money(ev.down_payment)}（{down_share}%），{balloon_zh}；"
        f"{rent_zh}{money(ev.monthly_payment)}{afford_zh}。"
        f"年化利率{percent(ev.apr)}%（含费用{money(ev.total_fees)}；"
        f"信用等级{ev.price.grade}定价利率{percent(ev.price.annual_rate)}%{floor_zh}）。"
        f"融资总成本{money(ev.total_cost)}。"
        f"出租人风险调整后利差{percent(offer.margin)}%；综合评分{offer.score:.3f}。"
    )
    return en, zh


def installment_dict(row: Installment) -> dict[str, Any]:
    return {
        "number": row.number,
        "period": row.period,
        "kind": row.kind.value,
        "payment": str(row.payment),
        "principal": str(row.principal),
        "interest": str(row.interest),
        "balance_after": str(row.balance_after),
    }


def _product_dict(ev: Evaluation) -> dict[str, Any]:
    p = ev.product
    return {
        "code": p.code,
        "version": p.version,
        "name_en": p.name_en,
        "name_zh": p.name_zh,
        "type": p.product_type.value,
        "type_zh": TYPE_ZH[p.product_type],
        "terms_hash": p.terms_hash,
    }


def _money_fields(ev: Evaluation) -> dict[str, str]:
    return {
        "down_payment": str(ev.down_payment),
        "amount_advanced": str(ev.advanced),
        "financed_amount": str(ev.principal),
        "balloon": str(ev.balloon),
        "monthly_payment": str(ev.monthly_payment),
        "first_payment": str(ev.first_payment),
        "last_payment": str(ev.last_payment),
        "max_payment": str(ev.max_payment),
        "total_payments": str(ev.total_payments),
        "total_interest": str(ev.total_interest),
        "upfront_fees": str(ev.upfront_fees),
        "total_fees": str(ev.total_fees),
        "total_cost": str(ev.total_cost),
    }


def offer_dict(
    offer: Offer, req: MatchRequest, notes: Sequence[Note] = (), *, with_schedule: bool = False
) -> dict[str, Any]:
    """The offer as stored with the decision and returned by the quotes endpoint."""
    ev = offer.evaluation
    en, zh = offer_texts(offer, req)
    body: dict[str, Any] = {
        "rank": offer.rank,
        "product": _product_dict(ev),
        "term_months": ev.term_months,
        "method": ev.product.method.value,
        "schedule_type": ev.product.schedule_type.value,
        **_money_fields(ev),
        "currency": "CNY",
        "annual_rate": rate(ev.price.annual_rate),
        "apr": rate(ev.apr),
        "apr_percent": percent(ev.apr),
        "effective_annual_rate": rate(ev.effective_annual_rate),
        "ltv": rate(ev.ltv),
        "fees": [c.as_dict() for c in ev.charges],
        "alerts": list(offer.alerts),
        "risk_adjusted_margin": rate(offer.margin),
        "score": round(offer.score, 4),
        "explanation_en": en,
        "explanation_zh": zh,
        "departures": [d.as_dict() for d in departures(ev, req)],
        "notes": [n.as_dict() for n in notes],
        "product_terms": ev.product.terms,
    }
    if with_schedule:
        body["schedule"] = [installment_dict(r) for r in ev.schedule]
    return body


def no_offer_texts(binding: Constraint, changes: Sequence[Change]) -> tuple[str, str]:
    """Why nothing is offered and the smallest change that would help."""
    why_en, why_zh = CONSTRAINT_TEXT[binding]
    if not changes:
        return (
            f"No offer is possible: {why_en}; no single change to the request helps.",
            f"无可用方案：{why_zh}；单项调整无法解决。",
        )
    first_en, first_zh = changes[0].text()
    return (
        f"No offer is possible: {why_en}. Smallest change: {first_en}.",
        f"无可用方案：{why_zh}。最小调整：{first_zh}。",
    )


def result_dict(
    result: MatchResult,
    req: MatchRequest,
    notes: Sequence[Note] = (),
    *,
    with_schedule: bool = False,
) -> dict[str, Any]:
    """A whole match result (the quotes endpoint's body)."""
    body: dict[str, Any] = {
        "offers": [offer_dict(o, req, notes, with_schedule=with_schedule) for o in result.offers],
        "considered": result.considered,
        "feasible": result.feasible,
        "binding_constraint": result.binding.value if result.binding else None,
        "changes": [c.as_dict() for c in result.changes],
        "excluded_products": {code: c.value for code, c in sorted(result.gated.items())},
        "notes": [n.as_dict() for n in notes],
    }
    if result.binding is not None:
        body["message_en"], body["message_zh"] = no_offer_texts(result.binding, result.changes)
    return body
