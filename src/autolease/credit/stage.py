"""Credit stage (pure): PD, score, grade and the top adverse factors of every application.

The stage builds the declared features (`credit.features`) from the facts and what the
identity and vehicle stages (and, once connected, the bureau) put in ``ctx.features``,
scores them with the serving `CreditModel`, and writes ``credit_pd``, ``credit_score``,
``credit_grade`` and ``credit_factors`` into the features, ``ctx.model_versions["credit"]``
and INFO reasons: ``CREDIT_GRADE_<G>`` and one ``CREDIT_FACTOR_<FEATURE>`` per top adverse
factor, in words (`credit.factors`: the applicant's value and why it raises the risk). A
factor whose value cannot be adverse (a credit file that exists, no late payments) is never
reported, even when the model gives it points. Approving or declining is the policy's job.
Without a model it refers the application with ``CREDIT_MODEL_UNAVAILABLE``.

A *challenger* (a model in the challenger stage) scores the same inputs in shadow: its PD,
score and grade go to ``ctx.features["credit_challenger"]`` (stored with the decision), and
nothing reads them to decide.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from autolease.credit.factors import FactorText, describe
from autolease.credit.features import application_features
from autolease.credit.model import CreditAssessment, CreditModel, Factor
from autolease.origination.pipeline import DecisionContext, Severity

STAGE = "credit"
_UNSAFE = re.compile(r"[^A-Z0-9]+")
GRADE_TEXT = {
    "A": ("lowest risk", "风险最低"),
    "B": ("low risk", "风险较低"),
    "C": ("medium risk", "风险中等"),
    "D": ("high risk", "风险较高"),
    "E": ("highest risk", "风险最高"),
}


def factor_code(feature: str) -> str:
    """``CREDIT_FACTOR_<FEATURE>`` in upper case with non-alphanumerics as ``_``.

    >>> factor_code("ltv_on_asking_price")
    'CREDIT_FACTOR_LTV_ON_ASKING_PRICE'
    """
    return "CREDIT_FACTOR_" + _UNSAFE.sub("_", feature.upper()).strip("_")


@dataclass(frozen=True)
class CreditStage:
    """The pipeline's credit stage; ``model=None`` refers every application.

    ``enabled=False`` (settings ``credit.enabled = false``) skips the assessment: no
    features, no reasons, only a trace note; the policy's missing-PD rule then decides.
    """

    model: CreditModel | None
    top_reasons: int = 3
    enabled: bool = True
    name: str = STAGE
    challenger: CreditModel | None = None

    def run(self, ctx: DecisionContext) -> str:
        if not self.enabled:
            return "credit assessment disabled in settings"
        if self.model is None:
            ctx.add_reason(
                "CREDIT_MODEL_UNAVAILABLE",
                STAGE,
                Severity.REFER,
                "no credit model is registered; manual credit review needed",
                "未注册信用模型，需人工信用审核",
            )
            return "no credit model"
        values = application_features(ctx.facts, ctx.features, ctx.business_date)
        everything = len(self.model.schema.names) if self.top_reasons > 0 else 0
        result = self.model.assess(values, top=everything)
        _write(ctx, result, self.model.ref, _adverse(result.factors, values, self.top_reasons))
        if self.challenger is not None:
            _shadow(ctx, self.challenger.assess(values, top=0), self.challenger.ref)
        missing = sum(1 for name in self.model.schema.names if values.get(name) is None)
        return f"{self.model.ref}; {missing} of {len(self.model.schema.names)} inputs missing"


Described = tuple[tuple[Factor, FactorText], ...]


def _adverse(factors: tuple[Factor, ...], values: Mapping[str, Any], top: int) -> Described:
    """The first `top` factors whose value can be adverse, each with its text."""
    found: list[tuple[Factor, FactorText]] = []
    for factor in factors:
        label = factor.label
        text = describe(
            factor.feature, values.get(factor.feature), label_en=label.en, label_zh=label.zh
        )
        if text is not None:
            found.append((factor, text))
        if len(found) >= top:
            break
    return tuple(found)


def _write(ctx: DecisionContext, result: CreditAssessment, ref: str, factors: Described) -> None:
    ctx.features["credit_pd"] = round(result.pd, 6)
    ctx.features["credit_score"] = round(result.score, 1)
    ctx.features["credit_grade"] = result.grade
    ctx.features["credit_factors"] = [f.feature for f, _ in factors]
    ctx.model_versions["credit"] = ref
    en, zh = GRADE_TEXT[result.grade]
    ctx.add_reason(
        f"CREDIT_GRADE_{result.grade}",
        STAGE,
        Severity.INFO,
        f"credit grade {result.grade} ({en}), score {result.score:.0f}, PD {result.pd:.2%}",
        f"信用等级{result.grade}（{zh}），评分{result.score:.0f}，违约概率{result.pd:.2%}",
    )
    for factor, text in factors:
        _add_factor(ctx, factor, text)


def _shadow(ctx: DecisionContext, result: CreditAssessment, ref: str) -> None:
    ctx.features["credit_challenger"] = {
        "model": ref,
        "pd": round(result.pd, 6),
        "score": round(result.score, 1),
        "grade": result.grade,
    }


def _add_factor(ctx: DecisionContext, factor: Factor, text: FactorText) -> None:
    ctx.add_reason(
        factor_code(factor.feature),
        STAGE,
        Severity.INFO,
        f"{text.en} (lowers the credit score by {factor.points:.0f} points)",
        f"{text.zh}（信用评分扣{factor.points:.0f}分）",
    )
