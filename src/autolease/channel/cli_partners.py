"""`autolease partner …`: lead-source partners, their referral fees and their performance.

Heavy libraries (SQLAlchemy, numpy) are imported inside the commands."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import typer
from rich.table import Table

from autolease.cli_support import console, err_console

app = typer.Typer(help="Lead-source partners and their referral fees.", no_args_is_help=True)


def _valid(model: Any, body: dict[str, Any]) -> Any:
    from pydantic import ValidationError

    try:
        return model.model_validate(body)
    except ValidationError as err:
        first = err.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        err_console.print(f"输入无效 / invalid {field}: {first['msg']}")
        raise typer.Exit(2) from err


@app.command("create")
def create(
    code: str,
    name: str,
    kind: str = typer.Option("other", help="insurer_agents | auto_portal | dealer_group | other"),
    fee_fixed: Decimal | None = typer.Option(None, help="yuan per booked contract"),
    fee_rate: Decimal | None = typer.Option(None, help="share of the financed amount, 0.015"),
) -> None:
    """Register a partner with a fixed or a percent referral fee."""
    from autolease.channel.schemas import PartnerIn
    from autolease.channel.service import partners
    from autolease.cli_support import json_errors, runtime_scope, system_actor, transaction

    fee_kind = "fixed" if fee_fixed is not None else "percent"
    body = {"code": code, "name": name, "kind": kind, "fee_kind": fee_kind,
            "fee_fixed": fee_fixed, "fee_rate": fee_rate}  # fmt: skip
    data = _valid(PartnerIn, body)
    with json_errors(), runtime_scope() as runtime, transaction(runtime) as session:
        partners.create(session, data, system_actor(runtime))
    console.print(f"created partner {code}")


@app.command("list")
def listing(as_json: bool = typer.Option(False, "--json")) -> None:
    """Every partner and its fee rule."""
    from autolease.channel.service import partners
    from autolease.cli_support import runtime_scope, transaction

    with runtime_scope() as runtime, transaction(runtime) as session:
        rows = [partners.to_read(p).model_dump(mode="json") for p in partners.listing(session)]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    table = Table("code", "name", "kind", "status", "fee")
    for r in rows:
        fee = f"{r['fee_fixed']} / contract" if r["fee_kind"] == "fixed" else f"{r['fee_rate']}"
        table.add_row(r["code"], r["name"], r["kind"], r["status"], fee)
    console.print(table)


@app.command("set-status")
def set_status(code: str, status: str = typer.Argument(..., help="active | inactive")) -> None:
    """Activate or deactivate a partner (intake refuses an inactive partner's code)."""
    from autolease.channel.schemas import PartnerPatch
    from autolease.channel.service import partners
    from autolease.cli_support import json_errors, runtime_scope, system_actor, transaction

    data = _valid(PartnerPatch, {"status": status})
    with json_errors(), runtime_scope() as runtime, transaction(runtime) as session:
        partners.update(session, code, data, system_actor(runtime))
    console.print(f"partner {code}: {status}")


@app.command("fees")
def fees(code: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """The partner's referral fee ledger and balance."""
    from autolease.channel.service import partners
    from autolease.cli_support import json_errors, runtime_scope, transaction

    with json_errors(), runtime_scope() as runtime, transaction(runtime) as session:
        ledger = partners.ledger(session, code).model_dump(mode="json")
    if as_json:
        typer.echo(json.dumps(ledger, ensure_ascii=False))
        return
    table = Table("kind", "amount", "balance after", "contract", "reference")
    for e in ledger["entries"]:
        table.add_row(e["kind"], e["amount"], e["balance_after"], e["contract_id"] or "",
                      e["reference"])  # fmt: skip
    console.print(table)
    console.print(f"balance {ledger['balance']}")


@app.command("payout")
def payout(code: str, amount: Decimal, reference: str) -> None:
    """Record a payout of referral fees (refused above the balance)."""
    from autolease.channel.schemas import PayoutIn
    from autolease.channel.service import partners
    from autolease.cli_support import json_errors, runtime_scope, system_actor, transaction

    data = _valid(PayoutIn, {"amount": amount, "reference": reference})
    with json_errors(), runtime_scope() as runtime, transaction(runtime) as session:
        row = partners.payout(session, code, data.amount, data.reference, system_actor(runtime))
        after = row.balance_after_fen
    console.print(f"paid {data.amount} to {code}; balance {Decimal(after) / 100:.2f}")


@app.command("performance")
def performance(
    month: str = typer.Option(..., help="the month end, YYYY-MM"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Every partner's figures at a month end, by the SPs' measures (ratios to the book)."""
    from autolease.channel.cli import _is_month
    from autolease.channel.service import performance as perf
    from autolease.cli_support import runtime_scope, transaction

    if not _is_month(month):
        err_console.print(f"月份格式应为 YYYY-MM / --month {month!r} is not YYYY-MM")
        raise typer.Exit(2)
    with runtime_scope() as runtime, transaction(runtime) as session:
        s = runtime.settings
        rows = [r.model_dump(mode="json") for r in perf.partners(session, month, s.contract,
                                                                  s.channel)]  # fmt: skip
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    table = Table("partner", "contracts", "fpd", "m1_mob3", "m3_mob6", "m3_mob6 ratio")
    for r in rows:
        rates = r["rates"]
        table.add_row(r["code"], str(r["contracts"]), str(rates["fpd"]), str(rates["m1_mob3"]),
                      str(rates["m3_mob6"]), str(r["ratios"]["m3_mob6_ratio"]))  # fmt: skip
    console.print(table)
