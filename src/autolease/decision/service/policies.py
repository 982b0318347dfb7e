"""Policy versions and activations: register, activate, list, and keep the catalogue in sync.

Never commits. Registration runs a version's own cases and refuses it when any fails;
re-registering a version label with different content is a conflict (bump the version).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy.orm import Session

from autolease.audit import service as audit_service
from autolease.audit.service import Actor
from autolease.decision import repository
from autolease.decision.cases import CaseResult, parse_cases, run_cases
from autolease.decision.catalog import Activation, PolicyCatalog
from autolease.decision.engine import PolicyEngine
from autolease.decision.exceptions import (
    ActivationInvalid,
    PolicyCasesFailed,
    PolicyInvalid,
    PolicyNotFound,
    PolicyVersionConflict,
)
from autolease.decision.files import PolicyFile, load_all, load_one, policy_root
from autolease.decision.jdm import PolicyDocument
from autolease.decision.models import PolicyActivation, PolicyVersion
from autolease.decision.settings import DecisionSettings
from autolease.decision.stage import PolicyStage
from autolease.exceptions import FieldError
from autolease.origination.pipeline import PrefetchRequest


@dataclass
class DecisionRuntime:
    """The decision domain's process-wide objects: one catalogue, one engine, the settings."""

    settings: DecisionSettings
    catalog: PolicyCatalog
    engine: PolicyEngine = field(default_factory=PolicyEngine)

    @classmethod
    def build(cls, settings: DecisionSettings) -> DecisionRuntime:
        files = load_all(policy_root(settings.policies_dir))
        runtime = cls(settings, PolicyCatalog(f.document for f in files))
        if runtime.catalog.default(settings.policy_key) is None:
            raise PolicyNotFound(
                f"decision.policy_key {settings.policy_key!r} has no policy file; "
                f"known: {', '.join(d.key for d in runtime.catalog.defaults())}"
            )
        return runtime

    @property
    def stage(self) -> PolicyStage:
        return PolicyStage(self.catalog, self.engine, self.settings)

    @property
    def sync(self) -> PolicySync:
        return PolicySync(self.catalog, self.settings.refresh_seconds)


@dataclass(frozen=True)
class PolicySync:
    """A prefetcher: refreshes the activation schedule through the intake's own session.

    Using the intake's session (not a second connection) matters on SQLite, where intake
    holds the write lock from its first statement. Returns no features.
    """

    catalog: PolicyCatalog
    refresh_seconds: float = 5.0
    name: str = "policy_sync"

    def fetch(self, session: Session, request: PrefetchRequest) -> dict[str, Any]:
        if self.catalog.needs_sync(request.as_of, self.refresh_seconds):
            sync_catalog(session, self.catalog, at=request.as_of)
        return {}


def sync_catalog(session: Session, catalog: PolicyCatalog, *, at: datetime) -> None:
    """Load every activation schedule and the versions it names into ``catalog``."""
    rows = repository.activations(session)
    schedules: dict[str, list[Activation]] = defaultdict(list)
    for row in rows:
        schedules[row.key].append(_activation(row))
    documents = [
        _document(version)
        for version in repository.versions_by_hash(session, (r.content_hash for r in rows))
    ]
    catalog.replace_schedules(schedules, documents, at=at)


def _activation(row: PolicyActivation) -> Activation:
    return Activation(
        row.key,
        row.version,
        row.content_hash,
        row.effective_from,
        row.activated_at,
        row.activated_by,
        row.id,
    )


def _document(row: PolicyVersion) -> PolicyDocument:
    """A stored version as a document; its content is re-hashed, so tampering shows."""
    return PolicyDocument.from_text(row.key, row.version, row.content, description=row.description)


def stored_document(row: PolicyVersion) -> PolicyDocument:
    return _document(row)


def register_version(
    session: Session,
    *,
    document: PolicyDocument,
    cases_text: str | None,
    source: str,
    actor: Actor,
    engine: PolicyEngine,
) -> tuple[PolicyVersion, bool]:
    """Store a version after its cases pass; return (row, created).

    Raises
    ------
    PolicyVersionConflict
        The label exists with other content.
    PolicyCasesFailed, PolicyInvalid
        Cases fail or cannot be read; expressions do not parse.
    """
    existing = repository.policy_version(session, document.key, document.version)
    if existing is not None:
        if existing.content_hash != document.content_hash:
            raise PolicyVersionConflict(
                f"{document.ref} is already registered with other content "
                f"({existing.content_hash[:12]}); give the change a new version"
            )
        return existing, False
    check_policy(document, cases_text, engine)
    row = PolicyVersion(
        key=document.key,
        version=document.version,
        content_hash=document.content_hash,
        content=document.content,
        cases=cases_text,
        description=document.description[:500],
        source=source[:200],
        created_by=actor.name,
        created_at=actor.at,
    )
    session.add(row)
    session.flush()
    audit_service.log(
        session,
        actor,
        "policy.version_registered",
        entity_type="policy",
        entity_id=document.ref,
        payload={"content_hash": document.content_hash, "source": row.source},
    )
    return row, True


def check_policy(document: PolicyDocument, cases_text: str | None, engine: PolicyEngine) -> None:
    """Lint expressions and run the cases (required) of a version before it is stored."""
    problems = engine.lint(document)
    if problems:
        raise PolicyInvalid(
            f"{document.ref} has expressions zen-engine cannot parse",
            errors=[FieldError("content", "expression", p, "表达式无法解析") for p in problems],
        )
    if cases_text is None:
        raise PolicyCasesFailed(
            f"{document.ref} has no cases; a version must bring its case file",
            errors=[FieldError("cases", "missing", "cases are required", "缺少策略用例")],
        )
    cases = parse_cases(cases_text, source=f"{document.key} cases")
    if cases.version != document.version:
        raise PolicyCasesFailed(
            f"the cases are for version {cases.version}, not {document.version}",
            errors=[FieldError("cases", "version", "version mismatch", "用例版本不一致")],
        )
    failed = [r for r in run_cases(engine, document, cases) if not r.passed]
    if failed:
        raise PolicyCasesFailed(
            f"{len(failed)} case(s) of {document.ref} fail",
            errors=[_case_error(r) for r in failed[:50]],
        )


def _case_error(result: CaseResult) -> FieldError:
    return FieldError(f"cases.{result.case}", "case", result.problem, "用例未通过")


def activate(
    session: Session,
    *,
    runtime: DecisionRuntime,
    key: str,
    version: str,
    effective_from: datetime | None,
    note: str | None,
    actor: Actor,
) -> PolicyActivation:
    """Schedule ``key@version`` from ``effective_from`` (default: now). Audited.

    A version not yet stored is read from the policies directory (its label must match) and
    registered first, which runs its cases.
    """
    effective = check_effective_from(effective_from, actor.at)
    row = stored_or_registered(session, runtime, key, version, actor)
    activation = PolicyActivation(
        key=key,
        version=version,
        content_hash=row.content_hash,
        effective_from=effective,
        activated_by=actor.name,
        activated_at=actor.at,
        note=note[:500] if note else None,
    )
    session.add(activation)
    session.flush()
    audit_service.log(
        session,
        actor,
        "policy.activated",
        entity_type="policy",
        entity_id=f"{key}@{version}",
        payload={
            "content_hash": row.content_hash,
            "effective_from": effective.isoformat(),
            "note": note,
        },
    )
    sync_catalog(session, runtime.catalog, at=actor.at)
    return activation


def check_effective_from(effective_from: datetime | None, now: datetime) -> datetime:
    """The activation time (default: now); refuses a naive or a past time."""
    effective = effective_from or now
    if effective.tzinfo is None:
        raise ActivationInvalid(
            "effective_from needs a time zone",
            errors=[FieldError("effective_from", "timezone", "add a UTC offset", "需带时区")],
        )
    if effective < now:
        raise ActivationInvalid(
            "effective_from is in the past; activations cannot be back-dated",
            errors=[FieldError("effective_from", "past", "in the past", "生效时间早于当前时间")],
        )
    return effective


def stored_or_registered(
    session: Session, runtime: DecisionRuntime, key: str, version: str, actor: Actor
) -> PolicyVersion:
    """The stored ``key@version``, registered from the policies directory first if needed."""
    return repository.policy_version(session, key, version) or _register_from_files(
        session, runtime, key, version, actor
    )


def _register_from_files(
    session: Session, runtime: DecisionRuntime, key: str, version: str, actor: Actor
) -> PolicyVersion:
    policy_file = load_one(policy_root(runtime.settings.policies_dir), key)
    if policy_file.document.version != version:
        raise PolicyNotFound(
            f"{key}@{version} is not stored and the policy file is version "
            f"{policy_file.document.version}"
        )
    row, _ = register_version(
        session,
        document=policy_file.document,
        cases_text=policy_file.cases_text,
        source=f"file:{policy_file.source}",
        actor=actor,
        engine=runtime.engine,
    )
    return row


@dataclass(frozen=True)
class VersionSummary:
    version: str
    content_hash: str
    source: str
    created_by: str
    created_at: datetime | None


@dataclass(frozen=True)
class PolicySummary:
    key: str
    description: str
    file_version: str | None
    active_version: str | None
    active_source: Literal["activation", "file", "none"]
    versions: tuple[VersionSummary, ...]
    scheduled: tuple[Activation, ...]


def list_policies(
    session: Session, *, runtime: DecisionRuntime, at: datetime
) -> list[PolicySummary]:
    """Every policy known from files or the store, with the version in force at ``at``."""
    sync_catalog(session, runtime.catalog, at=at)
    stored: dict[str, list[PolicyVersion]] = defaultdict(list)
    for row in repository.policy_versions(session):
        stored[row.key].append(row)
    keys = sorted({d.key for d in runtime.catalog.defaults()} | set(stored))
    return [_summary(runtime.catalog, key, stored.get(key, []), at) for key in keys]


def _summary(
    catalog: PolicyCatalog, key: str, rows: list[PolicyVersion], at: datetime
) -> PolicySummary:
    default = catalog.default(key)
    active = catalog.active_activation(key, at)
    versions = [
        VersionSummary(r.version, r.content_hash, r.source, r.created_by, r.created_at)
        for r in rows
    ]
    if default is not None and all(v.version != default.version for v in versions):
        versions.append(VersionSummary(default.version, default.content_hash, "file", "", None))
    active_version = active.version if active else (default.version if default else None)
    return PolicySummary(
        key=key,
        description=default.description if default else (rows[-1].description if rows else ""),
        file_version=default.version if default else None,
        active_version=active_version,
        active_source="activation" if active else ("file" if default else "none"),
        versions=tuple(versions),
        scheduled=tuple(a for a in catalog.schedule(key) if a.effective_from > at),
    )


@dataclass(frozen=True)
class ResolvedPolicy:
    """A policy version with its cases text and where it came from (for people to read)."""

    document: PolicyDocument
    cases_text: str | None
    origin: str


def resolve_version(
    session: Session, runtime: DecisionRuntime, spec: str, *, at: datetime
) -> ResolvedPolicy:
    """``key`` (the version in force at `at`) or ``key@version`` (stored, else the file)."""
    key, _, version = spec.partition("@")
    origin = ""
    if not version:
        sync_catalog(session, runtime.catalog, at=at)
        active = runtime.catalog.active_activation(key, at)
        if active is None:
            policy_file = load_one(policy_root(runtime.settings.policies_dir), key)
            return ResolvedPolicy(
                policy_file.document, policy_file.cases_text, "in force: the file (no activation)"
            )
        version = active.version
        origin = f"in force since {active.effective_from.isoformat()}, by {active.activated_by}"
    row = repository.policy_version(session, key, version)
    if row is not None:
        return ResolvedPolicy(_document(row), row.cases, origin or f"stored by {row.created_by}")
    policy_file = load_one(policy_root(runtime.settings.policies_dir), key)
    if policy_file.document.version != version:
        raise PolicyNotFound(f"no stored version {key}@{version}, and the file is another")
    return ResolvedPolicy(
        policy_file.document, policy_file.cases_text, f"file {policy_file.source}"
    )


def load_files(settings: DecisionSettings) -> tuple[PolicyFile, ...]:
    """The policy files of the configured directory (packaged by default)."""
    return load_all(policy_root(settings.policies_dir))
