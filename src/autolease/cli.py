"""The `autolease` command: a router of sub-apps, one per domain.

Every sub-app is registered at import, so this module and the sub-apps' modules import only
light things at the top; LightGBM, pandas, NumPy, the web stack and Alembic are imported inside
the commands that use them (`tests/test_cli_imports.py` checks it).
"""

from __future__ import annotations

import logging

import typer

from autolease.audit.cli import app as audit_app
from autolease.auth.cli import app as user_app
from autolease.backtest.cli import backtest
from autolease.channel.cli_partners import app as partner_app
from autolease.cli_support import (
    console,
    listen_socket,
    runtime_scope,
    system_actor,
    transaction,
)
from autolease.contract.cli import app as book_app
from autolease.credit.cli import app as credit_app
from autolease.dealer.cli import app as sp_app
from autolease.decision.cli import decision_app, policy_app
from autolease.demo.cli import demo
from autolease.documents.cli import app as documents_app
from autolease.fraud.cli import app as fraud_app
from autolease.governance.cli import app as model_app
from autolease.identity.biometrics.cli import identity_app
from autolease.portfolio.cli import app as portfolio_app
from autolease.product.cli import app as product_app
from autolease.synth.cli import app as synth_app
from autolease.vehicle.cli import app as vehicle_app

app = typer.Typer(
    help="autolease: origination and risk control for used-car financial leasing.",
    no_args_is_help=True,
)
app.add_typer(audit_app, name="audit")
app.add_typer(sp_app, name="sp")
app.add_typer(partner_app, name="partner")
app.add_typer(user_app, name="user")
app.add_typer(synth_app, name="synth")
app.add_typer(vehicle_app, name="vehicle")
app.add_typer(credit_app, name="credit")
app.add_typer(product_app, name="product")
app.add_typer(policy_app, name="policy")
app.add_typer(decision_app, name="decision")
app.add_typer(fraud_app, name="fraud")
app.add_typer(model_app, name="model")
app.add_typer(identity_app, name="identity")
app.add_typer(book_app, name="book")
app.add_typer(portfolio_app, name="portfolio")
app.add_typer(documents_app, name="documents")
app.command()(backtest)
app.command()(demo)


@app.command()
def migrate(revision: str = "heads") -> None:
    """Create or upgrade the database schema."""
    from autolease import store

    with runtime_scope() as runtime:
        store.upgrade(runtime.engine, revision)
        console.print(f"database at {revision}: {runtime.settings.db.resolved_url()}")


@app.command()
def seed() -> None:
    """Load the demo SPs and users (idempotent). Refused in production."""
    from autolease import store
    from autolease.seeding import seed_demo

    with runtime_scope() as runtime:
        if runtime.settings.environment == "production":
            console.print("[red]demo seeds are refused in production[/]")
            raise typer.Exit(2)
        store.upgrade(runtime.engine)
        with transaction(runtime) as session:
            report = seed_demo(session, actor=system_actor(runtime, "system:seed"))
    console.print(
        f"SPs created: {report.sps_created}, users created: {report.users_created}, "
        f"products created: {report.products_created}"
    )


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = typer.Option(8000, help="Port to listen on (taken: exit 2, pick another)"),
) -> None:
    """Run the API (migrates first).

    In development, a demo book left by `autolease demo` backs the local providers that are
    not configured otherwise, so the server decides as the demo did.
    """
    import uvicorn

    from autolease import store
    from autolease.app import create_app
    from autolease.config import get_settings
    from autolease.demo.book import demo_settings
    from autolease.runtime import build_runtime
    from autolease.serving import uvicorn_config

    sock = listen_socket(host, port)
    runtime = build_runtime(demo_settings(get_settings()))
    try:
        store.upgrade(runtime.engine)
        # uvicorn's own access log stays off (serving.uvicorn_config): it prints query strings.
        config = uvicorn_config(create_app(runtime=runtime), host=host, port=port, log_level="info")
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
        runtime.close()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    for noisy in ("alembic", "httpx"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    app()
