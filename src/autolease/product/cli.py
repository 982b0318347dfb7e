"""`autolease product …`: list the catalogue, load the seed products, quote a structure."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.table import Table

from autolease.cli_support import console, err_console, runtime_scope, system_actor, transaction
from autolease.exceptions import AutoleaseError
from autolease.kit.clock import business_date

app = typer.Typer(help="Lease products, schedules and quotes.", no_args_is_help=True)


@app.command("list")
def list_products(include_inactive: bool = False) -> None:
    """List the catalogue (current version of each product)."""
    from autolease.product import service

    table = Table("code", "version", "type", "name", "terms", "active")
    with runtime_scope() as runtime, transaction(runtime) as session:
        for p in service.list_products(session, include_inactive=include_inactive):
            terms = ",".join(str(t) for t in p.terms["terms_months"])
            table.add_row(p.code, str(p.version), p.product_type, p.name_zh, terms, str(p.active))
    console.print(table)


@app.command("seed")
def seed() -> None:
    """Create the packaged seed products that do not exist yet (idempotent)."""
    from autolease.product import service

    with runtime_scope() as runtime, transaction(runtime) as session:
        created = service.seed_products(session, actor=system_actor(runtime, "system:seed"))
    console.print(f"products created: {created}")


@app.command("quote")
def quote(
    vehicle_price: Decimal,
    first_registration_date: Annotated[str, typer.Option(help="YYYY-MM-DD")],
    mileage_km: int = 50_000,
    down_payment: Decimal = Decimal(0),
    term: int | None = None,
    budget: Decimal | None = None,
    income: Decimal | None = None,
    grade: str | None = None,
    seller_type: str = "dealer",
    applicant_kind: str = "individual",
    top_n: int = 3,
) -> None:
    """Quote structures for a vehicle and a customer; prints JSON."""
    from autolease.product import service
    from autolease.product.schemas import QuoteRequest

    try:
        data = QuoteRequest.model_validate(
            {
                "vehicle_price": vehicle_price,
                "first_registration_date": date.fromisoformat(first_registration_date),
                "mileage_km": mileage_km,
                "down_payment_available": down_payment,
                "term_months": term,
                "monthly_budget": budget,
                "monthly_income": income,
                "credit_grade": grade,
                "seller_type": seller_type,
                "applicant_kind": applicant_kind,
                "top_n": top_n,
            }
        )
        with runtime_scope() as runtime, transaction(runtime) as session:
            today = business_date(runtime.clock.now())
            result = service.quote(session, data=data, today=today)
    except (ValidationError, ValueError, AutoleaseError) as err:
        err_console.print(f"[red]invalid quote request:[/] {err}")
        raise typer.Exit(2) from None
    typer.echo(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
