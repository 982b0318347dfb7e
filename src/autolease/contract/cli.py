"""`autolease book`: load servicing events in bulk and look at a contract."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import typer

from autolease.cli_support import err_console, runtime_scope, system_actor, transaction

app = typer.Typer(help="The live book: contracts and their servicing events.", no_args_is_help=True)
MAX_SHOWN = 20


@app.command("load")
def load(
    path: Path = typer.Argument(..., help="a .csv or .parquet file, one servicing event a row"),
) -> None:
    """Record servicing events from a file in one transaction; a bad row stores nothing."""
    from autolease.contract.bulk import BulkFileError, parse_rows, read_rows
    from autolease.contract.service.bulk import BulkLoadFailed, load_events

    if not path.is_file():
        err_console.print(f"[red]no such file: {path}[/]")
        raise typer.Exit(2)
    try:
        rows, errors = parse_rows(read_rows(path))
    except (BulkFileError, UnicodeDecodeError) as exc:
        err_console.print(f"[red]{path.name}: {exc}[/]")
        raise typer.Exit(2) from None
    if errors:
        _fail(path, errors, "nothing was stored")
    with runtime_scope() as runtime:
        try:
            with transaction(runtime) as session:
                report = load_events(
                    session,
                    rows,
                    actor=system_actor(runtime, "system:book-load"),
                    settings=runtime.settings.contract,
                )
        except BulkLoadFailed as exc:
            _fail(path, exc.errors, "nothing of this file was stored")
    summary = {"file": path.name, "recorded": report.recorded, "replayed": report.replayed}
    typer.echo(json.dumps(summary))


def _fail(path: Path, errors: Sequence[object], what: str) -> NoReturn:
    for error in errors[:MAX_SHOWN]:
        err_console.print(f"[red]{path.name} {error}[/]")
    if len(errors) > MAX_SHOWN:
        err_console.print(f"… and {len(errors) - MAX_SHOWN} more")
    err_console.print(f"{len(errors)} error(s); {what}")
    raise typer.Exit(2)
