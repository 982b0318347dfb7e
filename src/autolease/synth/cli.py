"""``autolease synth``: generate a synthetic lease book, or report on one (JSON lines).

Mount with ``root.add_typer(app, name="synth")``; also runnable as ``python -m autolease.synth``.
"""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path
from typing import Any

import typer

from autolease.cli_support import progress_steps

app = typer.Typer(help="Synthetic used-car lease book with ground truth (Parquet).")


def _emit(payload: dict[str, Any]) -> None:
    typer.echo(json.dumps(payload, ensure_ascii=False, sort_keys=True))


@app.callback(invoke_without_command=True)
def generate(
    ctx: typer.Context,
    applications: int = typer.Option(10_000, "--applications", "-n", min=1, help="Applications"),
    seed: int = typer.Option(0, help="Root seed (same seed, same bytes)"),
    out: Path | None = typer.Option(None, help="Output directory for the Parquet tables"),
    start: str = typer.Option("2024-01-01", help="First day of the application window"),
    months: int = typer.Option(12, min=1, help="Length of the application window"),
    fraud_rate: float = typer.Option(0.015, min=0.0, max=0.5, help="Share of fraud"),
    corporate_share: float = typer.Option(0.08, min=0.0, max=1.0, help="Corporate lessees"),
) -> None:
    """Generate a book: ``autolease synth --applications N --seed S --out DIR``."""
    if ctx.invoked_subcommand is not None:
        return
    if out is None:
        raise typer.BadParameter("--out is required to generate a book", param_hint="--out")
    from autolease.synth.config import SynthConfig
    from autolease.synth.writer import write_book

    cfg = SynthConfig(
        n_applications=applications,
        seed=seed,
        start=date.fromisoformat(start),
        months=months,
        fraud_rate=fraud_rate,
        corporate_share=corporate_share,
    )
    began = time.perf_counter()
    with progress_steps() as steps:
        steps.step("generating applications", total=applications)
        manifest = write_book(cfg, out, on_applications=steps.advance)
    _emit({"event": "generated", "out": str(out), "seconds": round(time.perf_counter() - began, 2),
           "rows": manifest["rows"]})  # fmt: skip


@app.command()
def report(directory: Path = typer.Argument(..., exists=True, file_okay=False)) -> None:
    """Marginals, fraud mix, default rates and the logistic-regression AUC of a book."""
    from autolease.synth.report import REPORT_TABLES, build_report
    from autolease.synth.writer import read_tables, row_counts

    for section in build_report(read_tables(directory, REPORT_TABLES), row_counts(directory)):
        _emit(section)
