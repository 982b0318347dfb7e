"""`autolease portfolio`: simulate a live book, report on one (vintages, rolls, PSI), and train
and run its early-warning model (a collections watch-list)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from autolease.cli_support import err_console

if TYPE_CHECKING:
    import pandas as pd

    from autolease.portfolio.panel import Panel
    from autolease.portfolio.simulate import SimulatedBook

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
    panel: Path | None = typer.Option(None, help="a folder written by `portfolio simulate`"),
    book: Path | None = typer.Option(None, help="a synthetic book (`autolease synth`)"),
    out: Path = typer.Option(Path("portfolio.html"), help="the HTML report"),
    json_out: Path | None = typer.Option(None, "--json", help="also write the figures as JSON"),
) -> None:
    """Vintage curves, roll and flow rates, PSI/CSI and alerts, as HTML (and JSON)."""
    from autolease.config import get_settings
    from autolease.portfolio import html
    from autolease.portfolio.report import build_report

    if (panel is None) == (book is None):
        err_console.print("[red]give one of --panel or --book[/]")
        raise typer.Exit(2)
    the_panel, apps = _load(panel, book)
    with err_console.status("computing the report"):
        report = build_report(
            the_panel, get_settings().portfolio, applications=apps, features=FEATURES
        )
    out.write_text(html.render(report), encoding="utf-8")
    if json_out is not None:
        json_out.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    typer.echo(json.dumps({"report": str(out), "alerts": len(report["alerts"])}))


def _load(panel: Path | None, book: Path | None) -> tuple[Panel, pd.DataFrame | None]:
    from autolease.portfolio import files
    from autolease.portfolio.book import panel_from_book, read_book

    try:
        if panel is not None:
            saved = files.load(panel)
            return saved.panel, saved.applications if len(saved.applications) else None
        assert book is not None
        return panel_from_book(read_book(book)), None
    except (files.PanelFileError, FileNotFoundError) as exc:
        err_console.print(f"[red]{exc}[/]", soft_wrap=True)
        raise typer.Exit(2) from None


def _load_book(panel: Path) -> SimulatedBook:
    from autolease.portfolio import files

    try:
        return files.load(panel)
    except files.PanelFileError as exc:
        err_console.print(f"[red]{exc}[/]", soft_wrap=True)
        raise typer.Exit(2) from None


def _artifacts(artifacts: Path | None) -> Path:
    from autolease.config import get_settings

    return artifacts or get_settings().artifacts_dir


@app.command("ews-train")
def ews_train_cmd(
    panel: Path = typer.Option(..., help="a folder written by `portfolio simulate`"),
    artifacts: Path | None = typer.Option(None, help="model registry root (settings by default)"),
    version: str | None = typer.Option(None, help="registry version (next number by default)"),
) -> None:
    """Train the early-warning model (M3+ within 12 months, scored at MOB 3) and register it."""
    from autolease.kit.clock import SystemClock
    from autolease.portfolio import ews

    book = _load_book(panel)
    try:
        with err_console.status("training the early-warning model"):
            manifest = ews.train(
                book, _artifacts(artifacts), created_at=SystemClock().now(), version=version
            )
    except ews.EarlyWarningError as exc:
        err_console.print(f"[red]{exc}[/]", soft_wrap=True)
        raise typer.Exit(2) from None
    typer.echo(json.dumps({"model": manifest.ref, "metrics": manifest.metrics}))


@app.command("ews-score")
def ews_score_cmd(
    panel: Path = typer.Option(..., help="a folder written by `portfolio simulate`"),
    month: str = typer.Option(..., help="reporting month, YYYY-MM"),
    out: Path = typer.Option(Path("watchlist.csv"), help="the watch-list (.csv or .json)"),
    top: int = typer.Option(500, min=1, help="contracts on the watch-list"),
    model: str = typer.Option("early_warning@latest", help="registry reference name@version"),
    artifacts: Path | None = typer.Option(None, help="model registry root (settings by default)"),
    partitions: int = typer.Option(0, min=0, help="score with Dask in this many partitions"),
) -> None:
    """Score every active contract at a month and write the riskiest as a watch-list."""
    from autolease.portfolio import ews

    book = _load_book(panel)
    try:
        ews.month_index(book, month)
        loaded = ews.load_model(_artifacts(artifacts), model)
        scored = ews.score(book, loaded, month, partitions=partitions)
    except ews.EarlyWarningError as exc:
        err_console.print(f"[red]{exc}[/]", soft_wrap=True)
        raise typer.Exit(2) from None
    listed = ews.write_watch_list(scored, loaded, top, out)
    typer.echo(json.dumps({"scored": len(scored.scores), "watch_list": listed, "out": str(out)}))
