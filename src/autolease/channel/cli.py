"""`autolease sp grade` and `autolease sp confirm-grade` (registered on the `sp` sub-app).

Heavy libraries (numpy, the decision engine) are imported inside the commands."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from autolease.cli_support import console, err_console


def grade(
    month: str = typer.Option(..., help="the month end to grade at, YYYY-MM"),
    panel: Path | None = typer.Option(
        None, help="grade a saved panel with an `sp` segment instead of the store"
    ),
    as_json: bool = typer.Option(False, "--json", help="print JSON instead of a table"),
) -> None:
    """Propose a grade for every SP at a month end (from the store, or a saved panel)."""
    if not _is_month(month):
        err_console.print(f"月份格式应为 YYYY-MM / --month {month!r} is not YYYY-MM")
        raise typer.Exit(2)
    rows = _from_panel(panel, month) if panel is not None else _from_store(month)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    table = Table("sp", "grade", "rule", "contracts", "m3_mob6", "fpd", "status", "actions")
    for r in rows:
        cells = [str(r[k]) for k in ("sp", "grade", "rule", "contracts", "m3_mob6_ratio")]
        cells += [str(r["fpd_ratio"]), str(r["status"]), " ".join(_short(r["actions"]))]
        table.add_row(*cells)
    console.print(table)


def confirm(
    proposal_id: int,
    reject: bool = typer.Option(False, help="reject instead of confirming"),
    note: str | None = None,
) -> None:
    """Confirm (or reject) a proposed grade; a confirmed grade is what the policy reads."""
    from autolease.channel.service import grading
    from autolease.cli_support import runtime_scope, system_actor, transaction

    with runtime_scope() as runtime, transaction(runtime) as session:
        actor = system_actor(runtime)
        row = grading.decide(session, proposal_id, confirm=not reject, note=note, actor=actor)
        status = row.status
    console.print(f"grade proposal {proposal_id}: {status}")


def _short(codes: object) -> list[str]:
    return [str(c).removeprefix("SP_") for c in codes] if isinstance(codes, list) else []


def _is_month(text: str) -> bool:
    parts = text.split("-")
    return (
        len(parts) == 2
        and len(parts[0]) == 4
        and parts[0].isdigit()
        and parts[1] in {f"{m:02d}" for m in range(1, 13)}
    )


def _from_panel(folder: Path, month: str) -> list[dict[str, object]]:
    from autolease.channel.actions import actions_all
    from autolease.channel.actions import load_policy as load_actions_policy
    from autolease.channel.grading import grade_all, load_policy, policy_inputs
    from autolease.channel.performance import at_month, count
    from autolease.decision.engine import PolicyEngine
    from autolease.portfolio import files

    try:
        book = files.load(folder)
    except files.PanelFileError as err:
        err_console.print(str(err))
        raise typer.Exit(2) from err
    panel = book.panel
    if "sp" not in panel.segments or month not in panel.months:
        err_console.print(f"{folder}: no `sp` segment, or no month {month} in the panel")
        raise typer.Exit(2)
    sp = panel.segments["sp"]
    figures = at_month(count(panel, sp.codes, len(sp.labels)), panel.months.index(month))
    engine = PolicyEngine()
    graded = grade_all(engine, load_policy(), policy_inputs(figures))
    todo = actions_all(
        engine, load_actions_policy(), [{**g.inputs, "grade": g.grade} for g in graded]
    )
    return [
        {
            "sp": label,
            "grade": g.grade,
            "rule": g.code,
            "status": "not stored",
            "actions": list(codes),
            **g.inputs,
        }
        for label, g, codes in zip(sp.labels, graded, todo, strict=True)
    ]


def _from_store(month: str) -> list[dict[str, object]]:
    from autolease.channel.actions import load_policy as load_actions_policy
    from autolease.channel.grading import load_policy
    from autolease.channel.service import grading
    from autolease.cli_support import runtime_scope, system_actor, transaction
    from autolease.dealer.models import ServiceProvider
    from autolease.decision.engine import PolicyEngine

    with runtime_scope() as runtime, transaction(runtime) as session:
        settings = runtime.settings
        proposals = grading.propose(
            session,
            month=month,
            engine=runtime.decisions.engine if runtime.decisions else PolicyEngine(),
            policy=load_policy(settings.decision.policies_dir),
            actions_policy=load_actions_policy(settings.decision.policies_dir),
            contract_settings=settings.contract,
            settings=settings.channel,
            actor=system_actor(runtime),
        )
        out: list[dict[str, object]] = []
        for p in proposals:
            sp = session.get(ServiceProvider, p.sp_id)
            code = sp.code if sp else str(p.sp_id)
            out.append(
                {
                    "sp": code,
                    "grade": p.grade,
                    "rule": p.rule,
                    "status": p.status,
                    "id": p.id,
                    "actions": p.actions,
                    **p.figures,
                }
            )
    return out


def report(
    code: str = typer.Argument(..., help="the SP's code"),
    out: Path = typer.Option(..., help="the HTML file to write"),
    month: str | None = typer.Option(None, help="the last month to show, YYYY-MM (default: all)"),
) -> None:
    """Write the SP report (grade history, charts of its figures) as one HTML page."""
    from autolease.channel import report as html
    from autolease.channel.service import dashboard
    from autolease.cli_support import json_errors, runtime_scope, transaction

    if month is not None and not _is_month(month):
        err_console.print(f"月份格式应为 YYYY-MM / --month {month!r} is not YYYY-MM")
        raise typer.Exit(2)
    with json_errors(), runtime_scope() as runtime, transaction(runtime) as session:
        found = dashboard.history(session, code)
        months = [m.model_dump() for m in found.months if month is None or m.month <= month]
        sp = {"code": found.sp_code, "name": found.name, "status": found.status,
              "grade": found.grade}  # fmt: skip
        page = html.render(sp, months)
    with json_errors():
        out.write_text(page, encoding="utf-8")
    console.print(f"wrote {out} ({len(months)} months)")


def add_staff_phone(
    code: str = typer.Argument(..., help="the SP's code"),
    phone: str = typer.Argument(..., help="the staff member's or seller's mobile number"),
    role: str = typer.Option("seller", help="staff or seller"),
) -> None:
    """Register a phone of the SP's staff or sellers (stored blind-indexed and masked)."""
    from pydantic import ValidationError

    from autolease.channel.schemas import StaffPhoneIn
    from autolease.channel.service import staff
    from autolease.cli_support import json_errors, runtime_scope, system_actor, transaction
    from autolease.dealer import service as dealer_service

    try:
        data = StaffPhoneIn.model_validate({"phone": phone, "role": role})
    except ValidationError as err:
        err_console.print(f"手机号或角色无效 / invalid phone or role: {err.errors()[0]['msg']}")
        raise typer.Exit(2) from err
    with json_errors(), runtime_scope() as runtime, transaction(runtime) as session:
        sp = dealer_service.get_by_code(session, code=code)
        row = staff.add(session, sp, data, runtime.cipher.blind_index, system_actor(runtime))
        masked = row.masked
    console.print(f"SP {code}: {role} phone {masked} added")
