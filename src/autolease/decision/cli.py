"""``autolease policy ...`` and ``autolease decision ...``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Column, Table

from autolease.cli_support import console, err_console, runtime_scope, transaction
from autolease.exceptions import AutoleaseError

if TYPE_CHECKING:
    from autolease.decision.engine import PolicyEngine
    from autolease.decision.files import PolicyFile

policy_app = typer.Typer(
    help="Decision policies: test, list, show, activate.", no_args_is_help=True
)
decision_app = typer.Typer(help="Stored decisions: replay.", no_args_is_help=True)

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
    from autolease.config import get_settings
    from autolease.decision.settings import decision_settings

    return option if option is not None else decision_settings(get_settings()).policies_dir


@policy_app.command("test")
def run_policy_cases(
    keys: Annotated[list[str] | None, typer.Argument(help="policy keys (default: all)")] = None,
    directory: DirOption = None,
) -> None:
    """Run every policy's cases (and lint its expressions). Exit 1 when any case fails."""
    from autolease.decision.engine import PolicyEngine
    from autolease.decision.files import load_all, policy_root

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
    from autolease.decision.cases import run_cases

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
def show(key: str, directory: DirOption = None) -> None:
    """The rules of a policy file: condition, reason code and severity, in order."""
    from autolease.decision.files import load_all, policy_root

    with _clear_errors():
        files = {f.document.key: f for f in load_all(policy_root(_directory(directory)))}
    if key not in files:
        err_console.print(f"[red]no policy file {key!r}; known: {', '.join(sorted(files))}[/]")
        raise typer.Exit(2)
    document = files[key].document
    console.print(f"{document.ref}  sha256 {document.content_hash}\n{document.description}")
    table = Table("rule", "condition", "code", "severity")
    for row in _rule_rows(document.graph()):
        table.add_row(*row)
    console.print(table)


def _rule_rows(graph: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    rows = []
    for node in graph.get("nodes", []):
        if node.get("type") != "decisionTableNode":
            continue
        content = node.get("content", {})
        inputs = [c["id"] for c in content.get("inputs", [])]
        by_field = {c.get("field"): c["id"] for c in content.get("outputs", [])}
        for rule in content.get("rules", []):
            condition = " and ".join(str(rule.get(i)) for i in inputs if rule.get(i))
            code = str(rule.get(by_field.get("code", ""), "")).strip('"')
            severity = str(rule.get(by_field.get("severity", ""), "")).strip('"')
            rows.append((str(rule.get("_id", "")), condition or "(always)", code, severity))
    return rows


@policy_app.command("activate")
def activate(
    key: str,
    version: str,
    analyst: Annotated[str, typer.Option(help="username of the risk analyst activating")],
    effective_from: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S%z"],
            help="ISO time with offset, e.g. 2026-12-01T00:00:00+08:00 (default: now)",
        ),
    ] = None,
    note: str | None = None,
    directory: DirOption = None,
) -> None:
    """Activate KEY at VERSION (a risk analyst's audited action; cases must pass)."""
    from autolease.audit.service import Actor
    from autolease.auth import repository as auth_repository
    from autolease.auth.principal import Role
    from autolease.decision import service
    from autolease.decision.exceptions import ActivationInvalid
    from autolease.decision.settings import decision_settings

    with _clear_errors(), runtime_scope() as runtime, transaction(runtime) as session:
        user = auth_repository.user_by_username(session, analyst)
        if user is None or not user.active or user.role != Role.RISK_ANALYST.value:
            raise ActivationInvalid(f"{analyst!r} is not an active risk analyst")
        settings = decision_settings(runtime.settings)
        if directory is not None:
            settings = settings.model_copy(update={"policies_dir": directory})
        actor = Actor(key=runtime.audit_key, name=f"user:{analyst}", at=runtime.clock.now())
        row = service.activate(
            session,
            runtime=service.DecisionRuntime.build(settings),
            key=key,
            version=version,
            effective_from=effective_from,
            note=note,
            actor=actor,
        )
        report = {
            "key": row.key,
            "version": row.version,
            "content_hash": row.content_hash,
            "effective_from": row.effective_from.isoformat(),
            "activated_by": row.activated_by,
        }
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
