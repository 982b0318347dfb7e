"""What a credit factor means to a person: the applicant's value and why it raises risk (pure).

The model says which inputs cost score points (`credit.model`); this module says, in plain
Chinese and English, what the applicant's value of each input is and why such a value raises
the risk, for example "no credit file at the credit bureau: there is no borrowing history to
show how you repay". A value that cannot be adverse (a credit file that exists, no late
payments, no court record) gives no text, and the stage then does not report it, whatever
the model's attribution: a gradient-boosting attribution can give a few points to a harmless
value through its interactions with other inputs, and "adverse: has a credit file" helps
nobody.

Every feature of `credit.features.FEATURES` has a text here (a test checks it).

>>> describe("has_credit_file", 0.0).en
'no credit file at the credit bureau: there is no borrowing history to show how you repay'
>>> describe("has_credit_file", 1.0) is None
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FactorText:
    """One adverse factor, in words: what the value is, and why it raises the risk."""

    en: str
    zh: str


Describer = Callable[[Any], FactorText | None]


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, str):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else number


def _yes(value: Any) -> bool | None:
    number = _number(value)
    if number is not None:
        return number >= 0.5
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def _count(why_en: str, why_zh: str) -> Describer:
    """A count where 0 is harmless; ``why_*`` take the count as ``{n}``."""

    def describe_count(value: Any) -> FactorText | None:
        number = _number(value)
        if number is None or number <= 0:
            return None
        n = f"{number:.0f}"
        return FactorText(why_en.format(n=n), why_zh.format(n=n))

    return describe_count


def _flag(true_en: str, true_zh: str) -> Describer:
    """A yes/no record that is adverse only when present."""

    def describe_flag(value: Any) -> FactorText | None:
        return FactorText(true_en, true_zh) if _yes(value) else None

    return describe_flag


def _scaled(fmt: Callable[[float], str], why_en: str, why_zh: str) -> Describer:
    """A number shown with ``fmt`` as ``{v}`` in ``why_*`` (adverse when the model says so)."""

    def describe_number(value: Any) -> FactorText | None:
        number = _number(value)
        if number is None:
            return None
        v = fmt(number)
        return FactorText(why_en.format(v=v), why_zh.format(v=v))

    return describe_number


def _choice(texts: dict[str, tuple[str, str]]) -> Describer:
    """A category: one text per value; a value without a text is not reported."""

    def describe_choice(value: Any) -> FactorText | None:
        found = texts.get(str(value)) if value is not None else None
        return FactorText(*found) if found else None

    return describe_choice


def _has_credit_file(value: Any) -> FactorText | None:
    if _yes(value) is False:
        return FactorText(
            "no credit file at the credit bureau: there is no borrowing history to show how "
            "you repay",
            "征信中心没有您的信用记录：没有借贷历史，无法判断还款习惯",
        )
    return None


def _fuel(value: Any) -> FactorText | None:
    return FactorText(
        f"the car's powertrain ({value}): cars of this kind have lost value faster or "
        "defaulted more in past leases",
        f"动力类型（{value}）：以往该类车辆贬值较快或违约较多",
    )


def _whole(v: float) -> str:
    return f"{v:.0f}"


def _one_place(v: float) -> str:
    return f"{v:.1f}"


def _yuan(v: float) -> str:
    return f"¥{v:,.0f}"


def _km(v: float) -> str:
    return f"{v:,.0f}"


DESCRIBERS: dict[str, Describer] = {
    "applicant_age": _scaled(
        _whole,
        "applicant aged {v}: people of this age have repaid less reliably in past leases",
        "申请人{v}岁：以往租赁中该年龄段的还款表现较弱",
    ),
    "applicant_kind": _choice(
        {
            "corporate": (
                "the applicant is a company: company leases have defaulted more often",
                "申请人为企业：以往企业租赁的违约率较高",
            ),
            "individual": (
                "the applicant is a person, with no company behind the lease",
                "申请人为个人：租赁没有企业担保",
            ),
        }
    ),
    "monthly_income_yuan": _scaled(
        _yuan,
        "monthly income of {v}: a lower income leaves less room to pay the rent",
        "月收入{v}：收入较低，支付月租金的余地较小",
    ),
    "payment_to_income": _scaled(
        _pct,
        "the monthly rent would take {v} of your income: little is left for other costs",
        "月租金将占月收入的{v}：支付其他开支的余地小",
    ),
    "debt_to_income": _scaled(
        lambda v: f"{v:.1f}",
        "existing debts are {v} times your yearly income: you already owe a lot",
        "现有负债是年收入的{v}倍：已有负债较重",
    ),
    "amount_yuan": _scaled(
        _yuan,
        "financing {v}: larger amounts have defaulted more often",
        "融资金额{v}：金额越大，以往违约越多",
    ),
    "term_months": _scaled(
        _whole,
        "a {v}-month term: the longer the lease, the more can change before it ends",
        "租期{v}个月：期限越长，期间情况变化的风险越大",
    ),
    "down_payment_ratio": _scaled(
        _pct,
        "a down payment of {v} of the price: little of your own money goes into the car",
        "首付为车价的{v}：自有资金投入较少",
    ),
    "ltv_on_asking_price": _scaled(
        _pct,
        "financing {v} of the asking price: little of the car is paid for up front",
        "融资额为车辆报价的{v}：首期支付较少",
    ),
    "ltv_on_valuation": _scaled(
        _pct,
        "financing {v} of the car's appraised value: selling the car may not cover the debt",
        "融资额为车辆评估价的{v}：处置车辆可能不足以还清欠款",
    ),
    "price_to_value": _scaled(
        _pct,
        "the price is {v} of the car's appraised value: the car may be worth less than paid",
        "车价为评估价的{v}：车辆可能不值这个价格",
    ),
    "vehicle_age_years": _scaled(
        _one_place,
        "the car is {v} years old: older cars lose value faster and break down more",
        "车龄{v}年：车龄越大，贬值越快、故障越多",
    ),
    "mileage_km": _scaled(
        _km,
        "{v} km on the odometer: a high mileage lowers the car's value",
        "行驶里程{v}公里：里程越高，车辆价值越低",
    ),
    "product_type": _choice(
        {
            "direct_lease": (
                "a direct lease (直租): this product has had more defaults in past leases",
                "直租产品：以往该产品违约较多",
            ),
            "sale_leaseback": (
                "a sale-and-leaseback (售后回租): cash raised on your own car has defaulted more",
                "售后回租：以自有车辆融资，以往违约较多",
            ),
            "operating_lease": (
                "an operating lease (经营性租赁): this product has had more defaults",
                "经营性租赁：以往该产品违约较多",
            ),
        }
    ),
    "seller_type": _choice(
        {
            "individual": (
                "the car is bought from a private seller: the price and the car are harder "
                "to check",
                "从个人卖家购车：车价和车况较难核实",
            ),
            "lessee": (
                "you sell your own car to the lessor and lease it back",
                "将自有车辆出售给出租人后再租回",
            ),
            "dealer": (
                "the car is bought from a dealer whose sales have defaulted more often",
                "经销商购车：该渠道以往违约较多",
            ),
        }
    ),
    "lead_source": _choice(
        {
            "direct": (
                "the application came directly, without an SP who knows you",
                "直接进件：没有熟悉申请人的服务商",
            ),
            "partner_referral": (
                "the application came through a partner referral, which has defaulted more",
                "合作方推荐进件：以往该渠道违约较多",
            ),
            "sp": (
                "the application came through an SP channel that has defaulted more often",
                "服务商进件：以往该渠道违约较多",
            ),
        }
    ),
    "fuel_type": _fuel,
    "sp_grade": _choice(
        {
            grade: (
                f"the SP that sent the application is graded {grade}: its past applications "
                "have defaulted more often",
                f"进件服务商等级为{grade}：其以往进件的违约较多",
            )
            for grade in ("B", "C", "D")
        }
    ),
    "phone_tenure_months": _scaled(
        _whole,
        "your mobile number has been in use for only {v} months: a new number says less "
        "about stability",
        "手机号仅使用{v}个月：新号码难以说明稳定性",
    ),
    "has_credit_file": _has_credit_file,
    "credit_history_years": _scaled(
        _one_place,
        "a credit history of only {v} years: a short history says little about how you repay",
        "信用历史仅{v}年：历史较短，难以判断还款习惯",
    ),
    "hard_queries_90d": _count(
        "lenders checked your credit {n} times in 90 days: applying to many lenders at once "
        "is a sign of money pressure",
        "近90天有{n}次机构查询征信：短期内多头申请，可能资金紧张",
    ),
    "institutions_applied_30d": _count(
        "you applied to {n} lenders in 30 days: many applications at once are a sign of money "
        "pressure",
        "近30天向{n}家机构申请借款：短期内多头申请，可能资金紧张",
    ),
    "open_credit_institutions": _count(
        "you have open loans with {n} lenders: borrowing from many lenders raises the risk of "
        "falling behind",
        "在{n}家机构有未结清借款：多头借贷，逾期风险较高",
    ),
    "delinquencies_24m": _count(
        "{n} late payments in the last 24 months: past late payments often repeat",
        "近24个月逾期{n}次：以往的逾期往往会重复",
    ),
    "max_dpd_24m": _count(
        "a payment was up to {n} days late in the last 24 months: the longer the delay, the "
        "higher the risk",
        "近24个月最长逾期{n}天：逾期越久，风险越高",
    ),
    "court_enforced": _flag(
        "a court has ordered you to pay a debt (被执行人): an unpaid judgment raises the risk",
        "有被执行记录：法院曾强制执行您的债务",
    ),
    "court_dishonest": _flag(
        "you are on the court's list of judgment defaulters (失信被执行人): a court order was "
        "not obeyed",
        "被列为失信被执行人：未履行法院生效判决",
    ),
}
"""The describer of every credit feature (None from a describer: the value is not adverse)."""

MISSING = FactorText(
    "{label_en} is not known: it could not be checked, so the assessment is more cautious",
    "{label_zh}未知：无法核实，因此评估更谨慎",
)


def describe(
    feature: str, value: Any, *, label_en: str = "", label_zh: str = ""
) -> FactorText | None:
    """The text of an adverse factor, or None when ``value`` cannot be adverse.

    A missing value (None) is described as unknown with the feature's label (for a count or a
    court record too: not knowing is what costs points then). A feature without a describer
    is named by its label only.
    """
    if value is None:
        return FactorText(
            MISSING.en.format(label_en=label_en or feature),
            MISSING.zh.format(label_zh=label_zh or feature),
        )
    describer = DESCRIBERS.get(feature)
    if describer is None:
        return FactorText(label_en or feature, label_zh or feature)
    return describer(value)
