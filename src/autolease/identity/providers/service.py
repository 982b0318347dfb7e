"""The identity providers' prefetcher: call the checks before the pure stages run.

`IdentityChecksPrefetcher.fetch` asks the carrier, the card issuer, the bureau and the court
lists about the application's person (for a corporate lessee, the legal representative) as
of the submission time, and returns flat features (no personal data): ``carrier_status``,
``phone_tenure_months``, ``bank_card_status``, ``thin_file``, ``hard_queries_90d`` …,
``court_dishonest`` …, plus ``identity_checks`` (which provider answered what, and when).
A provider that fails gives ``<check>_status = "unavailable"``, never an exception.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
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
    ProviderUnavailable,
)
from autolease.identity.providers.local import LocalRegistry
from autolease.identity.providers.repository import read_book_registry
from autolease.identity.providers.settings import IdentityProviderSettings
from autolease.identity.providers.stage import ChecksPolicy, ExternalChecksStage
from autolease.origination.pipeline import ApplicationFacts, PrefetchRequest

log = logging.getLogger(__name__)
UNAVAILABLE = "unavailable"
_lock = threading.Lock()
_registries: dict[str, LocalRegistry] = {}


def carrier_features(
    check: CarrierCheck, facts: ApplicationFacts, as_of: datetime
) -> dict[str, Any]:
    p = facts.person
    if not p.id_number:
        return {"carrier_status": None}
    try:
        r = check.verify_carrier(name=p.name, id_number=p.id_number, phone=p.phone, as_of=as_of)
    except ProviderUnavailable:
        return {"carrier_status": UNAVAILABLE}
    return {
        "carrier_status": r.status.value,
        "carrier_mismatch": r.status == CheckStatus.MISMATCH,
        "carrier_mismatched_fields": list(r.mismatched),
        "phone_tenure_months": r.tenure_months,
        "phone_line_active": r.line_active,
    }


def card_features(check: BankCardCheck, facts: ApplicationFacts, as_of: datetime) -> dict[str, Any]:
    p = facts.person
    if not p.id_number:
        return {"bank_card_status": None}
    try:
        r = check.verify_card(
            name=p.name, id_number=p.id_number, phone=p.phone, card=facts.bank_card, as_of=as_of
        )
    except ProviderUnavailable:
        return {"bank_card_status": UNAVAILABLE}
    return {
        "bank_card_status": r.status.value,
        "bank_card_mismatch": r.status == CheckStatus.MISMATCH,
        "bank_card_mismatched_fields": list(r.mismatched),
    }


def bureau_features(check: BureauCheck, facts: ApplicationFacts, as_of: datetime) -> dict[str, Any]:
    p = facts.person
    if not p.id_number:
        return {"bureau_status": None}
    try:
        r = check.bureau_report(name=p.name, id_number=p.id_number, as_of=as_of)
    except ProviderUnavailable:
        return {"bureau_status": UNAVAILABLE}
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


def court_features(check: CourtCheck, facts: ApplicationFacts, as_of: datetime) -> dict[str, Any]:
    p = facts.person
    if not p.id_number:
        return {"court_status": None}
    try:
        r = check.court_record(name=p.name, id_number=p.id_number, as_of=as_of)
    except ProviderUnavailable:
        return {"court_status": UNAVAILABLE}
    return {
        "court_status": "ok",
        "court_dishonest": r.dishonest,
        "court_spending_ban": r.spending_ban,
        "court_enforced": r.enforced,
    }


@dataclass(frozen=True)
class IdentityChecksPrefetcher:
    """Calls the four checks; any may be ``None`` (not configured: its features are absent)."""

    carrier: CarrierCheck | None = None
    bank_card: BankCardCheck | None = None
    bureau: BureauCheck | None = None
    court: CourtCheck | None = None
    name: str = "identity_checks"

    def fetch(self, session: Session, request: PrefetchRequest) -> dict[str, Any]:
        facts, at = request.facts, request.as_of
        out: dict[str, Any] = {}
        providers: dict[str, str] = {}
        if self.carrier is not None:
            out.update(carrier_features(self.carrier, facts, at))
            providers["carrier"] = self.carrier.name
        if self.bank_card is not None:
            out.update(card_features(self.bank_card, facts, at))
            providers["bank_card"] = self.bank_card.name
        if self.bureau is not None:
            out.update(bureau_features(self.bureau, facts, at))
            providers["bureau"] = self.bureau.name
        if self.court is not None:
            out.update(court_features(self.court, facts, at))
            providers["court"] = self.court.name
        out["identity_checks"] = {"providers": providers, "as_of": at.isoformat()}
        return out


def cached_registry(book_dir: Path) -> LocalRegistry:
    """The process-wide registry of a book directory (indexed once)."""
    key = str(Path(book_dir).resolve())
    with _lock:
        if key not in _registries:
            _registries[key] = read_book_registry(Path(book_dir))
        return _registries[key]


def clear_cache() -> None:
    with _lock:
        _registries.clear()


def build_identity_prefetcher(
    settings: IdentityProviderSettings,
) -> IdentityChecksPrefetcher | None:
    """The prefetcher over the configured providers; ``None`` when none is configured."""
    if settings.book_dir is None:
        return None
    registry = cached_registry(settings.book_dir)
    return IdentityChecksPrefetcher(registry, registry, registry, registry)


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
