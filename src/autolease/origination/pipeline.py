"""The decision pipeline seam (pure).

`run_pipeline` passes one `DecisionContext` through ordered stages
(identity → vehicle → fraud → credit → policy → offers). Each stage reads the application
facts and what earlier stages added, and adds features, flags and reasons of its own. The
policy stage sets the outcome. Nothing here touches the database or the clock: the service
builds the facts, passes the time, and persists the result.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol

from autolease.identity.biometrics.samples import BiometricSamples


class Outcome(StrEnum):
    APPROVE = "approve"
    REFER = "refer"
    DECLINE = "decline"


class Severity(StrEnum):
    INFO = "info"
    REFER = "refer"
    DECLINE = "decline"


@dataclass(frozen=True)
class Reason:
    code: str
    stage: str
    severity: Severity
    message_en: str
    message_zh: str

    def as_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "stage": self.stage,
            "severity": self.severity.value,
            "message_en": self.message_en,
            "message_zh": self.message_zh,
        }


@dataclass(frozen=True)
class PersonFacts:
    name: str
    id_number: str | None
    phone: str
    declared_birth_date: date | None = None
    declared_gender: str | None = None


@dataclass(frozen=True)
class DeviceFacts:
    """What the SP's page reported about the applicant's device (see docs/fraud.md)."""

    fingerprint_id: str | None = None
    ip: str | None = None
    user_agent: str | None = None
    signals: Mapping[str, str | int | float | bool] = field(default_factory=dict)


@dataclass(frozen=True)
class ApplicationFacts:
    """Everything the stages may read, in plaintext and in memory only."""

    applicant_kind: str
    person: PersonFacts
    uscc: str | None
    bank_card: str
    province: str
    monthly_income: Decimal | None
    vin: str
    plate: str | None
    brand: str
    first_registration_date: date
    mileage_km: int
    asking_price: Decimal
    invoice_price: Decimal | None
    fuel_type: str | None
    seller_type: str
    product_type: str
    amount: Decimal
    term_months: int
    down_payment: Decimal
    monthly_budget: Decimal | None
    lead_source: str
    sp_grade: str
    device: DeviceFacts | None = None
    model: str | None = None
    biometrics: BiometricSamples | None = None


@dataclass(frozen=True)
class LinkKey:
    """A blind-indexed link an application contributes (kind, HMAC of the normalised value)."""

    kind: str
    key_hash: str


@dataclass(frozen=True)
class PrefetchRequest:
    """What a prefetcher may look up before the pure stages run (see `origination.service`)."""

    facts: ApplicationFacts
    links: tuple[LinkKey, ...]
    as_of: datetime
    sp_id: int


@dataclass(frozen=True)
class PolicyRef:
    key: str
    version: str
    content_hash: str


@dataclass(frozen=True)
class StageTrace:
    stage: str
    duration_ms: float
    reasons: tuple[str, ...]
    note: str = ""


@dataclass
class DecisionContext:
    facts: ApplicationFacts
    as_of: datetime
    business_date: date
    features: dict[str, Any] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    reasons: list[Reason] = field(default_factory=list)
    model_versions: dict[str, str] = field(default_factory=dict)
    offers: list[dict[str, Any]] = field(default_factory=list)
    trace: list[StageTrace] = field(default_factory=list)
    outcome: Outcome | None = None
    policy: PolicyRef | None = None

    def add_reason(
        self, code: str, stage: str, severity: Severity, message_en: str, message_zh: str
    ) -> None:
        self.reasons.append(Reason(code, stage, severity, message_en, message_zh))

    def worst_severity(self) -> Severity:
        order = [Severity.INFO, Severity.REFER, Severity.DECLINE]
        return max((r.severity for r in self.reasons), key=order.index, default=Severity.INFO)


class Stage(Protocol):
    @property
    def name(self) -> str: ...

    def run(self, ctx: DecisionContext) -> str:
        """Add to `ctx`; return a short note for the trace ("" when there is nothing to say)."""
        ...


class PipelineIncomplete(RuntimeError):
    """No stage set an outcome: the pipeline is misconfigured (a bug, not a decline)."""


def run_pipeline(
    stages: Sequence[Stage], ctx: DecisionContext, timer: Callable[[], float]
) -> DecisionContext:
    """Run every stage in order, timing each with the injected `timer` (seconds)."""
    for stage in stages:
        before = len(ctx.reasons)
        started = timer()
        note = stage.run(ctx)
        elapsed_ms = (timer() - started) * 1000
        added = tuple(r.code for r in ctx.reasons[before:])
        ctx.trace.append(StageTrace(stage.name, round(elapsed_ms, 3), added, note))
    if ctx.outcome is None or ctx.policy is None:
        raise PipelineIncomplete("no stage set the outcome and policy")
    return ctx
