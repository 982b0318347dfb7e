"""The review's vocabulary (pure): verdicts, review reason codes, document kinds, the
queue's amount bands and age bands against the SLA.

Review reason codes are lower-case on purpose: they are the reviewer's structured reason for
a verdict, not reason codes of an automated decision (``reasons.catalogue``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum


class Verdict(StrEnum):
    APPROVE = "approve"
    DECLINE = "decline"
    REQUEST_INFORMATION = "request_information"
    APPROVE_CHANGED = "approve_changed"


class CaseState(StrEnum):
    OPEN = "open"
    INFO_REQUESTED = "info_requested"
    AWAITING_CONFIRMATION = "awaiting_confirmation"
    CLOSED = "closed"


HUMAN_REVIEW_REASON = "APPLICANT_REVIEW_REQUESTED"
"""The case reason (queue filter `reason`) of a case the applicant asked a person to review;
its stage is `applicant`."""
HUMAN_REVIEW_STAGE = "applicant"

QUEUE_STATES = (CaseState.OPEN, CaseState.AWAITING_CONFIRMATION, CaseState.INFO_REQUESTED)

REASON_CODES: dict[Verdict, tuple[str, ...]] = {
    Verdict.APPROVE: (
        "documents_verified",
        "identity_confirmed",
        "risk_acceptable",
        "policy_exception",
    ),
    Verdict.APPROVE_CHANGED: ("affordability_restructured", "ltv_restructured", "policy_exception"),
    Verdict.DECLINE: (
        "identity_doubt",
        "fraud_suspected",
        "affordability",
        "vehicle_value",
        "documents_not_provided",
        "policy_rule",
    ),
    Verdict.REQUEST_INFORMATION: (
        "identity_documents_needed",
        "income_proof_needed",
        "vehicle_documents_needed",
        "clarification_needed",
    ),
}
"""The review reason codes each verdict accepts."""

ALL_REASON_CODES: tuple[str, ...] = tuple(
    sorted({code for codes in REASON_CODES.values() for code in codes})
)

DOCUMENT_KINDS: tuple[str, ...] = (
    "id_card_front",
    "id_card_back",
    "vehicle_licence",
    "registration_certificate",
    "bank_card",
    "income_proof",
)
"""Document kinds a checklist item may name; any other need is a free-text item."""

FINAL_STATUS = {
    Verdict.APPROVE: "approved",
    Verdict.APPROVE_CHANGED: "approved",
    Verdict.DECLINE: "declined",
    Verdict.REQUEST_INFORMATION: "info_requested",
}
FINAL_OUTCOME = {
    Verdict.APPROVE: "approve",
    Verdict.APPROVE_CHANGED: "approve",
    Verdict.DECLINE: "decline",
}


def reason_fits(verdict: Verdict, code: str) -> bool:
    """Whether `code` is a review reason code of `verdict`.

    >>> reason_fits(Verdict.DECLINE, "fraud_suspected"), reason_fits(Verdict.APPROVE, "x")
    (True, False)
    """
    return code in REASON_CODES[verdict]


class AmountBand(StrEnum):
    UNDER_100K = "lt_100k"
    FROM_100K = "100k_200k"
    FROM_200K = "200k_500k"
    FROM_500K = "ge_500k"


AMOUNT_BANDS_FEN: dict[AmountBand, tuple[int, int | None]] = {
    AmountBand.UNDER_100K: (0, 10_000_000),
    AmountBand.FROM_100K: (10_000_000, 20_000_000),
    AmountBand.FROM_200K: (20_000_000, 50_000_000),
    AmountBand.FROM_500K: (50_000_000, None),
}
"""Each band's ``[low, high)`` in fen (``None``: no upper bound)."""


class AgeBand(StrEnum):
    FRESH = "fresh"  # younger than half the SLA
    DUE = "due"  # at least half the SLA old, not yet the SLA
    OVERDUE = "overdue"  # the SLA old or older


def referred_between(
    band: AgeBand, now: datetime, sla: timedelta
) -> tuple[datetime | None, datetime | None]:
    """The ``(after, before]`` bounds on ``referred_at`` of an age band (``None``: open).

    >>> from datetime import UTC
    >>> now = datetime(2026, 1, 2, tzinfo=UTC)
    >>> referred_between(AgeBand.OVERDUE, now, timedelta(hours=24))
    (None, datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))
    """
    half, full = now - sla / 2, now - sla
    if band is AgeBand.FRESH:
        return half, None
    if band is AgeBand.DUE:
        return full, half
    return None, full


def age_band(referred_at: datetime, now: datetime, sla: timedelta) -> AgeBand:
    """The age band of a case referred at `referred_at`.

    >>> from datetime import UTC
    >>> now = datetime(2026, 1, 2, tzinfo=UTC)
    >>> age_band(now - timedelta(hours=30), now, timedelta(hours=24)).value
    'overdue'
    """
    age = now - referred_at
    if age >= sla:
        return AgeBand.OVERDUE
    return AgeBand.DUE if age >= sla / 2 else AgeBand.FRESH


def four_eyes_why(
    verdict: Verdict,
    reason_code: str,
    amount_fen: int,
    *,
    threshold_fen: int,
    reasons: frozenset[str],
) -> str | None:
    """Why a verdict needs a second reviewer, or None. A request for information never does.

    >>> four_eyes_why(Verdict.APPROVE, "risk_acceptable", 40_000_000,
    ...               threshold_fen=30_000_000, reasons=frozenset())
    'amount above 300000.00'
    >>> four_eyes_why(Verdict.DECLINE, "fraud_suspected", 1, threshold_fen=30_000_000,
    ...               reasons=frozenset({"fraud_suspected"}))
    'reason fraud_suspected'
    """
    if verdict is Verdict.REQUEST_INFORMATION:
        return None
    if amount_fen > threshold_fen:
        return f"amount above {threshold_fen // 100}.{threshold_fen % 100:02d}"
    if reason_code in reasons:
        return f"reason {reason_code}"
    return None
