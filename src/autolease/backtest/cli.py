"""``autolease backtest --policy P --against Q --data DIR``."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from autolease.exceptions import AutoleaseError, FieldError
from autolease.kit.extras import require

if TYPE_CHECKING:
    from autolease.backtest.exceptions import BacktestInvalid
    from autolease.backtest.jobs import BacktestOptions, BacktestResult, Executor
    from autolease.backtest.models import RecordModels
    from autolease.decision.jdm import PolicyDocument

stderr = Console(stderr=True)


def resolve_policy(spec: str, directory: Path | None) -> PolicyDocument:
    """A policy by key (policies directory), ``key@version`` (the store), or a JSON file path.

    A file needs its case file beside it (``<name>.cases.toml``, which states the version),
    so every policy is labelled ``key@version``.
    """
    from autolease.decision.exceptions import PolicyNotFound
    from autolease.decision.files import load_all, load_path, policy_root

    path = Path(spec)
    if spec.endswith(".json") and path.is_file():
        return load_path(path).document
    key, _, version = spec.partition("@")
    if version:
        return _stored(key, version)
    files = {f.document.key: f.document for f in load_all(policy_root(directory))}
    if key not in files:
        raise PolicyNotFound(f"no policy {key!r}; known: {', '.join(sorted(files))}")
    return files[key]


def _stored(key: str, version: str) -> PolicyDocument:
    from autolease.cli_support import runtime_scope, transaction
    from autolease.decision import repository
    from autolease.decision.exceptions import PolicyNotFound
    from autolease.decision.service import stored_document

    with runtime_scope() as runtime, transaction(runtime) as session:
        row = repository.policy_version(session, key, version)
        if row is None:
            raise PolicyNotFound(f"no stored version {key}@{version}")
        return stored_document(row)


def backtest(
    policy: Annotated[str, typer.Option(help="policy key, key@version (stored) or a .json file")],
    against: Annotated[str, typer.Option(help="the policy to compare with (same forms)")],
    data: Annotated[Path, typer.Option(help="directory of a book written by `autolease synth`")],
    executor: Annotated[str, typer.Option(help="pandas (local processes) or dask")] = "pandas",
    workers: Annotated[
        int, typer.Option(help="local processes (pandas) or LocalCluster workers (dask)")
    ] = 2,
    scheduler: Annotated[
        str | None, typer.Option(help="dask scheduler address (tcp://host:8786) or 'synchronous'")
    ] = None,
    partitions: Annotated[int | None, typer.Option(help="dask partitions")] = None,
    limit: Annotated[int | None, typer.Option(help="first N applications only")] = None,
    lgd: Annotated[float, typer.Option(help="loss given default for expected loss")] = 0.45,
    standin_models: Annotated[
        bool, typer.Option(help="stand-in credit/fraud scores when the book has none")
    ] = True,
    models: Annotated[
        str, typer.Option(help="book (its scores, else stand-ins) or store (the champions)")
    ] = "book",
    book_valuation: Annotated[
        bool, typer.Option(help="value cars with the book's vendor valuation")
    ] = True,
    ltv_basis: Annotated[
        str | None, typer.Option(help="p10 or p50 (default: the live vehicle.ltv_basis)")
    ] = None,
    policies_dir: Annotated[Path | None, typer.Option(help="policies directory")] = None,
    html: Annotated[Path | None, typer.Option(help="write the HTML report here")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the summary JSON")] = None,
    decisions_out: Annotated[
        Path | None, typer.Option("--decisions", help="write every decision (Parquet)")
    ] = None,
) -> None:
    """Replay history through two policies; report rates, bad rates, expected loss, swap sets."""
    from autolease.backtest.report import render_html, render_text

    try:
        options = _options(
            policy, against, data, executor, workers, scheduler, partitions, limit, lgd,
            standin_models, book_valuation, ltv_basis, policies_dir, models,
        )  # fmt: skip
        result = _run(options)
    except AutoleaseError as err:
        stderr.print(f"[red]{type(err).__name__}: {escape(err.detail)}[/]", soft_wrap=True)
        for problem in err.errors[:10]:
            stderr.print(f"  {problem.field}: {problem.message_en}")
        raise typer.Exit(2) from err
    typer.echo(render_text(result.summary))
    typer.echo(f"timings: {json.dumps(result.timings)}")
    if html is not None:
        html.write_text(render_html(result.summary), encoding="utf-8")
    if json_out is not None:
        payload = {**result.summary.as_dict(), "timings": result.timings}
        json_out.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    if decisions_out is not None:
        result.decisions.to_parquet(decisions_out, index=False)


def _options(
    policy: str,
    against: str,
    data: Path,
    executor: str,
    workers: int,
    scheduler: str | None,
    partitions: int | None,
    limit: int | None,
    lgd: float,
    standin_models: bool,
    book_valuation: bool,
    ltv_basis: str | None,
    policies_dir: Path | None,
    models: str = "book",
) -> BacktestOptions:
    if executor not in ("pandas", "dask"):
        raise _bad("executor", "executor must be pandas or dask")
    if models not in ("book", "store"):
        raise _bad("models", "models must be book or store")
    if executor == "dask":
        require("dask", "dask", "distributed")
    if ltv_basis is not None and ltv_basis not in ("p10", "p50"):
        raise _bad("ltv_basis", "ltv basis must be p10 or p50")
    if not 0 <= lgd <= 1:
        raise _bad("lgd", "lgd must be between 0 and 1")
    if workers < 1 or (limit is not None and limit < 1):
        raise _bad("workers", "workers and limit must be positive")
    if not data.is_dir():
        raise _bad("data", f"{data} is not a directory")
    from autolease.backtest.jobs import BacktestOptions
    from autolease.config import get_settings
    from autolease.decision.settings import decision_settings

    settings = get_settings()
    directory = policies_dir or decision_settings(settings).policies_dir
    live_basis = settings.vehicle.ltv_basis
    basis: Literal["p10", "p50"] = live_basis if ltv_basis is None else _basis(ltv_basis)
    chosen: Executor = "pandas" if executor == "pandas" else "dask"
    return BacktestOptions(
        data=data,
        policy=resolve_policy(policy, directory),
        against=resolve_policy(against, directory),
        executor=chosen,
        workers=workers,
        scheduler=scheduler,
        partitions=partitions,
        limit=limit,
        lgd=lgd,
        standin_models=standin_models,
        record_models=_record_models() if models == "store" else None,
        use_book_valuation=book_valuation,
        ltv_basis=basis,
    )


def _record_models() -> RecordModels:
    from autolease.backtest.models import champion_refs

    return champion_refs()


def _basis(given: str) -> Literal["p10", "p50"]:
    return "p10" if given == "p10" else "p50"


def _bad(field: str, message: str) -> BacktestInvalid:
    from autolease.backtest.exceptions import BacktestInvalid

    return BacktestInvalid(message, errors=[FieldError(field, "option", message, "参数不正确")])


def _run(options: BacktestOptions) -> BacktestResult:
    from autolease.backtest.jobs import run_backtest

    columns = (BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress("{task.description}", *columns, console=stderr, redirect_stdout=False) as bar:
        task = bar.add_task("deciding", total=None)
        return run_backtest(
            options,
            timer=time.perf_counter,
            on_progress=lambda n: bar.advance(task, n),
            on_total=lambda total: bar.update(task, total=total),
        )
