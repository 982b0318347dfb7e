"""`autolease documents …`: upkeep of the document store."""

from __future__ import annotations

import json

import typer

from autolease.cli_support import json_errors, runtime_scope, system_actor, transaction

app = typer.Typer(help="Application documents: the store's upkeep.", no_args_is_help=True)


@app.command("sweep")
def sweep(
    dry_run: bool = typer.Option(False, "--dry-run", help="Report the orphans; delete nothing."),
    grace_minutes: int | None = typer.Option(
        None,
        min=0,
        help="Only files at least this old are orphans (default: documents.sweep_grace_minutes).",
    ),
) -> None:
    """Delete stored files that no document row refers to (left by a crash mid-upload), and
    report them, the files still within the grace period, and rows whose file is missing.

    Prints the report as JSON on stdout; exit code 1 when a row's file is missing.
    """
    from datetime import timedelta

    from autolease.audit import service as audit_service
    from autolease.documents import service
    from autolease.documents.store import store_for

    with json_errors(), runtime_scope() as runtime, transaction(runtime) as session:
        settings = runtime.settings.documents
        grace = settings.sweep_grace_minutes if grace_minutes is None else grace_minutes
        report = service.sweep(
            session,
            store=store_for(settings),
            now=runtime.clock.now(),
            grace=timedelta(minutes=grace),
            dry_run=dry_run,
        )
        if report.orphans and not dry_run:
            audit_service.log(
                session,
                system_actor(runtime),
                "documents.swept",
                entity_type="document_store",
                entity_id="local",
                payload={"removed": [f.name for f in report.orphans]},
            )
    typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    if report.missing:
        raise typer.Exit(1)


@app.command("purge")
def purge(
    dry_run: bool = typer.Option(False, "--dry-run", help="Report what would go; delete nothing."),
    retention_days: int | None = typer.Option(
        None,
        min=1,
        help="Keep this many days after the application's last change "
        "(default: documents.retention_days_without_contract).",
    ),
) -> None:
    """Delete the documents of applications that ended without a contract (declined or
    withdrawn) and have not changed for the retention period: the rows in one transaction,
    audited, then their files.

    Prints the report as JSON on stdout.
    """
    from datetime import timedelta

    from autolease.audit import service as audit_service
    from autolease.documents import service
    from autolease.documents.store import store_for

    with json_errors(), runtime_scope() as runtime:
        settings = runtime.settings.documents
        days = (
            settings.retention_days_without_contract if retention_days is None else retention_days
        )
        with transaction(runtime) as session:
            report = service.purge_ended(
                session, now=runtime.clock.now(), retention=timedelta(days=days), dry_run=dry_run
            )
            if report.documents and not dry_run:
                audit_service.log(
                    session,
                    system_actor(runtime),
                    "documents.purged",
                    entity_type="document_store",
                    entity_id="local",
                    payload={
                        "retention_days": days,
                        "documents": report.documents,
                        "applications": report.applications,
                    },
                )
        if not dry_run:
            service.delete_files(store_for(settings), report.storage_names)
    typer.echo(
        json.dumps({**report.as_dict(), "retention_days": days}, ensure_ascii=False, indent=2)
    )
