"""``autolease credit``: train, evaluate, report and batch-score credit models on any table.

Mount with ``app.add_typer(credit_app, name="credit")``. Every command prints JSON; bad input
exits 2 with ``{"error", "detail"}`` on stderr, never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import typer

from autolease.cli_support import json_errors, progress_steps
from autolease.credit.exceptions import CreditDataInvalid
from autolease.kit.clock import Clock, SystemClock

if TYPE_CHECKING:
    from autolease.credit import service
    from autolease.credit.model import CreditModel
    from autolease.credit.training import TrainOptions
    from autolease.ml.registry import Manifest

app = typer.Typer(help="Credit models: scorecards and gradient boosting PD.", no_args_is_help=True)
ModelKind = Literal["scorecard", "gbm", "blend"]
clock_factory: Callable[[], Clock] = SystemClock

DATA = typer.Option(..., "--data", help="Delimited file (CSV, TSV, ';', '|' or whitespace)")
TARGET_HELP = "Target column: name or 0-based index (-1 = last)"
BAD_HELP = "Target value meaning bad (inferred for 0/1, good/bad, yes/no)"
SEP = typer.Option(None, "--sep", help="Delimiter (sniffed when omitted; 'ws' = whitespace)")
HEADER = typer.Option(None, "--header/--no-header", help="First row is a header (auto)")
NA_VALUES = typer.Option(
    None,
    "--na-values",
    help="Comma-separated cells read as missing, replacing the default "
    "?,NA,N/A,NaN,NULL,-,--,#N/A,.,missing (empty cells always are; 'none' is a category)",
)
INTERACTIONS = typer.Option(
    None,
    "--interactions",
    min=0,
    help="Scorecard: at most this many 2-D characteristics, each kept only if it lowers"
    " the inner cross-validated log-loss (default 3; 0 = none)",
)


def _emit(payload: dict[str, Any]) -> None:
    typer.echo(json.dumps(payload, ensure_ascii=False, default=_plain))


def _plain(value: Any) -> Any:
    if type(value).__module__ == "numpy" and getattr(value, "ndim", None) == 0:
        return value.item()  # a NumPy scalar
    return str(value)


_errors = json_errors


def _markers(value: str | None) -> list[str] | None:
    return None if value is None else value.split(",")


def _sep(value: str | None) -> str | None:
    if value is None:
        return None
    return {"ws": r"\s+", "tab": "\t", "\\t": "\t"}.get(value, value)


def _default_root() -> Path:
    from autolease.config import get_settings

    return get_settings().artifacts_dir


def _options(
    kind: str,
    seed: int,
    base_score: float,
    base_odds: float,
    pdo: float,
    grades: str | None,
    interactions: int | None = None,
) -> TrainOptions:
    from autolease.credit.scaling import GradeScale, ScoreScaling
    from autolease.credit.training import TrainOptions

    if kind not in ("scorecard", "gbm", "blend"):
        raise CreditDataInvalid(f"--model must be scorecard, gbm or blend, not {kind!r}")
    cutoffs = GradeScale().pd_cutoffs
    if grades:
        try:
            cutoffs = tuple(float(v) for v in grades.split(","))
        except ValueError as exc:
            raise CreditDataInvalid("--grades takes four PDs separated by commas") from exc
    return TrainOptions(
        kind=kind,  # type: ignore[arg-type]
        scaling=ScoreScaling(base_score, base_odds, pdo),
        grades=GradeScale(cutoffs),
        seed=seed,
        scorecard={} if interactions is None else {"interactions": interactions},
    )


def _summary(reg: service.RegisteredModel) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ref": reg.ref,
        "stage": "candidate",
        "path": str(reg.path),
        "kind": reg.result.model.kind,
        "inputs": len(reg.result.model.schema.columns),
        "train": reg.result.train.to_json(),
    }
    for key, value in reg.manifest.metrics.items():
        if key.startswith("holdout_"):
            out[key] = value
    if reg.result.left_out:
        out["left_out"] = dict(reg.result.left_out)
    out["samples"] = reg.manifest.metrics.get("samples", {})
    out["model_card"] = str(reg.path / "model_card.md")
    if reg.result.binning is not None:
        out["binning"] = _iv_rows(reg.result.binning)
    return out


def _report_sample(manifest: Manifest, data: Path) -> str:
    """Which sample the report's figures come from, as far as the manifest tells."""
    if data.name in (manifest.training_window.get("source"), manifest.params.get("data")):
        return "in-sample: the file the model was trained on (optimistic)"
    return f"{data.name}: not the training file by name (held out only if its rows are)"


def _iv_rows(binning: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keys = ("variable", "iv", "held_out_iv", "bins", "status")
    rows = [{k: r[k] for k in keys if k in r} for r in binning]
    return sorted(rows, key=lambda r: -float(r["iv"]))


@app.command()
def train(
    data: Path = DATA,
    target: str = typer.Option(..., "--target", help=TARGET_HELP),
    bad_value: str | None = typer.Option(None, "--bad-value", help=BAD_HELP),
    model: str = typer.Option("gbm", "--model", help="scorecard | gbm | blend"),
    out: Path | None = typer.Option(None, "--out", help="Artifacts root (settings default)"),
    name: str | None = typer.Option(
        None, help="Model name (default external/credit_<model>, apart from the origination's)"
    ),
    version: str | None = typer.Option(None, help="Version (default: next number)"),
    drop: list[str] = typer.Option([], "--drop", help="Column to leave out (repeatable)"),
    sep: str | None = SEP,
    header: bool | None = HEADER,
    na_values: str | None = NA_VALUES,
    seed: int = typer.Option(0, help="Random seed"),
    base_score: float = typer.Option(600.0, help="Score at the base odds"),
    base_odds: float = typer.Option(50.0, help="Good:bad odds at the base score"),
    pdo: float = typer.Option(20.0, help="Points to double the odds"),
    grades: str | None = typer.Option(None, help="PD upper bounds of A,B,C,D"),
    interactions: int | None = INTERACTIONS,
    time_column: str | None = typer.Option(
        None,
        "--time-column",
        help="Date (or year) column for an out-of-time split: the model is trained on the"
        " earlier rows and measured on the later ones (the column is not an input)",
    ),
    test_from: str | None = typer.Option(
        None,
        "--test-from",
        help="First date (or number) of the held-out later rows (default: the latest fifth)",
    ),
) -> None:
    """Train a scorecard, gradient-boosting or blended PD model on any labelled table."""
    from autolease.credit import service

    with _errors(), progress_steps() as steps:
        options = _options(model, seed, base_score, base_odds, pdo, grades, interactions)
        if test_from is not None and time_column is None:
            raise CreditDataInvalid("--test-from needs --time-column")
        steps.step(f"training a {model} credit model on {data.name}")
        reg, prepared = service.train_csv(
            data,
            target,
            options,
            bad_value=bad_value,
            out=out or _default_root(),
            name=name,
            version=version,
            created_at=clock_factory().now(),
            sep=_sep(sep),
            header=header,
            drop=drop,
            missing=_markers(na_values),
            time_column=time_column,
            test_from=test_from,
        )
        for warning in prepared.warnings:
            typer.echo(f"warning: {warning}", err=True)
        summary = _summary(reg)
        summary.update(
            target=prepared.target,
            bad_value=prepared.bad_label,
            rows=len(prepared.y),
            dropped_columns=prepared.dropped_columns,
            dropped_rows=prepared.dropped_rows,
            warnings=list(prepared.warnings),
        )
        _emit(summary)


@app.command("train-book")
def train_book(
    book: Path = typer.Option(..., "--book", help="Folder of a synthetic book (Parquet)"),
    model: str = typer.Option("gbm", "--model", help="scorecard | gbm | blend"),
    out: Path | None = typer.Option(None, "--out", help="Artifacts root (settings default)"),
    name: str | None = typer.Option(None, help="Model name (default credit_<model>)"),
    version: str | None = typer.Option(None, help="Version (default: next number)"),
    seed: int = typer.Option(0, help="Random seed"),
    interactions: int | None = INTERACTIONS,
) -> None:
    """Train the origination credit model on a book with the declared features."""
    from autolease.credit import service

    with _errors(), progress_steps() as steps:
        options = _options(model, seed, 600.0, 50.0, 20.0, None, interactions)
        steps.step(f"training a {model} credit model on the book {book.name}")
        reg = service.train_book(
            book,
            options,
            out=out or _default_root(),
            name=name,
            version=version,
            created_at=clock_factory().now(),
        )
        _emit(_summary(reg))


def _load(model_dir: Path) -> tuple[CreditModel, Manifest]:
    from autolease.credit import service

    return service.load_model(model_dir)


def _labelled(
    model: CreditModel,
    manifest: Manifest,
    data: Path,
    target: str | None,
    bad_value: str | None,
    sep: str | None,
    header: bool | None,
    na_values: str | None = None,
) -> service.Scored:
    from autolease.credit import service

    target = target or manifest.params.get("target")
    if not target:
        raise CreditDataInvalid("--target is required (the model does not record one)")
    bad = bad_value if bad_value is not None else manifest.params.get("bad_value")
    return service.score_labelled(
        model,
        data,
        str(target),
        bad_value=bad,
        sep=_sep(sep),
        header=header,
        missing=_markers(na_values),
    )


MODEL_DIR = typer.Argument(..., help="Model folder (holds manifest.json)")


@app.command()
def evaluate(
    model_dir: Path = MODEL_DIR,
    data: Path = DATA,
    target: str | None = typer.Option(None, "--target", help=TARGET_HELP + " (default: trained)"),
    bad_value: str | None = typer.Option(None, "--bad-value", help=BAD_HELP),
    sep: str | None = SEP,
    header: bool | None = HEADER,
    na_values: str | None = NA_VALUES,
) -> None:
    """AUC, KS, Gini, Brier, log-loss and calibration error of a model on labelled data."""
    from autolease.credit import metrics

    with _errors():
        model, manifest = _load(model_dir)
        scored = _labelled(model, manifest, data, target, bad_value, sep, header, na_values)
        result = metrics.evaluate(scored.y, scored.pd).to_json()
        _emit(
            {
                "ref": model.ref,
                "data": str(data),
                **result,
                "dropped_rows": scored.dropped_rows,
                "missing_inputs": list(scored.missing_inputs),
                "unseen_levels": scored.unseen_levels,
            }
        )


@app.command()
def report(
    model_dir: Path = MODEL_DIR,
    data: Path = DATA,
    html_out: Path = typer.Option(..., "--html", help="Where to write the HTML report"),
    target: str | None = typer.Option(None, "--target", help=TARGET_HELP + " (default: trained)"),
    bad_value: str | None = typer.Option(None, "--bad-value", help=BAD_HELP),
    sep: str | None = SEP,
    header: bool | None = HEADER,
    na_values: str | None = NA_VALUES,
) -> None:
    """HTML report: ROC, KS, calibration and score-distribution charts, grades, points."""
    from autolease.credit.report import build_report

    with _errors():
        model, manifest = _load(model_dir)
        scored = _labelled(model, manifest, data, target, bad_value, sep, header, na_values)
        page = build_report(
            model,
            scored.y,
            scored.pd,
            scored.score,
            scored.grade,
            title=f"Credit model {model.ref}",
            source=data.name,
            sample=_report_sample(manifest, data),
        )
        html_out.write_text(page, encoding="utf-8")
        _emit({"ref": model.ref, "report": str(html_out), "rows": len(scored.y)})


@app.command()
def score(
    model_dir: Path = MODEL_DIR,
    data: Path = DATA,
    out: Path = typer.Option(..., "--out", help="CSV to write: the input plus pd, score, grade"),
    reasons: int = typer.Option(3, help="Top adverse factors per row"),
    sep: str | None = SEP,
    header: bool | None = HEADER,
    na_values: str | None = NA_VALUES,
) -> None:
    """Score every row of a table (no target needed) and write a CSV."""
    import numpy as np
    import pandas as pd

    from autolease.credit import service
    from autolease.credit.encoding import unseen_shares

    with _errors():
        model, _ = _load(model_dir)
        frame = service.read_table(data, sep=_sep(sep), header=header, missing=_markers(na_values))
        unseen = unseen_shares(frame, model.schema)
        result = model.score_batch(frame, top=reasons)
        scored = frame.assign(pd=result.pd, score=np.round(result.score, 1), grade=result.grade)
        if result.factors is not None:
            factors = pd.DataFrame(
                result.factors, columns=[f"reason_{i + 1}" for i in range(result.factors.shape[1])]
            )
            scored = pd.concat([scored, factors], axis=1)
        scored.to_csv(out, index=False)
        _emit({"ref": model.ref, "rows": len(frame), "out": str(out), "unseen_levels": unseen})


@app.command()
def show(model_dir: Path = MODEL_DIR) -> None:
    """The manifest (features, window, metrics, hashes) and, for scorecards, the IV table."""
    from autolease.credit import service

    with _errors():
        model, manifest = _load(model_dir)
        payload = json.loads(manifest.to_json())
        binning = model_dir / service.BINNING_FILE
        if binning.is_file():
            payload["binning"] = _iv_rows(json.loads(binning.read_text(encoding="utf-8")))
        payload["kind"] = model.kind
        _emit(payload)
