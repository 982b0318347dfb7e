"""Everything a reviewer reads on one screen, gathered from what the decision stored and
from the store: applicant (masked), vehicle, identity, fraud with the relationship graph,
credit, the policy rules that fired with their thresholds, the trace, the offers, the
decision history and the review so far. The replay runs on demand (`replay`)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from autolease.dealer import service as dealer_service
from autolease.decision import repository as decision_repository
from autolease.decision.diff import rules as policy_rules
from autolease.exceptions import ExtraMissing
from autolease.fraud import repository as fraud_repository
from autolease.fraud.keys import LinkPolicy
from autolease.fraud.links import build_rows, factorise
from autolease.fraud.neighbourhood import AppKey, explore
from autolease.fraud.rings import RingPolicy, detect_rings
from autolease.kit.money import from_fen
from autolease.origination.models import Application, Decision
from autolease.origination.service.views import to_staff_read
from autolease.review import graph as case_graph
from autolease.review import repository
from autolease.review.models import ReviewCase
from autolease.review.schemas import CaseRead, InfoRequestRead, VerdictRead

IDENTITY_STAGES = ("identity", "identity_checks", "biometrics")
IDENTITY_FEATURES = ("applicant_", "biometrics", "bank_card_", "phone_", "court_", "id_check")
HISTORY_FEATURES = ("history_", "odometer_rollback", "vin_")
CREDIT_FEATURES = ("credit_pd", "credit_score", "credit_grade", "credit_factors")


def case_file(
    session: Session,
    *,
    app: Application,
    now: datetime,
    link_policy: LinkPolicy,
    sla_hours: float,
) -> dict[str, Any]:
    """The case view's data (JSON-safe values, Decimal amounts)."""
    staff = to_staff_read(session, app)
    decision = decision_repository.decision(session, staff.decision.id) if staff.decision else None
    features: Mapping[str, Any] = decision.features if decision else {}
    reasons: Sequence[Mapping[str, Any]] = decision.reasons if decision else []
    case = repository.case_for_read(session, app.id)
    return {
        "application": staff.model_dump(mode="json"),
        "review": case_read(session, app, case, decision).model_dump(mode="json") if case else None,
        "sla_hours": sla_hours,
        "vehicle": vehicle_section(features, staff.vehicle.asking_price),
        "identity": _section(reasons, features, IDENTITY_STAGES, IDENTITY_FEATURES),
        "fraud": fraud_section(reasons, features),
        "credit": {
            "pd": features.get("credit_pd"),
            "grade": features.get("credit_grade"),
            "score": features.get("credit_score"),
            "top_factors": list(features.get("credit_factors") or []),
            "reasons": _reasons_of(reasons, ("credit",)),
        },
        "policy": policy_section(session, decision),
        "trace": decision.trace if decision else [],
        "offers": offers_section(decision),
        "decisions": decision_history(session, app.id),
        "graph": graph_of(session, app, now=now, policy=link_policy),
    }


def _reasons_of(
    reasons: Sequence[Mapping[str, Any]], stages: Sequence[str]
) -> list[dict[str, Any]]:
    return [dict(r) for r in reasons if r.get("stage") in stages]


def _section(
    reasons: Sequence[Mapping[str, Any]],
    features: Mapping[str, Any],
    stages: Sequence[str],
    prefixes: tuple[str, ...],
) -> dict[str, Any]:
    return {
        "checks": {k: v for k, v in features.items() if k.startswith(prefixes)},
        "reasons": _reasons_of(reasons, stages),
    }


def vehicle_section(features: Mapping[str, Any], asking: Decimal) -> dict[str, Any]:
    """The valuation band against the asking price, history flags and the LTV."""
    p10, p50, p90 = (features.get(f"valuation_p{p}") for p in (10, 50, 90))
    position = None
    if p10 is not None and p90 is not None:
        low, high = Decimal(str(p10)), Decimal(str(p90))
        position = "below_p10" if asking < low else "above_p90" if asking > high else "within"
    return {
        "asking_price": str(asking),
        "p10": p10,
        "p50": p50,
        "p90": p90,
        "asking_position": position,
        "ltv": features.get("ltv"),
        "ltv_basis": features.get("ltv_basis"),
        "ltv_on_asking_price": features.get("ltv_on_asking_price"),
        "history": {k: v for k, v in features.items() if k.startswith(HISTORY_FEATURES)},
    }


def fraud_section(
    reasons: Sequence[Mapping[str, Any]], features: Mapping[str, Any]
) -> dict[str, Any]:
    velocity = {k: v for k, v in features.items() if k.startswith("velocity_") and v}
    return {
        "score": features.get("fraud_score"),
        "flags": features.get("fraud_flags") or [],
        "ring_flag": features.get("fraud_ring_flag"),
        "velocity": velocity,
        "device": {k: v for k, v in features.items() if k.startswith("device_")},
        "graph_features": {k: v for k, v in features.items() if k.startswith("graph_")},
        "reasons": _reasons_of(reasons, ("fraud",)),
    }


def policy_section(session: Session, decision: Decision | None) -> dict[str, Any]:
    """The policy's reasons with the rule (condition and thresholds) that gave each."""
    if decision is None:
        return {"fired": [], "input": {}}
    stored = decision_repository.policy_version(
        session, decision.policy_key, decision.policy_version
    )
    rules_by_code: dict[str, list[str]] = {}
    if stored is not None:
        for rule in policy_rules(json.loads(stored.content)):
            rules_by_code.setdefault(rule.code, []).append(f"{rule.table}: {rule.condition}")
    evaluations = decision_repository.evaluations_of(session, decision.id)
    acted = next((e for e in evaluations if e.acted), None)
    fired = [
        {**dict(r), "rules": rules_by_code.get(str(r.get("code")), [])}
        for r in decision.reasons
        if r.get("stage") == "policy"
    ]
    return {
        "key": decision.policy_key,
        "version": decision.policy_version,
        "outcome": decision.outcome,
        "fired": fired,
        "input": acted.input if acted else {},
        "evaluations": [
            {"role": e.role, "acted": e.acted, "version": e.policy_version, "outcome": e.outcome}
            for e in evaluations
        ],
    }


def offers_section(decision: Decision | None) -> dict[str, Any]:
    if decision is None:
        return {"offers": [], "why_none": None}
    features = decision.features
    return {
        "offers": decision.offers,
        "considered": features.get("offers_considered"),
        "feasible": features.get("offers_feasible"),
        "binding_constraint": features.get("offer_binding_constraint"),
        "changes": features.get("offer_changes") or [],
    }


def decision_history(session: Session, application_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(Decision)
        .where(Decision.application_id == application_id)
        .order_by(Decision.decided_at, Decision.id)
    ).all()
    return [
        {
            "id": d.id,
            "outcome": d.outcome,
            "policy": f"{d.policy_key}@{d.policy_version}",
            "decided_at": d.decided_at.isoformat(),
            "model_versions": d.model_versions,
        }
        for d in rows
    ]


def case_read(
    session: Session, app: Application, case: ReviewCase, decision: Decision | None
) -> CaseRead:
    verdicts = repository.verdicts_of(session, case.id)
    requests = repository.info_requests(session, app.id)
    return CaseRead(
        application_id=app.id,
        status=app.status,
        state=case.state,
        policy_outcome=decision.outcome if decision else "refer",
        final_outcome=case.final_outcome,
        decided_by_role=case.decided_by_role,
        decided_at=case.decided_at,
        claimed_by=case.claimed_by,
        claimed_at=case.claimed_at,
        referred_at=case.referred_at,
        amount=from_fen(case.amount_fen),
        verdicts=[VerdictRead.model_validate(v, from_attributes=True) for v in verdicts],
        information_requests=[
            InfoRequestRead.model_validate(r, from_attributes=True) for r in requests
        ],
    )


def graph_of(
    session: Session, app: Application, *, now: datetime, policy: LinkPolicy
) -> dict[str, Any]:
    """The two-hop graph around the application, with ring membership."""
    source = fraud_repository.SqlLinkSource(session)
    seeds = source.keys_of([app.id])[app.id]
    # Up to now (and the application's own instant: its contemporaries are neighbours too).
    as_of = max(now, app.submitted_at).timestamp() + 1.0
    nb = explore(source, seeds, self_id=app.id, as_of=as_of, policy=policy)
    by_recency = sorted(nb.hop1, key=lambda a: (-nb.times.get(a, 0.0), str(a)))
    hop2 = sorted(nb.hop2, key=lambda a: (-nb.times.get(a, 0.0), str(a)))
    chosen, truncated = case_graph.chosen_apps(app.id, [str(a) for a in by_recency],
                                               [str(a) for a in hop2])  # fmt: skip
    keys = source.keys_of(chosen) if len(chosen) > 1 else {app.id: seeds}
    meta = {
        row.id: row
        for row in session.execute(
            select(
                Application.id, Application.status, Application.sp_id, Application.submitted_at
            ).where(Application.id.in_(chosen))
        )
    }
    rings = _rings(chosen, keys, meta, policy)
    hop1 = set(map(str, nb.hop1))
    nodes = [
        case_graph.AppNode(
            id=a,
            hop=0 if a == app.id else 1 if a in hop1 else 2,
            sp=meta[a].sp_id if a in meta else 0,
            status=meta[a].status if a in meta else None,
            bad=a in nb.bad,
            ring=rings.get(a),
        )
        for a in chosen
    ]
    codes = {sp.id: sp.code for sp in dealer_service.list_all(session)}
    pairs = {a: [(k.kind, str(k.key)) for k in keys.get(a, [])] for a in chosen}
    drawn = case_graph.build(nodes, pairs, sp_codes=codes, ring_id=rings.get(app.id))
    drawn.truncated = truncated
    return drawn.as_dict()


def _rings(
    chosen: Sequence[str],
    keys: Mapping[Any, Sequence[AppKey]],
    meta: Mapping[str, Any],
    policy: LinkPolicy,
) -> dict[str, str]:
    """Per drawn application, the id of the flagged ring it belongs to (the fraud ring
    detector over the drawn applications); empty without the graph library (train extra)."""
    present = [a for a in chosen if a in meta]
    if len(present) < RingPolicy().min_size:
        return {}
    apps, kinds, values = [], [], []
    for index, a in enumerate(present):
        for k in keys.get(a, []):
            apps.append(index)
            kinds.append(k.kind)
            values.append(str(k.key))
    codes, _ = factorise(kinds, values)
    times = [int(meta[a].submitted_at.timestamp()) for a in present]
    rows = build_rows(apps, kinds, codes, times, [meta[a].sp_id for a in present], present)
    try:
        report = detect_rings(rows, RingPolicy(link=policy))
    except ExtraMissing:
        return {}
    out: dict[str, str] = {}
    for ring in report.rings:
        if ring.flagged:
            for member in ring.members:
                out[present[member]] = ring.ring_id
    return out
