"""The reason-code catalogue: every code the system can emit (pure).

`entries.ENTRIES` holds the codes with fixed texts; the families are generated from the
tables that define them, so a new credit feature, grade or fraud input is catalogued when it
is declared: ``CREDIT_GRADE_<G>`` (credit stage), ``CREDIT_FACTOR_<FEATURE>``
(`credit.factors`) and ``FRAUD_FACTOR_<INPUT>`` (`fraud.features`). `extend` adds entries
from elsewhere (a new provider's codes) without editing this module. ``GET /v1/reason-codes``
serves `entries`; a test scans the source and the policies and fails when a code is missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from autolease.reasons.entries import ENTRIES, NOTHING, WAIT, Action, Entry

SEVERITIES = ("info", "refer", "decline")
KINDS = ("reason", "offer")
SHOWN_TO_SP_WHEN_INFO = frozenset({"NO_FEASIBLE_OFFER"})
"""Info-level reasons an SP acts on (why no offer could be made and what would help)."""
_EXTRA: dict[str, Entry] = {}

GRADE_WORDS = {
    "A": ("lowest risk", "风险最低"),
    "B": ("low risk", "风险较低"),
    "C": ("medium risk", "风险中等"),
    "D": ("high risk", "风险较高"),
    "E": ("highest risk", "风险最高"),
}


def _grades() -> list[Entry]:
    return [
        Entry(
            f"CREDIT_GRADE_{grade}",
            "credit",
            "info",
            f"credit grade {grade} ({en}), with the score and the estimated chance of not repaying",
            f"信用等级{grade}（{zh}），附评分和预计不能按时还款的概率",
            NOTHING,
        )
        for grade, (en, zh) in GRADE_WORDS.items()
    ]


def _credit_factors() -> list[Entry]:
    from autolease.credit.features import FEATURES
    from autolease.credit.stage import factor_code

    return [
        Entry(
            factor_code(f.name),
            "credit",
            "info",
            f"{f.description_en}: the applicant's value lowered the credit score; the reason "
            "says what the value is and why it raises the risk",
            f"{f.description_zh}：申请人的该项情况降低了信用评分；原因中说明具体数值及其风险",
            NOTHING,
        )
        for f in FEATURES
    ]


def _fraud_factors() -> list[Entry]:
    from autolease.fraud.features import FEATURES
    from autolease.fraud.reasons import factor_code

    return [
        Entry(
            factor_code(f.name),
            "fraud",
            "info",
            f"a sign that made the fraud check more cautious: {f.description}",
            f"使反欺诈核查更谨慎的迹象：{f.description}",
            WAIT,
        )
        for f in FEATURES
    ]


@cache
def _families() -> dict[str, Entry]:
    return {e.code: e for e in (*_grades(), *_credit_factors(), *_fraud_factors())}


def catalogue() -> dict[str, Entry]:
    """Every catalogued code: fixed entries, generated families and extensions."""
    return {**_families(), **ENTRIES, **_EXTRA}


def extend(extra: Iterable[Entry]) -> None:
    """Add entries (a code already catalogued is refused, so two texts never compete)."""
    known = catalogue()
    for entry in extra:
        if entry.code in known:
            raise ValueError(f"{entry.code} is already in the reason-code catalogue")
        _EXTRA[entry.code] = entry
        known[entry.code] = entry


def entries(
    *, stage: str | None = None, severity: str | None = None, kind: str | None = None
) -> list[Entry]:
    """Catalogued entries, by code, optionally only one stage, severity or kind."""
    return [
        e
        for _, e in sorted(catalogue().items())
        if (stage is None or e.stage == stage)
        and (severity is None or e.severity == severity)
        and (kind is None or e.kind == kind)
    ]


def shown_to_sp(code: str, severity: str, kind: str = "reason") -> bool:
    """Whether an SP sees this reason: not info-level noise, which stays on the staff view.

    >>> shown_to_sp("SELFIE_MISSING", "info"), shown_to_sp("NO_FEASIBLE_OFFER", "info")
    (False, True)
    """
    return kind == "offer" or severity != "info" or code in SHOWN_TO_SP_WHEN_INFO


def stages() -> tuple[str, ...]:
    return tuple(sorted({e.stage for e in catalogue().values()}))


__all__ = [
    "KINDS",
    "SEVERITIES",
    "Action",
    "Entry",
    "catalogue",
    "entries",
    "extend",
    "shown_to_sp",
    "stages",
]
