"""``autolease vehicle``: train and evaluate the valuation, decode a VIN, appraise a car.

Mount with ``app.add_typer(vehicle_app, name="vehicle")`` in ``autolease/cli.py``.

``--out DIR`` of ``train`` is an artifacts root (the model goes to ``DIR/valuation/<version>/``)
or, when it is named ``valuation`` or already holds a manifest, the ``valuation`` folder itself.
``evaluate DIR`` accepts the root (``valuation@latest``, or ``--ref``), or one version folder.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import typer

from autolease.cli_support import json_errors, progress_steps
from autolease.kit.clock import SystemClock, business_date

app = typer.Typer(help="Vehicles: VIN decoding, valuation, residual value.", no_args_is_help=True)


def _emit(payload: dict[str, Any]) -> None:
    typer.echo(json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str))


@app.command("train")
def train_cmd(
    data: Path = typer.Option(..., "--data", exists=True, help="CSV, Parquet or a book dir"),
    out: Path = typer.Option(..., "--out", help="artifacts root (or the valuation folder)"),
    columns: str | None = typer.Option(None, "--columns", help="a=b,c=d*10 or a JSON/YAML file"),
    version: str | None = typer.Option(None, "--version", help="default: UTC timestamp"),
    seed: int = typer.Option(42, "--seed"),
    holdout: float = typer.Option(0.15, "--holdout", min=0.0, max=0.5),
    threads: int = typer.Option(0, "--threads", min=0, help="0 = all cores"),
    currency: str = typer.Option("", "--currency", help="recorded in the model, e.g. CNY"),
) -> None:
    """Train P10/P50/P90 on a price table and save it with a manifest (JSON on stdout)."""
    from autolease.vehicle import service
    from autolease.vehicle.valuation import TrainConfig

    now = SystemClock().now()
    config = TrainConfig(seed=seed, holdout_share=holdout, num_threads=threads)
    with json_errors(), progress_steps() as steps:
        steps.step(f"training the valuation model (P10/P50/P90) on {data.name}")
        manifest, _ = service.train_and_save(
            data,
            out,
            columns=columns,
            version=version or now.strftime("%Y%m%d%H%M%S"),
            created_at=now.isoformat(),
            config=config,
            currency=currency,
        )
    _emit(
        {
            "event": "trained",
            "model": manifest.ref,
            "features": [f.name for f in manifest.features],
            "metrics": manifest.metrics,
        }
    )


@app.command("evaluate")
def evaluate_cmd(
    artifact: Path = typer.Argument(..., exists=True, help="artifacts root or a version folder"),
    data: Path = typer.Option(..., "--data", exists=True),
    columns: str | None = typer.Option(None, "--columns"),
    ref: str = typer.Option("valuation@latest", "--ref"),
) -> None:
    """Print JSON: mae, mape, r2, coverage_p10_p90, n on a price table."""
    from autolease.vehicle import service

    with json_errors():
        result = service.evaluate(artifact, data, columns=columns, ref=ref)
    if result["drift"]["warning"]:
        typer.echo(f"warning: {result['drift']['warning']}", err=True)
    _emit(result)


@app.command("score")
def score_cmd(
    artifact: Path = typer.Argument(..., exists=True, help="artifacts root or a version folder"),
    data: Path = typer.Option(..., "--data", exists=True, help="CSV, Parquet or a folder"),
    out: Path = typer.Option(..., "--out", help="CSV (or .parquet): the input plus p10,p50,p90"),
    columns: str | None = typer.Option(None, "--columns"),
    ref: str = typer.Option("valuation@latest", "--ref"),
) -> None:
    """Value every row of a table (no price needed) and write P10/P50/P90 per row."""
    from autolease.vehicle import service

    with json_errors():
        result = service.score_table(artifact, data, out, columns=columns, ref=ref)
    _emit(result)


@app.command("decode")
def decode_cmd(
    vin: str,
    registered: str | None = typer.Option(None, "--registered", help="first registration date"),
) -> None:
    """Decode a VIN: check digit, model year, manufacturer, country, brands."""
    from autolease.vehicle import service

    when = date.fromisoformat(registered) if registered else None
    decoded = service.decode(vin, when)
    _emit({**asdict(decoded), "brand_names": list(decoded.brand_names())})


@app.command("appraise")
def appraise_cmd(
    vin: str,
    brand: str = typer.Option(..., "--brand"),
    registered: str = typer.Option(..., "--registered"),
    mileage: int = typer.Option(..., "--mileage-km"),
    model: str | None = typer.Option(None, "--model"),
    fuel: str | None = typer.Option(None, "--fuel"),
    asking: str | None = typer.Option(None, "--asking-price"),
    amount: str | None = typer.Option(None, "--amount"),
    term: int = typer.Option(36, "--term-months", min=12, max=48),
    artifacts: Path = typer.Option(Path("artifacts"), "--artifacts"),
    ref: str = typer.Option("valuation@latest", "--ref"),
    book: Path | None = typer.Option(None, "--book", help="synthetic book for history"),
) -> None:
    """Quick appraisal of one car (valuation, residual, history, LTV) as JSON."""
    from autolease.vehicle import service
    from autolease.vehicle.history import EmptyHistoryProvider

    valuer = service.cached_valuer(artifacts, ref)
    history = service.history_provider(book) if book else EmptyHistoryProvider()
    result = service.appraise(
        service.AppraisalRequest(
            vin=vin,
            brand=brand,
            model=model,
            first_registration_date=date.fromisoformat(registered),
            mileage_km=mileage,
            fuel_type=fuel,
            asking_price=Decimal(asking) if asking else None,
            amount=Decimal(amount) if amount else None,
            term_months=term,
        ),
        valuer=valuer,
        history=history,
        today=business_date(SystemClock().now()),
    )
    _emit(asdict(result))
