"""The identity providers' prefetcher: call the checks before the pure stages run.

`IdentityChecksPrefetcher.fetch` asks the carrier, the card issuer, the bureau and the court
lists about the application's person (for a corporate lessee, the legal representative) as
of the submission time, and returns flat features (no personal data): ``carrier_status``,
``phone_tenure_months``, ``bank_card_status``, ``thin_file``, ``hard_queries_90d`` …,
``court_dishonest`` …, plus ``identity_checks`` (which provider answered what, and when).

Each call goes through the check's `ProviderGuard` (`kit/guard.py`): a time limit for a
provider that declares itself remote, and a circuit breaker. A provider that fails gives
``<check>_status`` = ``"timeout"``, ``"unavailable"`` or ``"circuit_open"``, never an
exception; the stage turns that into a specific reason (BUREAU_TIMEOUT …).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from autolease.identity.providers.checks import (
    BankCardCheck,
    BureauCheck,
    CarrierCheck,
    CheckStatus,
    CourtCheck,
)
from autolease.identity.providers.local import LocalRegistry
from autolease.identity.providers.repository import read_book_registry
from autolease.identity.providers.settings import IdentityProviderSettings
from autolease.identity.providers.stage import ChecksPolicy, ExternalChecksStage
from autolease.kit.clock import Clock, SystemClock
from autolease.kit.guard import ProviderCallSettings, ProviderFailed, ProviderGuard, is_remote
from autolease.origination.pipeline import ApplicationFacts, PrefetchRequest

log = logging.getLogger(__name__)
_lock = threading.Lock()
_registries: dict[str, LocalRegistry] = {}


def carrier_features(
    check: CarrierCheck, facts: ApplicationFacts, as_of: datetime, guard: ProviderGuard
) -> dict[str, Any]:
    p = facts.person
    if not p.id_number:
        return {"carrier_status": None}
    try:
        r = guard.call(
            check.verify_carrier, name=p.name, id_number=p.id_number, phone=p.phone, as_of=as_of
        )
    except ProviderFailed as failed:
        return {"carrier_status": failed.status.value}
    return {
        "carrier_status": r.status.value,
        "carrier_mismatch": r.status == CheckStatus.MISMATCH,
        "carrier_mismatched_fields": list(r.mismatched),
        "phone_tenure_months": r.tenure_months,
        "phone_line_active": r.line_active,
    }


def card_features(
    check: BankCardCheck, facts: ApplicationFacts, as_of: datetime, guard: ProviderGuard
) -> dict[str, Any]:
    p = facts.person
    if not p.id_number:
        return {"bank_card_status": None}
    try:
        r = guard.call(
            check.verify_card,
            name=p.name,
            id_number=p.id_number,
            phone=p.phone,
            card=facts.bank_card,
            as_of=as_of,
        )
    except ProviderFailed as failed:
        return {"bank_card_status": failed.status.value}
    return {
        "bank_card_status": r.status.value,
        "bank_card_mismatch": r.status == CheckStatus.MISMATCH,
        "bank_card_mismatched_fields": list(r.mismatched),
    }


def bureau_features(
    check: BureauCheck, facts: ApplicationFacts, as_of: datetime, guard: ProviderGuard
) -> dict[str, Any]:
    p = facts.person
    if not p.id_number:
        return {"bureau_status": None}
    try:
        r = guard.call(check.bureau_report, name=p.name, id_number=p.id_number, as_of=as_of)
    except ProviderFailed as failed:
        return {"bureau_status": failed.status.value}
    return {
        "bureau_status": "ok",
        "thin_file": not r.has_file,
        "has_credit_file": r.has_file,
        "bureau_first_credit_date": (
            r.first_credit_date.isoformat() if r.first_credit_date else None
        ),
        "outstanding_debt_yuan": r.outstanding_debt_yuan,
        "hard_queries_90d": r.hard_queries_90d,
        "institutions_applied_30d": r.institutions_applied_30d,
        "open_credit_institutions": r.open_credit_institutions,
        "delinquencies_24m": r.delinquencies_24m,
        "max_dpd_24m": r.max_dpd_24m,
        "bureau_report_date": r.report_date.isoformat(),
    }


def court_features(
    check: CourtCheck, facts: ApplicationFacts, as_of: datetime, guard: ProviderGuard
) -> dict[str, Any]:
    p = facts.person
    if not p.id_number:
        return {"court_status": None}
    try:
        r = guard.call(check.court_record, name=p.name, id_number=p.id_number, as_of=as_of)
    except ProviderFailed as failed:
        return {"court_status": failed.status.value}
    return {
        "court_status": "ok",
        "court_dishonest": r.dishonest,
        "court_spending_ban": r.spending_ban,
        "court_enforced": r.enforced,
    }


@dataclass(frozen=True)
class IdentityChecksPrefetcher:
    """Calls the four checks; any may be ``None`` (not configured: its features are absent).

    Each configured check gets its own `ProviderGuard` (time limit when remote, breaker),
    built from `calls` and `clock`.
    """

    carrier: CarrierCheck | None = None
    bank_card: BankCardCheck | None = None
    bureau: BureauCheck | None = None
    court: CourtCheck | None = None
    name: str = "identity_checks"
    calls: ProviderCallSettings = field(default_factory=ProviderCallSettings)
    clock: Clock = field(default_factory=SystemClock)
    guards: dict[str, ProviderGuard] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        checks = {
            "carrier": self.carrier,
            "bank_card": self.bank_card,
            "bureau": self.bureau,
            "court": self.court,
        }
        guards = {
            check: ProviderGuard(
                f"{check}:{provider.name}",
                remote=is_remote(provider),
                settings=self.calls,
                clock=self.clock,
            )
            for check, provider in checks.items()
            if provider is not None
        }
        object.__setattr__(self, "guards", guards)

    def fetch(self, session: Session, request: PrefetchRequest) -> dict[str, Any]:
        facts, at = request.facts, request.as_of
        out: dict[str, Any] = {}
        providers: dict[str, str] = {}
        if self.carrier is not None:
            out.update(carrier_features(self.carrier, facts, at, self.guards["carrier"]))
            providers["carrier"] = self.carrier.name
        if self.bank_card is not None:
            out.update(card_features(self.bank_card, facts, at, self.guards["bank_card"]))
            providers["bank_card"] = self.bank_card.name
        if self.bureau is not None:
            out.update(bureau_features(self.bureau, facts, at, self.guards["bureau"]))
            providers["bureau"] = self.bureau.name
        if self.court is not None:
            out.update(court_features(self.court, facts, at, self.guards["court"]))
            providers["court"] = self.court.name
        out["identity_checks"] = {"providers": providers, "as_of": at.isoformat()}
        return out


def cached_registry(book_dir: Path | None, *, sandbox: bool = False) -> LocalRegistry:
    """The process-wide registry of a book directory and/or the sandbox (indexed once)."""
    path = Path(book_dir) if book_dir is not None else None
    key = f"{path.resolve() if path else ''}|sandbox={sandbox}"
    with _lock:
        if key not in _registries:
            _registries[key] = read_book_registry(path, sandbox=sandbox)
        return _registries[key]


def clear_cache() -> None:
    with _lock:
        _registries.clear()


def build_identity_prefetcher(
    settings: IdentityProviderSettings, clock: Clock | None = None
) -> IdentityChecksPrefetcher | None:
    """The prefetcher over the configured providers; ``None`` when none is configured."""
    if settings.book_dir is None and not settings.sandbox:
        return None
    registry = cached_registry(settings.book_dir, sandbox=settings.sandbox)
    return IdentityChecksPrefetcher(
        registry, registry, registry, registry, calls=settings.calls, clock=clock or SystemClock()
    )


def build_checks_stage(settings: IdentityProviderSettings) -> ExternalChecksStage:
    """The stage turning the answers into reason codes, with the configured thresholds."""
    return ExternalChecksStage(
        ChecksPolicy(
            min_tenure_months=settings.min_tenure_months,
            max_hard_queries_90d=settings.max_hard_queries_90d,
            max_institutions_applied_30d=settings.max_institutions_applied_30d,
            max_open_credit_institutions=settings.max_open_credit_institutions,
        )
    )
