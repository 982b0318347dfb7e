"""The model card of a version, with who approved it (read from the store)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from autolease.governance import repository
from autolease.governance.models import ModelVersion
from autolease.governance.service.models import read_verified, split_ref
from autolease.ml import registry


def _approvals(session: Session, row: ModelVersion | None) -> list[dict[str, Any]]:
    if row is None:
        return []
    out: list[dict[str, Any]] = [
        {"stage": c.action, "proposed_by": c.proposed_by, "approved_by": c.decided_by,
         "decided_at": c.decided_at.isoformat() if c.decided_at else ""}
        for c in repository.approved_changes(session, row.name, row.version)
    ]  # fmt: skip
    if not out and row.stage != "candidate" and row.stage_by.startswith("system:"):
        out.append({"stage": row.stage, "proposed_by": row.stage_by,
                    "approved_by": f"{row.stage_by} (bootstrap: no second analyst)",
                    "decided_at": row.stage_at.isoformat()})  # fmt: skip
    return out


def model_card(session: Session, root: Path, ref: str) -> str:
    """The Markdown card of ``name@version``, its stage and approvals filled from the store."""
    name, version = split_ref(ref)
    artifact = read_verified(root, name, version)
    row = repository.model_version(session, name, version)
    stage = row.stage if row is not None else "not registered in the store"
    return registry.render_card(artifact.manifest, _approvals(session, row), stage)
