"""``autolease fraud``: rings over the history, training and evaluating the fraud model.

Mount with ``app.add_typer(fraud_app, name="fraud")``. Commands print JSON lines (``rings``
also a Rich table with ``--table``); bad input exits 2 with ``{"error", "detail"}`` on
stderr, never a traceback.

    autolease fraud rings [--data BOOK] [--top 20] [--export RING_ID --out FILE]
    autolease fraud rings-run [--start D] [--end D]     # stored: what the console shows
    autolease fraud train --data BOOK [--train-months 9]
    autolease fraud train --csv FILE --target COL [--drop C ...] [--train-where year=1994..1995]
        [--time-column Year --time-column Month]
    autolease fraud evaluate --data BOOK [--model fraud_gbm@latest] [--train-months 9]
    autolease fraud evaluate --csv FILE [--target COL] [--test-where year=1996,1997]
    autolease fraud score --data BOOK --out scores.parquet [--model fraud_gbm@latest]
    autolease fraud score --csv FILE --out scored.csv [--model fraud_gbm@latest]
    autolease fraud calibrate --csv RECENT.csv [--where month=2026-11..] --refer-rate 0.05
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from autolease.cli_support import json_errors, progress_steps
from autolease.fraud.exceptions import FraudDataInvalid, RingNotFound
from autolease.kit.clock import Clock, SystemClock

if TYPE_CHECKING:
    from autolease.fraud.links import LinkRows
    from autolease.fraud.rings import Ring, RingReport
    from autolease.fraud.training import TrainOptions

app = typer.Typer(help="Anti-fraud: rings, the fraud model.", no_args_is_help=True)
WHERE_HELP = "COLUMN=V, COLUMN=V1,V2 or COLUMN=LO..HI (inclusive)"
clock_factory: Callable[[], Clock] = SystemClock


def _emit(payload: dict[str, Any]) -> None:
    typer.echo(json.dumps(payload, ensure_ascii=False, default=_plain))


def _plain(value: Any) -> Any:
    if type(value).__module__ == "numpy" and getattr(value, "ndim", None) == 0:
        return value.item()  # a NumPy scalar
    return str(value)


_errors = json_errors


def _root(out: Path | None) -> Path:
    if out is not None:
        return out
    from autolease.config import get_settings

    return get_settings().artifacts_dir


def _date(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise FraudDataInvalid(f"{option}: expected an ISO date, e.g. 2026-01-31") from None
    if parsed.tzinfo is None:
        from autolease.kit.clock import CHINA_TZ

        parsed = parsed.replace(tzinfo=CHINA_TZ)
    return parsed


# ----------------------------------------------------------------------------- rings


def _ring_line(ring: Ring, rows: LinkRows) -> dict[str, Any]:
    return {
        "ring_id": ring.ring_id,
        "score": ring.score,
        "flagged": ring.flagged,
        "size": ring.size,
        "identities": ring.identities,
        "sps": len(ring.sps),
        "span_days": round(ring.span_days, 1),
        "cross_identity_kinds": list(ring.cross_kinds),
        "first": str(rows.app_ids[ring.members[0]]),
    }


def _print_table(report: RingReport, rows: LinkRows, top: int) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"rings ({sum(r.flagged for r in report.rings)} flagged)")
    for column in ("ring", "score", "flag", "size", "ids", "SPs", "days", "shared across ids"):
        table.add_column(column)
    for ring in report.rings[:top]:
        table.add_row(
            ring.ring_id, f"{ring.score:.3f}", "yes" if ring.flagged else "", str(ring.size),
            str(ring.identities), str(len(ring.sps)), f"{ring.span_days:.0f}",
            ",".join(ring.cross_kinds),
        )  # fmt: skip
    Console().print(table)


def _detect(data: Path | None, start: str | None, end: str | None) -> tuple[RingReport, LinkRows]:
    from autolease.fraud.rings import RingPolicy
    from autolease.fraud.service import offline

    if data is not None:
        return offline.rings_over_book(data, RingPolicy())
    from autolease.cli_support import runtime_scope, transaction

    with runtime_scope() as runtime, transaction(runtime) as session:
        return offline.rings_over_store(
            session, RingPolicy(), start=_date(start, "--start"), end=_date(end, "--end")
        )


@app.command()
def rings(
    data: Path | None = typer.Option(None, "--data", help="A synthetic book (default: store)"),
    start: str | None = typer.Option(None, help="Store only: applications from this date"),
    end: str | None = typer.Option(None, help="Store only: applications before this date"),
    top: int = typer.Option(20, min=0, help="Rings to list"),
    export: str | None = typer.Option(None, "--export", help="Ring id to export as JSON"),
    out: Path | None = typer.Option(None, "--out", help="File for --export"),
    table: bool = typer.Option(False, "--table", help="Print a Rich table, not JSON lines"),
) -> None:
    """Find, score and list fraud rings over the whole history; export one for review."""
    from autolease.fraud.rings import ring_json

    with _errors():
        if export is not None and out is None:
            raise FraudDataInvalid("--out is required with --export")
        began = time.perf_counter()
        with progress_steps() as steps:
            steps.step(f"finding rings over {'the book ' + data.name if data else 'the store'}")
            report, rows = _detect(data, start, end)
        seconds = round(time.perf_counter() - began, 2)
        if export is not None and out is not None:
            ring = report.by_id(export)
            if ring is None:
                raise RingNotFound(f"--export: no ring {export!r}")
            out.write_text(json.dumps(ring_json(ring, rows), ensure_ascii=False, indent=2))
            _emit({"event": "exported", "ring_id": export, "out": str(out)})
            return
        stats = report.stats
        flagged = report.flagged_apps()
        _emit({"event": "rings", "seconds": seconds, **stats.__dict__,
               "rings": len(report.rings), "flagged_rings": sum(r.flagged for r in report.rings),
               "flagged_applications": int(flagged.sum())})  # fmt: skip
        if table:
            _print_table(report, rows, top)
            return
        for ring in report.rings[:top]:
            _emit(_ring_line(ring, rows))


@app.command("rings-run")
def rings_run(
    start: str | None = typer.Option(None, help="Applications from this date"),
    end: str | None = typer.Option(None, help="Applications before this date"),
) -> None:
    """Find rings over the store and store them as a ring run (the console's rings pages show
    the latest finished run)."""
    from autolease.cli_support import runtime_scope, system_actor, transaction
    from autolease.fraud.models import RingRun
    from autolease.fraud.service import ringruns

    with _errors(), runtime_scope() as runtime:
        window = (_date(start, "--start"), _date(end, "--end"))
        with transaction(runtime) as session:
            run_id = ringruns.start(session, actor=system_actor(runtime), window=window).id
        began = time.perf_counter()
        with progress_steps() as steps:
            steps.step(f"finding rings over the store (ring run {run_id})")
            ringruns.run(runtime, run_id)
        with transaction(runtime) as session:
            row = session.get(RingRun, run_id)
            assert row is not None
            counts = ("applications", "linked_applications", "links", "rings", "flagged_rings")
            _emit(
                {
                    "event": "ring_run",
                    "id": row.id,
                    "status": row.status,
                    "seconds": round(time.perf_counter() - began, 2),
                    **{name: getattr(row, name) for name in counts},
                }
            )


# ----------------------------------------------------------------------------- models


def _options(
    rounds: int | None, refer_rate: float, threads: int, base: TrainOptions | None = None
) -> TrainOptions:
    """`base` (the book defaults unless given) with the command line's choices."""
    from autolease.fraud.training import TrainOptions

    start = base or TrainOptions()
    try:
        return replace(
            start, rounds=rounds or start.rounds, refer_rate=refer_rate, num_threads=threads
        )
    except ValueError as exc:
        raise FraudDataInvalid(str(exc)) from None


@app.command()
def train(
    data: Path | None = typer.Option(None, "--data", help="A synthetic book directory"),
    csv: Path | None = typer.Option(None, "--csv", help="Or a labelled CSV"),
    target: str | None = typer.Option(None, help="CSV: the label column"),
    positive: str | None = typer.Option(None, help="CSV: the label value meaning fraud"),
    drop: list[str] = typer.Option(
        [], "--drop", help="Columns (CSV) or model inputs (book) not to use"
    ),
    train_where: str | None = typer.Option(None, help="CSV: train rows, " + WHERE_HELP),
    test_where: str | None = typer.Option(None, help="CSV: test rows, " + WHERE_HELP),
    time_column: list[str] = typer.Option(
        [],
        "--time-column",
        help="CSV: time order (repeat: Year then Month); settings, inputs and threshold are"
        " then chosen on forward blocks (train on earlier periods, validate on the next)",
    ),
    train_months: int = typer.Option(9, min=1, help="Book: months to train on (rest: test)"),
    rounds: int | None = typer.Option(
        None,
        min=1,
        help="Trees (default: 300 for a book; for a CSV at most 1000, the count chosen by"
        " cross-validation)",
    ),
    refer_rate: float = typer.Option(0.028, help="Share to refer (sets the threshold)"),
    threads: int = typer.Option(1, min=1),
    out: Path | None = typer.Option(None, help="Artifacts root (default: settings)"),
    name: str = typer.Option("fraud_gbm", help="Model name"),
    version: str | None = typer.Option(None, help="Version (default: next number)"),
) -> None:
    """Train and register the fraud model on a book (or any labelled CSV)."""
    from autolease.fraud.service import offline
    from autolease.fraud.training import SMALL_TABLE_OPTIONS

    with _errors(), progress_steps() as steps:
        steps.step(f"training the fraud model on {(csv or data or Path()).name}")
        small_table = SMALL_TABLE_OPTIONS if csv is not None else None
        options = _options(rounds, refer_rate, threads, small_table)
        now = clock_factory().now()
        if (data is None) == (csv is None):
            raise FraudDataInvalid("give exactly one of --data and --csv")
        if csv is not None:
            if target is None:
                raise FraudDataInvalid("--target is required with --csv")
            result = offline.train_csv(
                csv, target, options, out=_root(out), name=name, version=version,
                created_at=now, drop=drop, train_where=train_where, test_where=test_where,
                positive=positive, time_columns=time_column,
            )  # fmt: skip
            forward = result.model.metrics.get("time_validation")
            _emit({"event": "trained", "model": result.manifest.ref,
                   "oof": result.model.metrics.get("oof"), "test": result.test,
                   **({"time_validation": forward} if forward else {})})  # fmt: skip
            return
        assert data is not None
        trained = offline.train_book(
            data, options, out=_root(out), name=name, version=version, created_at=now,
            train_months=train_months, drop=drop,
        )  # fmt: skip
        _emit({"event": "trained", "model": trained.manifest.ref,
               "refer_threshold": trained.model.refer_threshold,
               "oof": trained.model.metrics.get("oof"), "holdout": trained.holdout})  # fmt: skip


def _one_source(data: Path | None, csv: Path | None) -> None:
    if (data is None) == (csv is None):
        raise FraudDataInvalid("give exactly one of --data and --csv")


@app.command()
def evaluate(
    data: Path | None = typer.Option(None, "--data", help="A synthetic book directory"),
    csv: Path | None = typer.Option(None, "--csv", help="Or a labelled CSV"),
    target: str | None = typer.Option(None, help="CSV: the label column (default: trained)"),
    positive: str | None = typer.Option(None, help="CSV: the label value meaning fraud"),
    test_where: str | None = typer.Option(None, help="CSV: rows to evaluate, " + WHERE_HELP),
    model: str = typer.Option("fraud_gbm@latest", help="name@version or name@latest"),
    train_months: int = typer.Option(9, min=0, help="Book: evaluate the months after these"),
    root: Path | None = typer.Option(None, "--artifacts", help="Artifacts root"),
) -> None:
    """Score later rows with a registered model: AUC, referral, recall (by pattern for a book)."""
    from autolease.fraud.service import offline
    from autolease.fraud.service.scoring import resolve_model

    with _errors():
        _one_source(data, csv)
        loaded = resolve_model(_root(root), model)
        if csv is not None:
            label = target or offline.csv_target(_root(root), model)
            if label is None:
                raise FraudDataInvalid("--target is required (the model does not record one)")
            result = offline.evaluate_csv(loaded, csv, label, where=test_where, positive=positive)
            _emit({"event": "evaluated", "model": loaded.ref, **result})
            return
        assert data is not None
        dataset = offline.book_dataset(data)
        rows = ~offline.split_months(dataset.dates, train_months) if train_months else None
        result = offline.evaluate_dataset(loaded, dataset, rows)
        _emit({"event": "evaluated", "model": loaded.ref, **result})


@app.command()
def score(
    data: Path | None = typer.Option(None, "--data", help="A synthetic book directory"),
    csv: Path | None = typer.Option(None, "--csv", help="Or any CSV with the model's inputs"),
    out: Path = typer.Option(..., "--out", help="Parquet (book) or CSV/Parquet (--csv) to write"),
    model: str = typer.Option("fraud_gbm@latest", help="name@version or name@latest"),
    root: Path | None = typer.Option(None, "--artifacts", help="Artifacts root"),
) -> None:
    """Score every application of a book as of its submission, or every row of a CSV."""
    from autolease.fraud.service import offline
    from autolease.fraud.service.scoring import resolve_model

    with _errors():
        _one_source(data, csv)
        loaded = resolve_model(_root(root), model)
        if csv is not None:
            _emit({"event": "scored", "model": loaded.ref, **offline.score_csv(loaded, csv, out)})
            return
        assert data is not None
        dataset = offline.book_dataset(data)
        frame = offline.book_scores(loaded, dataset)
        frame.to_parquet(out, index=False)
        _emit({"event": "scored", "model": loaded.ref, "rows": len(frame), "out": str(out),
               "referred_share": round(float((frame["fraud_score"] >= loaded.refer_threshold)
                                             .mean()), 4)})  # fmt: skip


@app.command()
def calibrate(
    csv: Path = typer.Option(..., "--csv", help="Recent rows with the model's inputs (no label)"),
    refer_rate: float = typer.Option(..., "--refer-rate", help="Share of these rows to refer"),
    where: str | None = typer.Option(None, "--where", help="Rows to use, " + WHERE_HELP),
    model: str = typer.Option("fraud_gbm@latest", help="name@version or name@latest"),
    version: str | None = typer.Option(None, help="New version (default: next number)"),
    root: Path | None = typer.Option(None, "--artifacts", help="Artifacts root"),
) -> None:
    """Reset the refer threshold so that `--refer-rate` of recent rows is referred (new version)."""
    from autolease.fraud.service import offline
    from autolease.fraud.service.scoring import resolve_model

    with _errors():
        loaded = resolve_model(_root(root), model)
        result = offline.calibrate_csv(
            _root(root), loaded, csv, refer_rate, where=where,
            created_at=clock_factory().now(), version=version,
        )  # fmt: skip
        _emit({"event": "calibrated", **result})
