from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

import typer
from rich.table import Table

from autolease.channel import cli as channel_cli
from autolease.cli_support import console, json_errors, runtime_scope, system_actor, transaction
from autolease.dealer.schemas import SpGrade

app = typer.Typer(help="SPs (channel partners) and their API keys.", no_args_is_help=True)


@app.command("create")
def create(
    code: str,
    name: str,
    region: str,
    grade: SpGrade = SpGrade.B,
    deposit: Decimal = Decimal("0"),
) -> None:
    """Register an SP."""
    from autolease.audit import service as audit_service
    from autolease.dealer import service
    from autolease.dealer.schemas import SpCreate

    data = SpCreate(code=code, name=name, region=region, grade=grade, deposit_balance=deposit)
    with runtime_scope() as runtime, transaction(runtime) as session:
        actor = system_actor(runtime)
        sp = service.create(session, data=data, at=actor.at)
        audit_service.log(
            session, actor, "sp.created", entity_type="service_provider", entity_id=sp.code
        )
    console.print(f"created SP {code}")


@app.command("list")
def list_sps() -> None:
    """List SPs."""
    from autolease.dealer import service

    table = Table("code", "name", "region", "grade", "status", "deposit")
    with runtime_scope() as runtime, transaction(runtime) as session:
        for sp in service.list_all(session):
            read = service.to_read(sp)
            table.add_row(
                read.code,
                read.name,
                read.region,
                read.grade,
                read.status,
                str(read.deposit_balance),
            )
    console.print(table)


@app.command("issue-key")
def issue_key(code: str, label: str = "cli") -> None:
    """Issue an API key for an SP. It is printed once and cannot be shown again."""
    from autolease.audit import service as audit_service
    from autolease.auth import service as auth_service

    with runtime_scope() as runtime, transaction(runtime) as session:
        actor = system_actor(runtime)
        new, row = auth_service.issue_api_key(
            session, sp_code=code, label=label, at=actor.at, token_hex=secrets.token_hex
        )
        audit_service.log(
            session,
            actor,
            "api_key.issued",
            entity_type="service_provider",
            entity_id=code,
            payload={"prefix": row.prefix, "label": label},
        )
    console.print(new.plaintext)


@app.command("revoke-key")
def revoke_key(prefix: str) -> None:
    """Revoke an API key by its prefix (ak_PREFIX_…, as `GET /v1/sps/{code}/api-keys` lists it).

    Requests with the key get 401 from then on; revoking a revoked key changes nothing.
    """
    from autolease.audit import service as audit_service
    from autolease.auth import service as auth_service
    from autolease.dealer import service as dealer_service

    with json_errors(), runtime_scope() as runtime, transaction(runtime) as session:
        actor = system_actor(runtime)
        row = auth_service.revoke_key_by_prefix(session, prefix=prefix, at=actor.at)
        code = dealer_service.get(session, sp_id=row.sp_id).code
        audit_service.log(
            session,
            actor,
            "api_key.revoked",
            entity_type="service_provider",
            entity_id=code,
            payload={"prefix": prefix},
        )
    console.print(f"revoked API key {prefix} of SP {code}")


@app.command("set-origins")
def set_origins(code: str, origins: list[str]) -> None:
    """Replace the web origins whose pages may call the API for an SP (CORS allow-list)."""
    from autolease.audit import service as audit_service
    from autolease.dealer import service
    from autolease.dealer.schemas import OriginsIn

    with json_errors():
        data = _origins_in(OriginsIn, origins)
        with runtime_scope() as runtime, transaction(runtime) as session:
            actor = system_actor(runtime)
            saved = service.set_origins(session, code=code, origins=data.origins, at=actor.at)
            audit_service.log(
                session,
                actor,
                "sp.origins_set",
                entity_type="service_provider",
                entity_id=code,
                payload={"origins": saved},
            )
    console.print(f"SP {code} origins: {', '.join(saved) or '(none)'}")


def _origins_in(model: Any, origins: list[str]) -> Any:
    from pydantic import ValidationError

    try:
        return model(origins=origins)
    except ValidationError as err:
        raise ValueError("; ".join(e["msg"] for e in err.errors())) from None


app.command("grade")(channel_cli.grade)
app.command("confirm-grade")(channel_cli.confirm)
app.command("report")(channel_cli.report)
app.command("add-staff-phone")(channel_cli.add_staff_phone)
