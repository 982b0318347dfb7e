from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from autolease.audit import checkpoint_files
from autolease.audit.chain import ChainProblem
from autolease.audit.checkpoint import Checkpoint, CheckpointInvalid, checkpoint_key, sign
from autolease.cli_support import console, runtime_scope, transaction

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

app = typer.Typer(help="The audit trail.", no_args_is_help=True)

EXIT_PROBLEM = 1
EXIT_CHECKPOINT_REFUSED = 2
CHECKPOINT_HELP = "A checkpoint file, or a directory of them, the chain must still contain."


@app.command()
def verify(
    checkpoint: Annotated[Path | None, typer.Option("--checkpoint", help=CHECKPOINT_HELP)] = None,
) -> None:
    """Walk the hash chain; report the first changed, inserted or deleted record (exit 1).

    With --checkpoint, also report records cut off after the checkpointed tip (exit 1); a
    checkpoint that cannot be trusted (bad signature, another key) is refused (exit 2).
    """
    from autolease.audit import service  # the store (SQLAlchemy) only when a command runs

    with runtime_scope() as runtime:
        key = checkpoint_key(runtime.audit_key)
        anchors = _checkpoints(checkpoint, key, required=True) if checkpoint else []
        with transaction(runtime) as session:
            one_snapshot(session)
            checked, problem = service.verify(
                session, key=runtime.audit_key, anchors=[c.anchor for _, c in anchors]
            )
    report = _report(checked, problem)
    if anchors:
        report["checkpoints"] = [_describe(path, c) for path, c in anchors]
    console.print_json(json.dumps(report, ensure_ascii=False))
    if problem is not None:
        raise typer.Exit(EXIT_PROBLEM)


@app.command()
def checkpoint(
    out: Annotated[
        Path, typer.Option("--out", help="A file (replaced) or a directory (added to).")
    ],
) -> None:
    """Sign the chain's tip and write it where operations keep it, outside the database.

    The chain is verified first, against the checkpoints already at --out too; nothing is
    written when it is not intact (exit 1) or when a checkpoint there is refused (exit 2).
    """
    from autolease.audit import service

    if not out.parent.is_dir():
        _refuse(f"{out.parent}: no such directory")
    with runtime_scope() as runtime:
        key = checkpoint_key(runtime.audit_key)
        anchors = _checkpoints(out, key, required=False) if out.exists() else []
        with transaction(runtime) as session:
            one_snapshot(session)
            checked, problem = service.verify(
                session, key=runtime.audit_key, anchors=[c.anchor for _, c in anchors]
            )
            head = service.tip(session)
        if problem is not None:
            console.print_json(json.dumps(_report(checked, problem), ensure_ascii=False))
            raise typer.Exit(EXIT_PROBLEM)
        signed = sign(key, seq=head.seq, digest=head.hash, at=runtime.clock.now())
    written = checkpoint_files.write(out, signed)
    console.print_json(json.dumps({"records_checked": checked, **_describe(written, signed)}))


def one_snapshot(session: Session) -> None:
    """Read the events and the tip from one snapshot, so that intakes committing meanwhile
    never look like a cut-off chain: REPEATABLE READ on PostgreSQL (each statement would see
    its own snapshot otherwise); SQLite's transaction is one snapshot already."""
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def _checkpoints(path: Path, key: bytes, *, required: bool) -> list[tuple[Path, Checkpoint]]:
    try:
        found = checkpoint_files.read(path, key)
    except CheckpointInvalid as err:
        _refuse(str(err))
    if required and not found:
        _refuse(f"{path}: no checkpoint ({checkpoint_files.PATTERN}) found")
    return found


def _refuse(reason: str) -> NoReturn:
    console.print_json(json.dumps({"checkpoint_refused": reason}, ensure_ascii=False))
    raise typer.Exit(EXIT_CHECKPOINT_REFUSED)


def _report(checked: int, problem: ChainProblem | None) -> dict[str, Any]:
    if problem is None:
        return {"records_checked": checked, "intact": True}
    return {
        "records_checked": checked,
        "intact": False,
        "first_problem_seq": problem.seq,
        "problem": problem.kind,
        "detail": problem.detail,
    }


def _describe(path: Path, checkpoint: Checkpoint) -> dict[str, Any]:
    return {
        "file": str(path),
        "seq": checkpoint.seq,
        "hash": checkpoint.hash,
        "at": checkpoint.at.isoformat(),
        "key_id": checkpoint.key_id,
    }
