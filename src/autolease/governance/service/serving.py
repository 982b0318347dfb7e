"""Which model versions serve: the champions recorded in the store, checked before loading.

Serving never picks ``@latest``. The credit stage also loads the newest challenger of its
name, which scores in shadow. Each configured model name (``credit.model``,
``fraud.model``, ``vehicle.valuation_model``) serves its champion; a name with no champion
(or a store not migrated yet) serves nothing, and its stage refers as it does without a
model. A champion whose manifest no longer matches the approved sha256, or whose inputs the
origination facts cannot supply, stops the start-up with the reason named.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from autolease.config import Settings
from autolease.governance import repository
from autolease.governance.exceptions import StageChangeInvalid
from autolease.governance.models import ModelVersion
from autolease.governance.service.models import gate, manifest_sha256

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServingModels:
    """The ``name@version`` serving each stage, or None when nothing serves it."""

    credit: str | None = None
    fraud: str | None = None
    valuation: str | None = None
    credit_challenger: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "credit": self.credit,
            "fraud": self.fraud,
            "valuation": self.valuation,
            "credit_challenger": self.credit_challenger,
        }


def configured_names(settings: Settings) -> dict[str, str | None]:
    return {
        "credit": settings.credit.model if settings.credit.enabled else None,
        "fraud": settings.fraud.model if settings.fraud.enabled else None,
        "valuation": settings.vehicle.valuation_model,
    }


def serving_models(session: Session, settings: Settings) -> ServingModels:
    """The champions of the configured names, each verified and gated."""
    if not inspect(session.connection()).has_table(ModelVersion.__tablename__):
        log.warning("the store has no model registry yet (run `autolease migrate`)")
        return ServingModels()
    wanted = {k: n for k, n in configured_names(settings).items() if n is not None}
    found = repository.champions(session, sorted(set(wanted.values())))
    refs: dict[str, str | None] = {}
    for kind, name in wanted.items():
        row = found.get(name)
        if row is None:
            log.warning("no champion of %s is recorded; the %s stage refers", name, kind)
        refs[kind] = _checked(settings.artifacts_dir, row, kind) if row else None
    if refs.get("credit"):
        shadow = repository.challenger(session, wanted["credit"])
        refs["credit_challenger"] = (
            _checked(settings.artifacts_dir, shadow, "credit") if shadow else None
        )
    return ServingModels(**refs)


def _checked(root: Path, row: ModelVersion, kind: str) -> str:
    if row.kind != kind:
        raise StageChangeInvalid(f"{row.ref} is a {row.kind} model, configured for {kind}")
    if manifest_sha256(root, row.name, row.version) != row.manifest_sha256:
        raise StageChangeInvalid(f"the files of {row.ref} changed since it was approved")
    gate(root, row)
    return row.ref
