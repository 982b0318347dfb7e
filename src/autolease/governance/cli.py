"""``autolease model ...``: list model versions and their stages, propose, approve, roll back.

These commands open the store without building the serving runtime, so a rollback works
even when the champion cannot be loaded. Imports of the services stay inside the commands.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from autolease.audit.service import Actor
    from autolease.governance.models import ChangeRequest, ModelVersion

app = typer.Typer(
    help="Model versions and stages: list, card, propose, approve, reject, rollback, shadow-"
    "report.",
    no_args_is_help=True,
)
By = Annotated[str, typer.Option("--by", help="username of the risk analyst acting")]


@dataclass
class StoreScope:
    session: Session
    key: bytes
    now: datetime
    root: Path

    def analyst(self, username: str) -> Actor:
        from autolease.governance.service.checks import analyst_actor

        return analyst_actor(self.session, username, key=self.key, at=self.now)


@contextmanager
def store_scope() -> Iterator[StoreScope]:
    """One transaction on the store, committed when the command succeeds."""
    from autolease.audit.chain import chain_key
    from autolease.cli_support import err_console
    from autolease.config import get_settings
    from autolease.db import create_engine_for, session_factory, session_scope
    from autolease.exceptions import AutoleaseError
    from autolease.kit.clock import SystemClock

    settings = get_settings()
    engine = create_engine_for(settings.db)
    key = chain_key(settings.security.resolved().blind_key)
    try:
        with session_scope(session_factory(engine)) as session:
            yield StoreScope(session, key, SystemClock().now(), settings.artifacts_dir)
    except AutoleaseError as err:
        err_console.print(f"[red]{type(err).__name__}: {err.detail}[/]", soft_wrap=True)
        for problem in err.errors[:20]:
            err_console.print(f"  {problem.field}: {problem.message_en}")
        raise typer.Exit(2) from err
    finally:
        engine.dispose()


def _emit(payload: Any) -> None:
    from autolease.cli_support import console

    console.print_json(json.dumps(payload, ensure_ascii=False, default=str))


def _version(row: ModelVersion) -> dict[str, Any]:
    return {
        "ref": row.ref,
        "kind": row.kind,
        "stage": row.stage,
        "stage_by": row.stage_by,
        "stage_at": row.stage_at.isoformat(),
        "registered_by": row.registered_by,
    }


def _change(row: ChangeRequest) -> dict[str, Any]:
    return {
        "change": row.id,
        "subject": row.subject,
        "ref": row.ref,
        "action": row.action,
        "status": row.status,
        "proposed_by": row.proposed_by,
        "decided_by": row.decided_by,
        "note": row.note,
    }


@app.command("list")
def list_models(
    name: Annotated[str | None, typer.Argument(help="one model name (default: all)")] = None,
) -> None:
    """Every model version with its stage, and the pending changes (new files → candidates)."""
    from autolease.audit.service import Actor
    from autolease.governance import repository
    from autolease.governance.service import models as service

    with store_scope() as scope:
        service.sync_registry(scope.session, scope.root, Actor(scope.key, "system:cli", scope.now))
        versions = [_version(r) for r in repository.model_versions(scope.session, name)]
        pending = repository.changes(scope.session, subject="model", status="pending")
        _emit({"versions": versions, "pending": [_change(c) for c in pending]})


@app.command()
def propose(
    ref: Annotated[str, typer.Argument(help="name@version")],
    by: By,
    stage: Annotated[str, typer.Option(help="challenger | champion | retired")] = "champion",
    note: Annotated[str | None, typer.Option(help="why")] = None,
) -> None:
    """Propose a stage for a model version; another analyst approves it."""
    from autolease.governance.service import models as service

    with store_scope() as scope:
        change = service.propose(scope.session, scope.root, ref, stage, scope.analyst(by), note)
        _emit(_change(change))


@app.command()
def approve(
    target: Annotated[str, typer.Argument(help="change id, or name@version with one pending")],
    by: By,
) -> None:
    """Approve a pending change (not the proposer's own); a champion retires the one before."""
    from autolease.governance.service import models as service

    with store_scope() as scope:
        change_id = _change_id(scope.session, target)
        row = service.approve(scope.session, scope.root, change_id, scope.analyst(by))
        _emit(_version(row))


@app.command()
def reject(
    target: Annotated[str, typer.Argument(help="change id, or name@version with one pending")],
    by: By,
) -> None:
    """Reject a pending change."""
    from autolease.governance.service import models as service

    with store_scope() as scope:
        change_id = _change_id(scope.session, target)
        _emit(_change(service.reject(scope.session, change_id, "model", scope.analyst(by))))


@app.command()
def rollback(name: Annotated[str, typer.Argument(help="model name")], by: By) -> None:
    """Make the previous champion of NAME champion again (one step, audited)."""
    from autolease.governance.service import models as service

    with store_scope() as scope:
        _emit(_version(service.rollback(scope.session, scope.root, name, scope.analyst(by))))


@app.command()
def card(
    ref: Annotated[str, typer.Argument(help="name@version")],
    out: Annotated[Path | None, typer.Option(help="write the Markdown here")] = None,
) -> None:
    """The model card of NAME@VERSION, with its stage and who approved it, from the store."""
    from autolease.audit.service import Actor
    from autolease.governance.service import models as service
    from autolease.governance.service.cards import model_card

    with store_scope() as scope:
        service.sync_registry(scope.session, scope.root, Actor(scope.key, "system:cli", scope.now))
        text = model_card(scope.session, scope.root, ref)
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text, encoding="utf-8")
        _emit({"ref": ref, "card": str(out)})


@app.command("shadow-report")
def shadow_report(
    name: Annotated[str, typer.Argument(help="model name, e.g. credit_gbm")] = "credit_gbm",
    limit: Annotated[int, typer.Option(min=1, help="latest decisions to read")] = 10_000,
) -> None:
    """Champion against challenger on the same decisions: PDs, rank correlation, swap sets."""
    from dataclasses import asdict

    from autolease.governance.service.shadow import shadow_report as report

    with store_scope() as scope:
        pairs = report(scope.session, scope.root, name, limit=limit)
        _emit(
            [
                {"champion": p.champion, "challenger": p.challenger, **asdict(p.report)}
                for p in pairs
            ]
        )


def _change_id(session: Session, target: str) -> int:
    from autolease.governance.service.models import pending_for

    return int(target) if target.isdigit() else pending_for(session, target, "model").id
