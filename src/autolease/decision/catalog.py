"""Which policy version decides at a given moment: an in-memory catalogue (pure).

The catalogue holds policy documents by (key, version), the packaged default of each key,
and each key's activation schedule. `resolve(key, at)` returns the version of the latest
activation whose ``effective_from`` is not after ``at``, or the packaged default when no
activation applies yet. The database copy of the schedule is synchronised into it by
`autolease.decision.service.PolicySync` (a prefetcher that uses the intake's own session);
`resolve` itself does no I/O, so the pipeline stays pure.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from autolease.decision.exceptions import PolicyNotFound
from autolease.decision.jdm import PolicyDocument


@dataclass(frozen=True)
class Activation:
    """From ``effective_from`` on, ``key`` is decided by ``version``."""

    key: str
    version: str
    content_hash: str
    effective_from: datetime
    activated_at: datetime
    activated_by: str = ""
    seq: int = 0


class PolicyCatalog:
    """Thread-safe catalogue of policy versions and activation schedules."""

    def __init__(self, defaults: Iterable[PolicyDocument] = ()) -> None:
        self._lock = threading.Lock()
        self._documents: dict[tuple[str, str], PolicyDocument] = {}
        self._defaults: dict[str, PolicyDocument] = {}
        self._schedules: dict[str, tuple[Activation, ...]] = {}
        self.synced_at: datetime | None = None
        for document in defaults:
            self._defaults[document.key] = document
            self._documents[(document.key, document.version)] = document

    def add(self, document: PolicyDocument) -> None:
        """Make a version resolvable (idempotent)."""
        with self._lock:
            self._documents[(document.key, document.version)] = document

    def document(self, key: str, version: str) -> PolicyDocument | None:
        return self._documents.get((key, version))

    def default(self, key: str) -> PolicyDocument | None:
        """The packaged version of ``key`` (used until an activation applies)."""
        return self._defaults.get(key)

    def defaults(self) -> tuple[PolicyDocument, ...]:
        return tuple(self._defaults[k] for k in sorted(self._defaults))

    def schedule(self, key: str) -> tuple[Activation, ...]:
        return self._schedules.get(key, ())

    def replace_schedules(
        self,
        schedules: Mapping[str, Sequence[Activation]],
        documents: Iterable[PolicyDocument],
        *,
        at: datetime,
    ) -> None:
        """Swap in the schedules (and the versions they name) read from the store."""
        ordered = {key: tuple(sorted(acts, key=_order)) for key, acts in schedules.items()}
        with self._lock:
            for document in documents:
                self._documents[(document.key, document.version)] = document
            self._schedules = ordered
            self.synced_at = at

    def needs_sync(self, at: datetime, max_age_seconds: float) -> bool:
        """Whether the schedule is older than ``max_age_seconds`` at ``at``."""
        synced = self.synced_at
        return synced is None or at - synced >= timedelta(seconds=max_age_seconds) or at < synced

    def active_activation(self, key: str, at: datetime) -> Activation | None:
        """The activation in force for ``key`` at ``at``, if any."""
        current = None
        for activation in self._schedules.get(key, ()):
            if activation.effective_from <= at:
                current = activation
        return current

    def resolve(self, key: str, at: datetime) -> PolicyDocument:
        """The policy version deciding ``key`` at ``at``.

        Raises
        ------
        PolicyNotFound
            When no activation applies and no packaged default exists, or an activation
            names a version whose content is not loaded or whose hash differs.
        """
        activation = self.active_activation(key, at)
        if activation is None:
            default = self._defaults.get(key)
            if default is None:
                raise PolicyNotFound(f"no active version and no packaged file for policy {key!r}")
            return default
        document = self._documents.get((key, activation.version))
        if document is None or document.content_hash != activation.content_hash:
            raise PolicyNotFound(
                f"active version {key}@{activation.version} is not loaded with hash "
                f"{activation.content_hash[:12]}"
            )
        return document


def _order(activation: Activation) -> tuple[datetime, datetime, int]:
    return (activation.effective_from, activation.activated_at, activation.seq)
