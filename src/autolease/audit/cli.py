from __future__ import annotations

import json

import typer

from autolease.cli_support import console, runtime_scope, transaction

app = typer.Typer(help="The audit trail.", no_args_is_help=True)


@app.command()
def verify() -> None:
    """Walk the hash chain; report the first changed, inserted or deleted record (exit 1)."""
    from autolease.audit import service

    with runtime_scope() as runtime, transaction(runtime) as session:
        checked, problem = service.verify(session, key=runtime.audit_key)
    if problem is None:
        console.print_json(json.dumps({"records_checked": checked, "intact": True}))
        return
    report = {
        "records_checked": checked,
        "intact": False,
        "first_problem_seq": problem.seq,
        "problem": problem.kind,
        "detail": problem.detail,
    }
    console.print_json(json.dumps(report))
    raise typer.Exit(1)
