"""Model stages: register candidates, propose and approve stage changes, roll back. Never commits.

candidate → challenger → champion → retired. Training only adds candidates; a version becomes
challenger or champion when one risk analyst proposes it and another approves it, and only
when the origination facts can supply its inputs (`governance.compat`). Approving a champion
retires the one before; `rollback` brings the previous champion back in one step.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

from sqlalchemy.orm import Session

from autolease.audit import service as audit_service
from autolease.audit.service import Actor
from autolease.exceptions import FieldError
from autolease.governance import compat, repository
from autolease.governance.exceptions import (
    ChangeNotFound,
    ModelIncompatible,
    ModelNotRegistered,
    StageChangeInvalid,
)
from autolease.governance.models import ChangeRequest, ModelVersion
from autolease.governance.service.checks import refuse_self_approval
from autolease.ml import registry

Stage = Literal["candidate", "challenger", "champion", "retired"]
STAGES: tuple[Stage, ...] = ("candidate", "challenger", "champion", "retired")
TARGETS: tuple[Stage, ...] = ("challenger", "champion", "retired")


def split_ref(ref: str) -> tuple[str, str]:
    name, _, version = ref.partition("@")
    if not name or not version or version == "latest":
        raise ModelNotRegistered(
            f"{ref!r} is not name@version",
            errors=[FieldError("ref", "format", "give name@version", "请给出 名称@版本")],
        )
    return name, version


def manifest_sha256(root: Path, name: str, version: str) -> str:
    """The sha256 of a version's manifest (which pins the sha256 of every file)."""
    try:
        path = registry.artifact_dir(root, name, version) / registry.MANIFEST
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except (OSError, registry.ArtifactError) as exc:
        raise ModelNotRegistered(f"no model {name}@{version} under the artifacts root") from exc


def read_verified(root: Path, name: str, version: str) -> registry.LoadedArtifact:
    """Load a version, verifying every file's sha256; a bad artifact is not registrable."""
    try:
        return registry.load(root, name, version)
    except registry.ArtifactError as exc:
        raise ModelNotRegistered(f"{name}@{version}: {exc}") from exc


def register_candidate(session: Session, root: Path, ref: str, actor: Actor) -> ModelVersion:
    """Record a version on disk as a candidate (idempotent). Audited the first time."""
    name, version = split_ref(ref)
    existing = repository.model_version(session, name, version)
    if existing is not None:
        return existing
    artifact = read_verified(root, name, version)
    kind = compat.kind_of(artifact.files)
    if kind is None:
        raise ModelNotRegistered(f"{ref} is not a credit, fraud or valuation model")
    row = ModelVersion(
        name=name,
        version=version,
        kind=kind,
        stage="candidate",
        manifest_sha256=manifest_sha256(root, name, version),
        registered_by=actor.name,
        registered_at=actor.at,
        stage_by=actor.name,
        stage_at=actor.at,
    )
    session.add(row)
    session.flush()
    _audit(session, actor, "model.registered", row, {"kind": kind})
    return row


def sync_registry(session: Session, root: Path, actor: Actor) -> list[ModelVersion]:
    """Register every version under `root` that the store does not know yet, as a candidate."""
    added = []
    for name in _names_on_disk(root):
        for version in registry.versions(root, name):
            if repository.model_version(session, name, version) is None:
                added.append(register_candidate(session, root, f"{name}@{version}", actor))
    return added


def _names_on_disk(root: Path) -> list[str]:
    if not root.is_dir():
        return []
    names = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if any((v / registry.MANIFEST).is_file() for v in folder.iterdir() if v.is_dir()):
            names.append(folder.name)
        else:
            names += [f"{folder.name}/{p.name}" for p in sorted(folder.iterdir()) if p.is_dir()]
    return names


def gate(root: Path, row: ModelVersion) -> None:
    """Refuse a version whose inputs the origination facts cannot supply, naming them."""
    manifest = registry.read_manifest(registry.artifact_dir(root, row.name, row.version))
    problems = compat.check(row.kind, manifest.features)  # type: ignore[arg-type]
    if problems:
        named = ", ".join(p.field for p in problems[:12])
        raise ModelIncompatible(
            f"{row.ref} cannot serve: the origination facts do not supply {named}",
            errors=[FieldError(p.field, p.rule, p.message_en, p.message_zh) for p in problems],
        )


def propose(
    session: Session, root: Path, ref: str, stage: str, actor: Actor, note: str | None = None
) -> ChangeRequest:
    """Propose moving `ref` to `stage`; a second analyst must approve it. Audited."""
    row = register_candidate(session, root, ref, actor)
    target = _target(stage)
    _check_move(row, target)
    if target in ("challenger", "champion"):
        gate(root, row)
    change = ChangeRequest(
        subject="model",
        name=row.name,
        version=row.version,
        action=target,
        status="pending",
        content_hash=row.manifest_sha256,
        note=note[:500] if note else None,
        proposed_by=actor.name,
        proposed_at=actor.at,
    )
    session.add(change)
    session.flush()
    _audit(session, actor, "model.stage_proposed", row, {"change": change.id, "stage": target})
    return change


def approve(session: Session, root: Path, change_id: int, actor: Actor) -> ModelVersion:
    """Approve a pending model change (not by its proposer) and apply it. Audited."""
    change = pending_change(session, change_id, "model")
    refuse_self_approval(change, actor)
    row = repository.model_version(session, change.name, change.version)
    if row is None or row.manifest_sha256 != manifest_sha256(root, row.name, row.version):
        raise StageChangeInvalid(f"the files of {change.ref} changed since it was proposed")
    target = _target(change.action)
    _check_move(row, target)
    if target in ("challenger", "champion"):
        gate(root, row)
    _apply(session, row, target, actor)
    change.status, change.decided_by, change.decided_at = "approved", actor.name, actor.at
    session.flush()
    _audit(session, actor, "model.stage_approved", row, _approval(change))
    return row


def reject(session: Session, change_id: int, subject: str, actor: Actor) -> ChangeRequest:
    """Reject a pending change (anyone but its proposer may). Audited."""
    change = pending_change(session, change_id, subject)
    refuse_self_approval(change, actor)
    change.status, change.decided_by, change.decided_at = "rejected", actor.name, actor.at
    session.flush()
    audit_service.log(
        session,
        actor,
        f"{subject}.change_rejected",
        entity_type=subject,
        entity_id=change.ref,
        payload={"change": change.id, "action": change.action},
    )
    return change


def pending_change(session: Session, change_id: int, subject: str) -> ChangeRequest:
    change = repository.change(session, change_id)
    if change is None or change.subject != subject:
        raise ChangeNotFound(f"no {subject} change {change_id}")
    if change.status != "pending":
        raise StageChangeInvalid(f"change {change_id} is already {change.status}")
    return change


def pending_for(session: Session, ref: str, subject: str) -> ChangeRequest:
    """The one pending change of `ref` (``name@version``)."""
    name, version = split_ref(ref)
    found = [
        c
        for c in repository.changes(session, subject=subject, status="pending")
        if (c.name, c.version) == (name, version)
    ]
    if not found:
        raise ChangeNotFound(f"{ref} has no pending change; propose it first")
    if len(found) > 1:
        raise ChangeNotFound(
            f"{ref} has {len(found)} pending changes; give the change id",
            errors=[FieldError("change", "ambiguous", "give the change id", "请给出变更编号")],
        )
    return found[0]


def rollback(session: Session, root: Path, name: str, actor: Actor) -> ModelVersion:
    """Make the previous champion of `name` champion again, retiring the current one."""
    current = repository.champions(session, [name]).get(name)
    if current is None:
        raise StageChangeInvalid(f"{name} has no champion to roll back")
    previous = _previous_champion(session, name, current.version)
    gate(root, previous)
    _apply(session, previous, "champion", actor)
    change = ChangeRequest(
        subject="model",
        name=name,
        version=previous.version,
        action="champion",
        status="approved",
        content_hash=previous.manifest_sha256,
        note=f"rollback from {current.ref}",
        proposed_by=actor.name,
        proposed_at=actor.at,
        decided_by=actor.name,
        decided_at=actor.at,
    )
    session.add(change)
    session.flush()
    _audit(session, actor, "model.rolled_back", previous, {"from": current.ref})
    return previous


def _previous_champion(session: Session, name: str, current: str) -> ModelVersion:
    for change in repository.champion_history(session, name):
        if change.version != current:
            row = repository.model_version(session, name, change.version)
            if row is not None:
                return row
    raise StageChangeInvalid(f"{name} has no earlier champion to roll back to")


def bootstrap_champion(
    session: Session, root: Path, ref: str, actor: Actor, note: str
) -> ModelVersion:
    """Make `ref` champion without a second person: only for a system actor's first model.

    The demo uses it for the models it trains itself; it refuses once `name` has a champion,
    and is audited as ``model.bootstrapped``.
    """
    if not actor.name.startswith("system:"):
        raise StageChangeInvalid("only the system bootstraps a champion; analysts propose")
    row = register_candidate(session, root, ref, actor)
    if repository.champions(session, [row.name]):
        raise StageChangeInvalid(f"{row.name} has a champion already; propose instead")
    gate(root, row)
    _apply(session, row, "champion", actor)
    session.add(
        ChangeRequest(
            subject="model",
            name=row.name,
            version=row.version,
            action="champion",
            status="approved",
            content_hash=row.manifest_sha256,
            note=note[:500],
            proposed_by=actor.name,
            proposed_at=actor.at,
            decided_by=actor.name,
            decided_at=actor.at,
        )
    )
    session.flush()
    _audit(session, actor, "model.bootstrapped", row, {"note": note})
    return row


def _target(stage: str) -> Stage:
    if stage not in TARGETS:
        raise StageChangeInvalid(
            f"stage must be one of {', '.join(TARGETS)}",
            errors=[FieldError("stage", "choice", "unknown stage", "未知阶段")],
        )
    return stage


def _check_move(row: ModelVersion, target: Stage) -> None:
    if row.stage == target:
        raise StageChangeInvalid(f"{row.ref} is {target} already")
    if row.stage == "champion":
        raise StageChangeInvalid(
            f"{row.ref} is the champion; promote another version or roll back instead"
        )


def _apply(session: Session, row: ModelVersion, target: Stage, actor: Actor) -> None:
    if target == "champion":
        for old in repository.champions(session, [row.name]).values():
            if old.id != row.id:
                old.stage, old.stage_by, old.stage_at = "retired", actor.name, actor.at
    row.stage, row.stage_by, row.stage_at = target, actor.name, actor.at
    session.flush()


def _approval(change: ChangeRequest) -> dict[str, object]:
    return {"change": change.id, "stage": change.action, "proposed_by": change.proposed_by}


def _audit(
    session: Session, actor: Actor, action: str, row: ModelVersion, payload: dict[str, object]
) -> None:
    audit_service.log(
        session,
        actor,
        action,
        entity_type="model",
        entity_id=row.ref,
        payload={"manifest_sha256": row.manifest_sha256, **payload},
    )
