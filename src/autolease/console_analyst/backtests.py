"""Backtests: start one on a book (two policies), follow its progress (HTMX polling), and
read its report with charts: approval against bad rate, the swap sets, by SP, by month."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from autolease.backtest import runs
from autolease.backtest.records import BacktestRun
from autolease.console.helpers import AnalystOnly, AnalystPage, problems, web_actor
from autolease.console_analyst import charts
from autolease.decision.settings import decision_settings
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.exceptions import AutoleaseError
from autolease.runtime import Runtime
from autolease.web.deps import CsrfDep
from autolease.web.errors import PageError
from autolease.web.templates import gettext_of, lang_of, render

router = APIRouter(prefix="/console/backtests", include_in_schema=False)
Choice = Annotated[str, Form(min_length=1, max_length=160)]


def _index(
    request: Request,
    session: Session,
    runtime: Runtime,
    *,
    errors: list[str] | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    policies_dir = decision_settings(runtime.settings).policies_dir
    runs.expire_stale(session, runtime.clock.now())
    context = {
        "runs": runs.runs(session),
        "books": sorted(runs.available_books(runtime.settings)),
        "policies": runs.policy_choices(session, policies_dir),
        "errors": errors or [],
        "form": form or {},
    }
    return render(request, "console/backtests.html", context, status=status)


@router.get("")
def index(request: Request, session: SessionDep, runtime: RuntimeDep, _: AnalystPage) -> Response:
    return _index(request, session, runtime)


@router.post("")
def start(
    request: Request,
    tasks: BackgroundTasks,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: AnalystOnly,
    _: CsrfDep,
    book: Choice,
    policy: Choice,
    against: Choice,
    limit: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    """Record the backtest and run it after the answer is sent (a background task)."""
    books = runs.available_books(runtime.settings)
    form = {"book": book, "policy": policy, "against": against, "limit": limit}
    try:
        row = runs.start(
            session,
            book=book,
            policy=policy,
            against=against,
            limit=_limit(limit),
            books=books,
            policies_dir=decision_settings(runtime.settings).policies_dir,
            actor=web_actor(runtime, principal),
        )
    except AutoleaseError as exc:
        session.rollback()
        errors = problems(exc, lang_of(request))
        return _index(request, session, runtime, errors=errors, form=form, status=exc.status_code)
    tasks.add_task(runs.execute, runtime, row.id, books)
    return RedirectResponse(f"/console/backtests/{row.id}", status_code=303)


def _limit(value: str) -> int | None:
    from autolease.backtest.exceptions import BacktestInvalid
    from autolease.exceptions import FieldError

    if not value.strip():
        return None
    try:
        return int(value)
    except ValueError:
        raise BacktestInvalid(
            "limit is not a whole number",
            errors=[FieldError("limit", "integer", "give a whole number", "请填写整数")],
        ) from None


def _run(session: Session, runtime: Runtime, run_id: int) -> BacktestRun:
    runs.expire_stale(session, runtime.clock.now())
    row = session.get(BacktestRun, run_id)
    if row is None:
        raise PageError(404, "backtest_not_found", f"no backtest {run_id}")
    return row


@router.get("/{run_id}")
def detail(
    request: Request, run_id: int, session: SessionDep, runtime: RuntimeDep, _: AnalystPage
) -> Response:
    row = _run(session, runtime, run_id)
    context = {"run": row, "report": _report(request, row) if row.status == "done" else None}
    return render(request, "console/backtest.html", context)


@router.get("/{run_id}/progress")
def progress(
    request: Request, run_id: int, session: SessionDep, runtime: RuntimeDep, _: AnalystPage
) -> Response:
    """The progress fragment (polled by HTMX); when the run ends, the page reloads."""
    row = _run(session, runtime, run_id)
    headers = {"HX-Refresh": "true"} if row.status in ("done", "failed") else None
    return render(request, "console/backtest_progress.html", {"run": row}, headers=headers)


def _rate(stats: dict[str, Any]) -> float | None:
    value = stats["bad_rate_counterfactual"]["value"]
    if value is None:
        value = stats["bad_rate_observed"]["value"]
    return None if value is None else float(value)


def _report(request: Request, row: BacktestRun) -> dict[str, Any]:
    """The report's tables and ECharts options (series names translated)."""
    _ = gettext_of(request)
    summary, groups = row.summary or {}, row.breakdown or {}
    policies = summary.get("policies", [])
    names = {p["role"]: _short(p["policy"]) for p in policies}
    scatter = charts.scatter(
        {_short(p["policy"]): (p["approval_rate"], _rate(p["approved"])) for p in policies},
        x=_("approval rate"),
        y=_("bad rate of the approved"),
    )
    swap_sets = summary.get("swaps", [])
    swaps = charts.bars(
        [_("swap in") if s["name"] == "swap_in" else _("swap out") for s in swap_sets]
        + [f"{_('approved by')} {_short(p['policy'])}" for p in policies],
        {_("bad rate"): [_rate(s) for s in swap_sets] + [_rate(p["approved"]) for p in policies]},
        percent=True,
    )
    return {
        "policies": policies,
        "swaps": swap_sets,
        "crosstab": summary.get("crosstab", {}),
        "notes": summary.get("notes", []),
        "timings": summary.get("timings", {}),
        "basis": groups.get("bad_rate_basis"),
        "by_sp": groups.get("sp", []),
        "by_month": groups.get("month", []),
        "charts": {
            "scatter": scatter,
            "swaps": swaps,
            "sp": _group_chart(groups.get("sp", []), names, "approval", bars=True),
            "sp_bad": _group_chart(groups.get("sp", []), names, "bad_rate", bars=True),
            "month": _group_chart(groups.get("month", []), names, "approval", bars=False),
            "month_bad": _group_chart(groups.get("month", []), names, "bad_rate", bars=False),
        },
    }


def _short(ref: str) -> str:
    """A policy as a chart shows it: ``approve@2026.12.1`` for ``origination/approve@…``."""
    return ref.rsplit("/", 1)[-1]


def _group_chart(
    rows: list[dict[str, Any]], names: dict[str, str], measure: str, *, bars: bool
) -> dict[str, Any]:
    categories = [r["group"] for r in rows]
    series = {names.get(role, role): [r[f"{role}_{measure}"] for r in rows] for role in names}
    if bars:
        return charts.bars(categories, series, percent=True)
    return charts.lines(categories, series, percent=True)
