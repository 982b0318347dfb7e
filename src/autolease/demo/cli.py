from __future__ import annotations

import logging

import typer
from rich.table import Table

from autolease.cli_support import console, runtime_scope
from autolease.demo.jobs import DemoSummary, bound_port, prepare, start_server, submit_samples


def demo(
    applications: int = typer.Option(200, "--applications", "-n", min=1, help="How many to submit"),
    seed: int = typer.Option(20261129, help="Seed of the sample generator"),
    port: int = typer.Option(8000, help="Port on 127.0.0.1 (0 picks a free one)"),
    serve: bool = typer.Option(True, help="Keep the API up afterwards (Ctrl-C stops it)"),
) -> None:
    """Create the database, seed demo SPs and users, start the API, submit samples, summarise."""
    logging.getLogger("autolease.access").setLevel(logging.WARNING)
    with runtime_scope() as runtime:
        console.print(f"[bold]database[/] {runtime.settings.db.resolved_url()}")
        keys = prepare(runtime)
        server, thread = start_server(runtime, "127.0.0.1", port)
        base = f"http://127.0.0.1:{bound_port(server)}"
        console.print(f"[bold]API[/] {base}  (OpenAPI docs: {base}/docs)")
        summary = submit_samples(base, keys, n=applications, seed=seed, runtime=runtime)
        print_summary(summary)
        if not serve:
            server.should_exit = True
            thread.join(timeout=10)
            return
        console.print(
            "\nThe API stays up. Staff log in with POST /v1/auth/token "
            "(demo users: admin / demo-admin-password, analyst, reviewer;"
            " see autolease/seeds/demo_users.yaml)."
            "\nCtrl-C stops it; `autolease serve` starts it again."
        )
        try:
            thread.join()
        except KeyboardInterrupt:
            server.should_exit = True
            thread.join(timeout=10)


def print_summary(summary: DemoSummary) -> None:
    table = Table(title=f"{summary.submitted} applications submitted over HTTP")
    table.add_column("outcome")
    table.add_column("count", justify="right")
    table.add_column("share", justify="right")
    for outcome, count in summary.outcomes.most_common():
        table.add_row(outcome, str(count), f"{count / summary.submitted:.1%}")
    console.print(table)
    sps = Table(title="decisions by SP")
    for col in ("SP", "approve", "refer", "decline"):
        sps.add_column(col)
    for sp in sorted({sp for sp, _ in summary.by_sp}):
        sps.add_row(sp, *(str(summary.by_sp[(sp, o)]) for o in ("approve", "refer", "decline")))
    console.print(sps)
    reasons = Table(title="reason codes")
    reasons.add_column("code")
    reasons.add_column("count", justify="right")
    for code, count in summary.reasons.most_common(10):
        reasons.add_row(code, str(count))
    for field_rule, count in summary.rejected_fields.most_common(5):
        reasons.add_row(f"422: {field_rule}", str(count))
    console.print(reasons)
    console.print(
        f"HTTP latency per application: p50 {summary.p(50):.1f} ms, p99 {summary.p(99):.1f} ms"
    )
    console.print(
        "[yellow]Policy: origination/approve (JDM, zen-engine). Without a trained valuation "
        "and credit model (see `autolease vehicle train`, `autolease credit train-book`) and "
        "with no bureau or fraud data connected, the policy refers what it cannot assess.[/]"
    )
