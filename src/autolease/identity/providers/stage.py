"""External-checks stage (pure): reason codes from the providers' answers (docs/domain.md §4.2).

`service.IdentityChecksPrefetcher` puts the answers in ``ctx.features`` before the stages
run; this stage reads them and adds reasons. It runs after the identity stage (or the
identity stage calls `assess_checks`). The policy makes the final call; severities here are
the defaults of docs/domain.md §6.12, §3.4, §3.6, §6.8 and §6.9:

=============================  ========  ==================================================
code                           severity  when
=============================  ========  ==================================================
CARRIER_3F_MISMATCH            refer     name + ID + mobile disagree with the carrier
CARRIER_NOT_FOUND              refer     the carrier has no real-name record of the mobile
PHONE_INACTIVE                 refer     the line is not in service
PHONE_TENURE_SHORT             info      in service for less than ``min_tenure_months`` (6)
BANK_CARD_4F_MISMATCH          refer     the card is not the applicant's (4-factor)
BANK_CARD_NOT_FOUND            refer     the issuer does not know the card
BUREAU_THIN_FILE               info      no credit file (白户)
BUREAU_MULTI_LENDING           refer     hard queries 90d > 6, or institutions applied 30d
                                         ≥ 5, or open credit institutions ≥ 5 (§2.4)
COURT_DISHONEST                decline   on the judgment-defaulter list (失信被执行人)
COURT_SPENDING_BAN             decline   under a spending ban (限制高消费)
COURT_ENFORCED                 refer     subject of enforcement (被执行人)
CARRIER_CHECK_TIMEOUT          refer     the carrier did not answer within the time limit
BANK_CARD_CHECK_TIMEOUT        refer     the card issuer did not answer in time
BUREAU_TIMEOUT                 refer     the bureau did not answer in time
COURT_CHECK_TIMEOUT            refer     the court lists did not answer in time
<CHECK>_UNAVAILABLE            refer     a configured provider failed, or its circuit
                                         breaker is open after repeated failures
=============================  ========  ==================================================

The policy also refers such an application for the missing data (DATA_MISSING_HARD_QUERIES_90D
…); the codes above say why it is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from autolease.origination.pipeline import DecisionContext, Severity
from autolease.reasons.entries import text

STAGE = "identity_checks"
UNAVAILABLE = "unavailable"
TIMEOUT = "timeout"
CIRCUIT_OPEN = "circuit_open"


@dataclass(frozen=True)
class ChecksPolicy:
    """Thresholds of the multi-lending rule and the tenure note (configurable, §2.4)."""

    min_tenure_months: int = 6
    max_hard_queries_90d: int = 6
    max_institutions_applied_30d: int = 4
    max_open_credit_institutions: int = 4


_SEVERITIES: Mapping[str, Severity] = {
    "CARRIER_3F_MISMATCH": Severity.REFER,
    "CARRIER_NOT_FOUND": Severity.REFER,
    "PHONE_INACTIVE": Severity.REFER,
    "PHONE_TENURE_SHORT": Severity.INFO,
    "BANK_CARD_4F_MISMATCH": Severity.REFER,
    "BANK_CARD_NOT_FOUND": Severity.REFER,
    "BUREAU_THIN_FILE": Severity.INFO,
    "BUREAU_MULTI_LENDING": Severity.REFER,
    "COURT_DISHONEST": Severity.DECLINE,
    "COURT_SPENDING_BAN": Severity.DECLINE,
    "COURT_ENFORCED": Severity.REFER,
    "CARRIER_CHECK_UNAVAILABLE": Severity.REFER,
    "BANK_CARD_CHECK_UNAVAILABLE": Severity.REFER,
    "BUREAU_UNAVAILABLE": Severity.REFER,
    "COURT_CHECK_UNAVAILABLE": Severity.REFER,
    "CARRIER_CHECK_TIMEOUT": Severity.REFER,
    "BANK_CARD_CHECK_TIMEOUT": Severity.REFER,
    "BUREAU_TIMEOUT": Severity.REFER,
    "COURT_CHECK_TIMEOUT": Severity.REFER,
}
_MESSAGES: Mapping[str, tuple[Severity, str, str]] = {
    code: (severity, *text(code)) for code, severity in _SEVERITIES.items()
}  # the texts are the catalogue's (`reasons.entries`)
CODES = tuple(_MESSAGES)


def _failure_codes(status: object, unavailable: str, timeout: str) -> list[str]:
    """The reason for a provider that gave no answer (none when it answered)."""
    if status == TIMEOUT:
        return [timeout]
    if status in (UNAVAILABLE, CIRCUIT_OPEN):
        return [unavailable]
    return []


def _carrier(features: Mapping[str, Any], policy: ChecksPolicy) -> list[str]:
    status = features.get("carrier_status")
    codes = {
        "mismatch": ["CARRIER_3F_MISMATCH"],
        "not_found": ["CARRIER_NOT_FOUND"],
    }.get(str(status)) or _failure_codes(
        status, "CARRIER_CHECK_UNAVAILABLE", "CARRIER_CHECK_TIMEOUT"
    )
    if features.get("phone_line_active") is False:
        codes.append("PHONE_INACTIVE")
    tenure = features.get("phone_tenure_months")
    if isinstance(tenure, int) and tenure < policy.min_tenure_months:
        codes.append("PHONE_TENURE_SHORT")
    return codes


def _card(features: Mapping[str, Any]) -> list[str]:
    status = features.get("bank_card_status")
    return {
        "mismatch": ["BANK_CARD_4F_MISMATCH"],
        "not_found": ["BANK_CARD_NOT_FOUND"],
    }.get(str(status)) or _failure_codes(
        status, "BANK_CARD_CHECK_UNAVAILABLE", "BANK_CARD_CHECK_TIMEOUT"
    )


def _over(features: Mapping[str, Any], name: str, limit: int) -> bool:
    value = features.get(name)
    return isinstance(value, int) and value > limit


def _bureau(features: Mapping[str, Any], policy: ChecksPolicy) -> list[str]:
    failed = _failure_codes(features.get("bureau_status"), "BUREAU_UNAVAILABLE", "BUREAU_TIMEOUT")
    if failed:
        return failed
    codes = []
    if features.get("thin_file") is True:
        codes.append("BUREAU_THIN_FILE")
    if (
        _over(features, "hard_queries_90d", policy.max_hard_queries_90d)
        or _over(features, "institutions_applied_30d", policy.max_institutions_applied_30d)
        or _over(features, "open_credit_institutions", policy.max_open_credit_institutions)
    ):
        codes.append("BUREAU_MULTI_LENDING")
    return codes


def _court(features: Mapping[str, Any]) -> list[str]:
    failed = _failure_codes(
        features.get("court_status"), "COURT_CHECK_UNAVAILABLE", "COURT_CHECK_TIMEOUT"
    )
    if failed:
        return failed
    pairs = (
        ("court_dishonest", "COURT_DISHONEST"),
        ("court_spending_ban", "COURT_SPENDING_BAN"),
        ("court_enforced", "COURT_ENFORCED"),
    )
    return [code for name, code in pairs if features.get(name) is True]


def check_codes(features: Mapping[str, Any], policy: ChecksPolicy | None = None) -> list[str]:
    """Reason codes the providers' answers in `features` call for, in a fixed order.

    Parameters
    ----------
    features : mapping
        ``ctx.features`` with the prefetcher's keys.
    policy : ChecksPolicy, optional

    Returns
    -------
    list of str

    Examples
    --------
    >>> check_codes({"carrier_status": "match", "phone_tenure_months": 3,
    ...              "court_dishonest": True, "hard_queries_90d": 9})
    ['PHONE_TENURE_SHORT', 'BUREAU_MULTI_LENDING', 'COURT_DISHONEST']
    """
    policy = policy or ChecksPolicy()
    return [
        *_carrier(features, policy),
        *_card(features),
        *_bureau(features, policy),
        *_court(features),
    ]


def assess_checks(ctx: DecisionContext, policy: ChecksPolicy | None = None) -> int:
    """Add the reasons of `check_codes` to `ctx`; return how many were added."""
    codes = check_codes(ctx.features, policy)
    for code in codes:
        severity, en, zh = _MESSAGES[code]
        ctx.add_reason(code, STAGE, severity, en, zh)
    return len(codes)


@dataclass(frozen=True)
class ExternalChecksStage:
    """Pipeline stage: reasons from the identity providers' answers."""

    policy: ChecksPolicy = ChecksPolicy()
    name: str = STAGE

    def run(self, ctx: DecisionContext) -> str:
        if "identity_checks" not in ctx.features:
            return "no provider data (identity checks prefetcher not configured)"
        added = assess_checks(ctx, self.policy)
        return f"{added} finding(s)" if added else ""
