"""The live book's portfolio report, for risk analysts and admins."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse

from autolease.auth.dependencies import require_roles
from autolease.auth.principal import Principal, Role
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.kit.clock import business_date
from autolease.portfolio import html
from autolease.portfolio.decisions import FEATURES, decisions_frame
from autolease.portfolio.report import build_report
from autolease.portfolio.service import panel_from_store

router = APIRouter(prefix="/v1/portfolio", tags=["portfolio"])
AnalystDep = Annotated[Principal, Depends(require_roles(Role.ADMIN, Role.RISK_ANALYST))]
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "missing or invalid credentials"},
    403: {"description": "for risk analysts and admins"},
}


def _report(session: SessionDep, runtime: RuntimeDep, as_of: date | None) -> dict[str, Any]:
    day = as_of or business_date(runtime.clock.now())
    panel = panel_from_store(session, as_of=day, settings=runtime.settings.contract)
    decisions = decisions_frame(session, until=day)
    report = build_report(
        panel,
        runtime.settings.portfolio,
        applications=decisions,
        features=FEATURES,
        decisions=decisions,
    )
    report["as_of"] = day.isoformat()
    return report


@router.get("/report", responses=ERRORS)
def portfolio_report(
    session: SessionDep, runtime: RuntimeDep, _: AnalystDep, as_of: date | None = None
) -> dict[str, Any]:
    """Vintage curves by payout month, product, SP grade and region; roll and flow rates;
    the PSI of the scores and features and the drift of approval rates and reason codes by
    month of decision; alerts. Built from the store's contracts, servicing events and
    decisions as of `as_of`."""
    return _report(session, runtime, as_of)


@router.get("/report.html", response_class=HTMLResponse, responses=ERRORS)
def portfolio_report_html(
    session: SessionDep, runtime: RuntimeDep, _: AnalystDep, as_of: date | None = None
) -> HTMLResponse:
    """The same report as one HTML page with inline SVG charts."""
    return HTMLResponse(html.render(_report(session, runtime, as_of)))
