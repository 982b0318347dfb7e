"""Fraud rings from the latest finished ring run (`fraud.service.ringruns`): the list, each
ring drawn as a graph, its export (JSON or CSV of the members), and confirming a ring as
fraud, which posts a label for every member through the fraud labels service (audited
``fraud.labelled``). Detection runs only when an analyst starts a run (a background task
after the request commits) or from ``autolease fraud rings-run``, never on a view."""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from autolease.console.helpers import AnalystOnly, AnalystPage, problems, web_actor
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.errors import field_errors
from autolease.exceptions import AutoleaseError, InputInvalid
from autolease.fraud import repository as fraud_repository
from autolease.fraud.exceptions import RingNotFound
from autolease.fraud.schemas import LabelIn
from autolease.fraud.service import ringruns
from autolease.fraud.service.labels import record_label
from autolease.runtime import Runtime
from autolease.web.deps import CsrfDep
from autolease.web.errors import PageError
from autolease.web.templates import lang_of, render

router = APIRouter(prefix="/console/fraud-rings", include_in_schema=False)
PATTERNS = ("gang_ring", "identity_theft", "straw_buyer", "double_financing", "bad_sp", "other")
SOURCES = ("investigation", "reviewer", "police", "bureau", "collections")
RunChoice = Annotated[int | None, Form()]


def _index(
    request: Request,
    session: Session,
    runtime: Runtime,
    *,
    errors: list[str] | None = None,
    status: int = 200,
) -> Response:
    ringruns.expire_stale(session, runtime.clock.now())
    run = fraud_repository.latest_done_ring_run(session)
    context = {
        "run": run,
        "rings": ringruns.listed(session, run) if run is not None else [],
        "runs": fraud_repository.ring_runs(session),
        "unfinished": fraud_repository.unfinished_ring_runs(session),
        "errors": errors or [],
    }
    return render(request, "console/rings.html", context, status=status)


@router.get("")
def index(request: Request, session: SessionDep, runtime: RuntimeDep, _: AnalystPage) -> Response:
    return _index(request, session, runtime)


@router.get("/runs/progress")
def run_progress(
    request: Request, session: SessionDep, runtime: RuntimeDep, _: AnalystPage
) -> Response:
    """The unfinished runs (polled by HTMX); when none is left, the page reloads."""
    ringruns.expire_stale(session, runtime.clock.now())
    unfinished = fraud_repository.unfinished_ring_runs(session)
    headers = None if unfinished else {"HX-Refresh": "true"}
    context = {"unfinished": unfinished}
    return render(request, "console/ring_run_progress.html", context, headers=headers)


@router.post("/runs")
def start_run(
    request: Request,
    tasks: BackgroundTasks,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: AnalystOnly,
    _: CsrfDep,
) -> Response:
    """Record a ring run and run it after the answer is sent (a background task)."""
    try:
        row = ringruns.start(session, actor=web_actor(runtime, principal))
    except AutoleaseError as exc:
        session.rollback()
        errors = problems(exc, lang_of(request))
        return _index(request, session, runtime, errors=errors, status=exc.status_code)
    tasks.add_task(ringruns.execute, runtime, row.id)
    return RedirectResponse("/console/fraud-rings", status_code=303)


def _view(session: Session, ring_id: str, run_id: int | None = None) -> ringruns.RingView:
    try:
        return ringruns.ring_view(session, ring_id, run_id)
    except RingNotFound as exc:
        raise PageError(404, "ring_not_found", exc.detail) from None


@router.get("/{ring_id}")
def detail(
    request: Request,
    ring_id: str,
    session: SessionDep,
    _: AnalystPage,
    run: int | None = None,
) -> Response:
    return _detail(request, session, ring_id, run)


def _detail(
    request: Request,
    session: Session,
    ring_id: str,
    run_id: int | None,
    *,
    errors: list[str] | None = None,
    status: int = 200,
) -> Response:
    view = _view(session, ring_id, run_id)
    context = {
        "run": view.run,
        "ring": view.export,
        "graph": view.graph,
        "patterns": PATTERNS,
        "sources": SOURCES,
        "errors": errors or [],
        "done": request.query_params.get("done") == "confirmed",
    }
    return render(request, "console/ring.html", context, status=status)


@router.get("/{ring_id}/export.json")
def export_json(
    ring_id: str, session: SessionDep, _: AnalystPage, run: int | None = None
) -> Response:
    exported = _view(session, ring_id, run).export
    body = json.dumps(exported, ensure_ascii=False, indent=2)
    return Response(body, media_type="application/json", headers=_attachment(ring_id, "json"))


@router.get("/{ring_id}/export.csv")
def export_csv(
    ring_id: str, session: SessionDep, _: AnalystPage, run: int | None = None
) -> Response:
    exported = _view(session, ring_id, run).export
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
    run: RunChoice = None,
) -> Response:
    """Label every member of the ring (of the run the form showed) as confirmed fraud, one
    audited label each."""
    view = _view(session, ring_id, run)
    exported = view.export
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
        return _detail(request, session, ring_id, run, errors=errors, status=exc.status_code)
    return RedirectResponse(
        f"/console/fraud-rings/{ring_id}?run={view.run.id}&done=confirmed", status_code=303
    )


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
