"""Fraud rings over the store's links: the list, each ring drawn as a graph, its export
(JSON or CSV of the members), and confirming a ring as fraud, which posts a label for every
member through the fraud labels service (audited ``fraud.labelled``)."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Form, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from autolease.console.helpers import AnalystOnly, AnalystPage, problems, web_actor
from autolease.console_analyst import ringgraph
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.errors import field_errors
from autolease.exceptions import AutoleaseError, InputInvalid
from autolease.fraud import repository as fraud_repository
from autolease.fraud.links import LinkRows
from autolease.fraud.schemas import LabelIn
from autolease.fraud.service.labels import record_label
from autolease.web.deps import CsrfDep
from autolease.web.errors import PageError
from autolease.web.templates import lang_of, render

if TYPE_CHECKING:
    from autolease.fraud.rings import Ring, RingReport

router = APIRouter(prefix="/console/fraud-rings", include_in_schema=False)
PATTERNS = ("gang_ring", "identity_theft", "straw_buyer", "double_financing", "bad_sp", "other")
SOURCES = ("investigation", "reviewer", "police", "bureau", "collections")


def _detect(session: Session) -> tuple[RingReport, LinkRows]:
    from autolease.fraud.rings import RingPolicy
    from autolease.fraud.service.offline import rings_over_store

    return rings_over_store(session, RingPolicy())


@router.get("")
def index(request: Request, session: SessionDep, _: AnalystPage) -> Response:
    report, _rows = _detect(session)
    rings = [
        {
            "ring_id": r.ring_id,
            "score": r.score,
            "flagged": r.flagged,
            "size": r.size,
            "identities": r.identities,
            "sps": len(r.sps),
            "span_days": round(r.span_days, 1),
            "kinds": ", ".join(r.cross_kinds),
            "known_bad": r.known_bad,
        }
        for r in report.rings[:200]
    ]
    context = {"rings": rings, "stats": report.stats, "total": len(report.rings)}
    return render(request, "console/rings.html", context)


def _ring(session: Session, ring_id: str) -> tuple[Ring, LinkRows, dict[str, Any]]:
    from autolease.fraud.rings import ring_json

    report, rows = _detect(session)
    ring = report.by_id(ring_id)
    if ring is None:
        raise PageError(404, "ring_not_found", f"no ring {ring_id!r} in the store's links now")
    bad = fraud_repository.all_fraud_labels(session)
    known = {a: str(rows.app_ids[a]) in bad for a in ring.members}
    return ring, rows, ring_json(ring, rows, known)


@router.get("/{ring_id}")
def detail(
    request: Request,
    ring_id: str,
    session: SessionDep,
    _: AnalystPage,
) -> Response:
    return _detail(request, session, ring_id)


def _detail(
    request: Request,
    session: Session,
    ring_id: str,
    *,
    errors: list[str] | None = None,
    status: int = 200,
) -> Response:
    ring, rows, exported = _ring(session, ring_id)
    bad = {m["application_id"] for m in exported["members"] if m["known_bad"]}
    context = {
        "ring": exported,
        "graph": ringgraph.elements(ring, rows, bad),
        "patterns": PATTERNS,
        "sources": SOURCES,
        "errors": errors or [],
        "done": request.query_params.get("done") == "confirmed",
    }
    return render(request, "console/ring.html", context, status=status)


@router.get("/{ring_id}/export.json")
def export_json(ring_id: str, session: SessionDep, _: AnalystPage) -> Response:
    exported = _ring(session, ring_id)[2]
    body = json.dumps(exported, ensure_ascii=False, indent=2)
    return Response(body, media_type="application/json", headers=_attachment(ring_id, "json"))


@router.get("/{ring_id}/export.csv")
def export_csv(ring_id: str, session: SessionDep, _: AnalystPage) -> Response:
    exported = _ring(session, ring_id)[2]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["ring_id", "application_id", "submitted_at", "sp_id", "known_bad"])
    for m in exported["members"]:
        writer.writerow(
            [ring_id, m["application_id"], m["submitted_at"], m["sp_id"], m["known_bad"]]
        )
    return Response(
        out.getvalue(), media_type="text/csv; charset=utf-8", headers=_attachment(ring_id, "csv")
    )


def _attachment(ring_id: str, ext: str) -> dict[str, str]:
    safe = "".join(c for c in ring_id if c.isalnum() or c in "-_")
    return {"Content-Disposition": f'attachment; filename="ring-{safe}.{ext}"'}


@router.post("/{ring_id}/confirm")
def confirm(
    request: Request,
    ring_id: str,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: AnalystOnly,
    _: CsrfDep,
    pattern: Annotated[str, Form(max_length=40)],
    source: Annotated[str, Form(max_length=40)],
    note: Annotated[str, Form(min_length=1, max_length=500)],
) -> Response:
    """Label every member of the ring as confirmed fraud (one audited label each)."""
    exported = _ring(session, ring_id)[2]
    actor = web_actor(runtime, principal)
    try:
        for member in exported["members"]:
            body = _label(member["application_id"], pattern, source, note)
            record_label(
                session,
                application_id=body.application_id,
                label=body.label,
                pattern=body.pattern,
                source=body.source,
                note=body.note,
                actor=actor,
            )
    except AutoleaseError as exc:
        session.rollback()
        errors = problems(exc, lang_of(request))
        return _detail(request, session, ring_id, errors=errors, status=exc.status_code)
    return RedirectResponse(f"/console/fraud-rings/{ring_id}?done=confirmed", status_code=303)


def _label(application_id: str, pattern: str, source: str, note: str) -> LabelIn:
    try:
        return LabelIn.model_validate(
            {
                "application_id": application_id,
                "label": "fraud",
                "pattern": pattern,
                "source": source,
                "note": f"ring confirmed: {note}"[:500],
            }
        )
    except ValidationError as exc:
        raise InputInvalid("the label is not valid", errors=field_errors(exc.errors())) from None
