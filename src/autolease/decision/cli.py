"""``autolease policy ...`` and ``autolease decision ...``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Column, Table

from autolease.cli_support import console, err_console, runtime_scope, transaction
from autolease.config import get_settings
from autolease.decision.cases import run_cases
from autolease.decision.diff import diff as rule_diff
from autolease.decision.diff import rules
from autolease.decision.engine import PolicyEngine
from autolease.decision.files import PolicyFile, load_all, load_one, load_path, policy_root
from autolease.decision.settings import decision_settings
from autolease.decision.versions import bump, write_version
from autolease.exceptions import AutoleaseError, Conflict

if TYPE_CHECKING:
    # The service loads the store's models and the engine: only inside the commands.
    from autolease.decision import service
    from autolease.runtime import Runtime

policy_app = typer.Typer(
    help="Decision policies: test, list, show, propose, approve.", no_args_is_help=True
)
decision_app = typer.Typer(help="Stored decisions: replay.", no_args_is_help=True)


class StoreNotReady(Conflict):
    code = "store_not_ready"


DirOption = Annotated[
    Path | None, typer.Option("--dir", help="policies directory (default: settings, else packaged)")
]


@contextmanager
def _clear_errors() -> Iterator[None]:
    """Domain errors become one red line and exit code 2, never a traceback."""
    try:
        yield
    except AutoleaseError as err:
        err_console.print(f"[red]{type(err).__name__}: {escape(err.detail)}[/]", soft_wrap=True)
        for problem in err.errors[:20]:
            err_console.print(f"  {problem.field}: {problem.message_en}")
        raise typer.Exit(2) from err


def _directory(option: Path | None) -> Path | None:
    from autolease.decision.settings import decision_settings

    return option if option is not None else decision_settings(get_settings()).policies_dir


@policy_app.command("test")
def run_policy_cases(
    keys: Annotated[list[str] | None, typer.Argument(help="policy keys (default: all)")] = None,
    directory: DirOption = None,
) -> None:
    """Run every policy's cases (and lint its expressions). Exit 1 when any case fails."""
    from autolease.decision.engine import PolicyEngine
    from autolease.decision.files import policy_root

    with _clear_errors():
        files = load_all(policy_root(_directory(directory)))
    selected = [f for f in files if not keys or f.document.key in keys]
    unknown = sorted(set(keys or ()) - {f.document.key for f in files})
    if unknown:
        err_console.print(f"[red]unknown policy key(s): {', '.join(unknown)}[/]")
        raise typer.Exit(2)
    engine = PolicyEngine()
    table = Table("policy", "version", "hash", "cases", "passed", "failed")
    failures = [_test_one(engine, f, table) for f in selected]
    console.print(table)
    problems = [line for lines in failures for line in lines]
    for line in problems:
        console.print(f"[red]FAIL[/] {line}")
    if problems:
        raise typer.Exit(1)


def _test_one(engine: PolicyEngine, policy_file: PolicyFile, table: Table) -> list[str]:

    document = policy_file.document
    results = run_cases(engine, document, policy_file.cases)
    failed = [f"{document.ref} / {r.case}: {r.problem}" for r in results if not r.passed]
    failed += [f"{document.ref} lint: {problem}" for problem in engine.lint(document)]
    passed = sum(r.passed for r in results)
    table.add_row(
        document.key,
        document.version,
        document.content_hash[:12],
        str(len(results)),
        str(passed),
        str(len(results) - passed),
    )
    return failed


@policy_app.command("list")
def list_policies() -> None:
    """Policies with their stored versions and the version in force now."""
    from autolease.decision import service
    from autolease.decision.settings import decision_settings

    table = Table(
        Column("policy", no_wrap=True), "in force", "from", "file", "stored versions", "scheduled"
    )
    with _clear_errors(), runtime_scope() as runtime, transaction(runtime) as session:
        decisions = service.DecisionRuntime.build(decision_settings(runtime.settings))
        summaries = service.list_policies(session, runtime=decisions, at=runtime.clock.now())
    for s in summaries:
        table.add_row(
            s.key,
            s.active_version or "-",
            s.active_source,
            s.file_version or "-",
            ", ".join(v.version for v in s.versions),
            ", ".join(f"{a.version}@{a.effective_from.isoformat()}" for a in s.scheduled) or "-",
        )
    console.print(table)


@policy_app.command("show")
def show(
    spec: Annotated[str, typer.Argument(help="KEY (the version in force), KEY@VERSION or a .json")],
    directory: DirOption = None,
) -> None:
    """A policy version's rules (condition, reason code, severity), labelled key@version."""
    with _clear_errors():
        resolved = _resolve(spec, directory)
    document = resolved.document
    console.print(f"{document.ref}  sha256 {document.content_hash}  ({resolved.origin})")
    console.print(document.description)
    table = Table("rule", "condition", "code", "severity")
    for rule in rules(document.graph()):
        table.add_row(rule.id, rule.condition, rule.code, rule.severity)
    console.print(table)


def _resolve(spec: str, directory: Path | None) -> service.ResolvedPolicy:
    """A .json file, a file under ``--dir`` (KEY), or the store (KEY in force, KEY@VERSION)."""
    from autolease.decision import service

    if spec.endswith(".json"):
        policy_file = load_path(Path(spec))
        return service.ResolvedPolicy(policy_file.document, policy_file.cases_text, spec)
    if directory is not None and "@" not in spec:
        policy_file = load_one(policy_root(directory), spec)
        return service.ResolvedPolicy(
            policy_file.document, policy_file.cases_text, f"file under {directory}"
        )
    from sqlalchemy import inspect

    with runtime_scope() as runtime, transaction(runtime) as session:
        if not inspect(session.connection()).has_table("policy_activation"):
            raise StoreNotReady(
                "the store has no policy tables; run `autolease migrate` "
                "(or give --dir or a .json file to read a file)"
            )
        decisions = _decisions(runtime, directory)
        return service.resolve_version(session, decisions, spec, at=runtime.clock.now())


@policy_app.command("new-version")
def new_version(
    key: str,
    source: Annotated[str, typer.Option("--from", help="the version to start from")],
    out: Annotated[Path, typer.Option(help="policies directory to write into")],
    version: Annotated[str | None, typer.Option(help="the new version (default: bump)")] = None,
) -> None:
    """Write KEY@VERSION as an editable JDM file with its cases file, under a new version.

    Edit the graph in the GoRules JDM editor (import, edit, export over the same file),
    update the cases, run `autolease policy test --dir OUT`, then `policy propose --dir OUT`.
    """
    with _clear_errors():
        resolved = _resolve(f"{key}@{source}", None)
        written = write_version(resolved, out, version or bump(source))
    console.print_json(json.dumps(written, ensure_ascii=False))


@policy_app.command("diff")
def diff(
    before: Annotated[str, typer.Argument(help="KEY, KEY@VERSION or a .json")],
    after: Annotated[str, typer.Argument(help="KEY, KEY@VERSION or a .json")],
    directory: DirOption = None,
) -> None:
    """Rules added, removed and changed from BEFORE to AFTER, with their conditions."""
    with _clear_errors():
        old, new = _resolve(before, directory), _resolve(after, directory)
    changes = rule_diff(old.document.graph(), new.document.graph())
    console.print(f"{old.document.ref} → {new.document.ref}: {len(changes)} rule(s) differ")
    for c in changes:
        console.print(f"{c.change} {c.id} {c.code}", style="bold", highlight=False)
        if c.before:
            console.print(f"  - {c.before}", highlight=False, soft_wrap=True)
        if c.after:
            console.print(f"  + {c.after}", highlight=False, soft_wrap=True)


EffectiveFrom = Annotated[
    datetime | None,
    typer.Option(
        formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S%z"],
        help="ISO time with offset, e.g. 2026-12-01T00:00:00+08:00 (default: on approval)",
    ),
]
By = Annotated[str, typer.Option("--by", help="username of the risk analyst acting")]


def _decisions(runtime: Runtime, directory: Path | None) -> service.DecisionRuntime:
    from autolease.decision import service

    settings = decision_settings(runtime.settings)
    if directory is not None:
        settings = settings.model_copy(update={"policies_dir": directory})
    return service.DecisionRuntime.build(settings)


@policy_app.command("propose")
def propose(
    key: str,
    version: str,
    by: By,
    effective_from: EffectiveFrom = None,
    note: str | None = None,
    directory: DirOption = None,
) -> None:
    """Propose activating KEY at VERSION (its cases must pass); another analyst approves."""
    from autolease.governance.service.checks import analyst_actor
    from autolease.governance.service.policies import propose_activation

    with _clear_errors(), runtime_scope() as runtime, transaction(runtime) as session:
        actor = analyst_actor(session, by, key=runtime.audit_key, at=runtime.clock.now())
        change = propose_activation(
            session,
            _decisions(runtime, directory),
            key=key,
            version=version,
            effective_from=effective_from,
            note=note,
            actor=actor,
        )
        report = {"change": change.id, "ref": change.ref, "status": change.status}
    console.print_json(json.dumps(report))


@policy_app.command("approve")
def approve(
    target: Annotated[str, typer.Argument(help="change id, or key@version with one pending")],
    by: By,
    directory: DirOption = None,
) -> None:
    """Approve a proposed activation (not your own): it is scheduled, audited, in force."""
    from autolease.governance.service.checks import analyst_actor
    from autolease.governance.service.models import pending_for
    from autolease.governance.service.policies import approve_activation

    with _clear_errors(), runtime_scope() as runtime, transaction(runtime) as session:
        actor = analyst_actor(session, by, key=runtime.audit_key, at=runtime.clock.now())
        change_id = int(target) if target.isdigit() else pending_for(session, target, "policy").id
        row = approve_activation(session, _decisions(runtime, directory), change_id, actor)
        report = {
            "ref": f"{row.key}@{row.version}",
            "content_hash": row.content_hash,
            "effective_from": row.effective_from.isoformat(),
            "activated_by": row.activated_by,
        }
    console.print_json(json.dumps(report))


@policy_app.command("reject")
def reject(
    target: Annotated[str, typer.Argument(help="change id, or key@version with one pending")],
    by: By,
) -> None:
    """Reject a proposed activation (anyone but its proposer)."""
    from autolease.governance.service.checks import analyst_actor
    from autolease.governance.service.models import pending_for
    from autolease.governance.service.models import reject as reject_change

    with _clear_errors(), runtime_scope() as runtime, transaction(runtime) as session:
        actor = analyst_actor(session, by, key=runtime.audit_key, at=runtime.clock.now())
        change_id = int(target) if target.isdigit() else pending_for(session, target, "policy").id
        change = reject_change(session, change_id, "policy", actor)
        report = {"change": change.id, "ref": change.ref, "status": change.status}
    console.print_json(json.dumps(report))


@decision_app.command("replay")
def replay(decision_id: str) -> None:
    """Re-run a stored decision's policies: exit 0 when it matches, 1 with the differences."""
    from autolease.decision import service
    from autolease.decision.engine import PolicyEngine

    with _clear_errors(), runtime_scope() as runtime, transaction(runtime) as session:
        report = service.replay(session, decision_id=decision_id, engine=PolicyEngine())
    console.print_json(json.dumps(report.as_dict(), ensure_ascii=False, default=str))
    if not report.matches:
        raise typer.Exit(1)
