"""`autolease portfolio`: simulate a live book, and report on one (vintages, rolls, PSI)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from autolease.cli_support import err_console

app = typer.Typer(
    help="Portfolio monitoring: vintages, roll rates, stability, alerts.", no_args_is_help=True
)
FEATURES = ("ltv", "applicant_age", "monthly_income", "vehicle_age_years")


@app.command("simulate")
def simulate_cmd(
    out: Path = typer.Option(..., help="folder to write the panel to"),
    contracts: int = typer.Option(100_000, min=100, max=5_000_000),
    months: int = typer.Option(36, min=6, max=120, help="origination months in the window"),
    seed: int = 11,
    plant: bool = typer.Option(True, help="plant a deteriorating cohort (see its meta.json)"),
    sps: int = typer.Option(
        0, min=0, max=10_000, help="add an `sp` segment with this many SPs (some bad)"
    ),
) -> None:
    """Write a synthetic live book's monthly states and application scores."""
    from autolease.portfolio import files
    from autolease.portfolio.simulate import Planted, SpPlan, simulate

    with err_console.status(f"simulating {contracts:,} contracts over {months} months"):
        book = simulate(
            contracts,
            origination_months=months,
            seed=seed,
            planted=Planted() if plant else None,
            sps=SpPlan(count=sps) if sps else None,
        )
        files.save(book, out)
    typer.echo(json.dumps({"folder": str(out), "contracts": contracts, "months": months}))


@app.command("report")
def report_cmd(
    panel: Path = typer.Option(..., help="a folder written by `portfolio simulate`"),
    out: Path = typer.Option(Path("portfolio.html"), help="the HTML report"),
    json_out: Path | None = typer.Option(None, "--json", help="also write the figures as JSON"),
) -> None:
    """Vintage curves, roll and flow rates, PSI/CSI and alerts, as HTML (and JSON)."""
    from autolease.config import get_settings
    from autolease.portfolio import files, html
    from autolease.portfolio.report import build_report

    try:
        book = files.load(panel)
    except files.PanelFileError as exc:
        err_console.print(f"[red]{exc}[/]")
        raise typer.Exit(2) from None
    with err_console.status("computing the report"):
        report = build_report(
            book.panel,
            get_settings().portfolio,
            applications=book.applications if len(book.applications) else None,
            features=FEATURES,
        )
    out.write_text(html.render(report), encoding="utf-8")
    if json_out is not None:
        json_out.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    typer.echo(json.dumps({"report": str(out), "alerts": len(report["alerts"])}))
