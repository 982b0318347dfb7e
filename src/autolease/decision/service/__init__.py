"""Decision use cases: policy versions and activations, decision records and replay, review."""

from autolease.decision.service.policies import (
    DecisionRuntime,
    PolicySummary,
    PolicySync,
    ResolvedPolicy,
    activate,
    check_policy,
    list_policies,
    load_files,
    register_version,
    resolve_version,
    stored_document,
    sync_catalog,
)
from autolease.decision.service.records import (
    ensure_version,
    forget_stored_versions,
    record_evaluations,
    replay,
)
from autolease.decision.service.review import Verdict, review

__all__ = [
    "DecisionRuntime",
    "PolicySummary",
    "PolicySync",
    "ResolvedPolicy",
    "Verdict",
    "activate",
    "check_policy",
    "ensure_version",
    "forget_stored_versions",
    "list_policies",
    "load_files",
    "record_evaluations",
    "register_version",
    "replay",
    "resolve_version",
    "review",
    "stored_document",
    "sync_catalog",
]
