from __future__ import annotations

import logging
import socket
import threading
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from autolease.cli_support import Steps, console, listen_socket, progress_steps, system_actor
from autolease.kit.clock import SystemClock

if TYPE_CHECKING:
    from autolease.config import Settings
    from autolease.demo import book as demo_book
    from autolease.demo.jobs import DemoSummary
    from autolease.runtime import Runtime


def demo(
    applications: int = typer.Option(200, "--applications", "-n", min=1, help="How many to submit"),
    seed: int = typer.Option(20261129, help="Seed of the book (or sample generator)"),
    port: int = typer.Option(8000, help="Port on 127.0.0.1 (0 picks a free one)"),
    serve: bool = typer.Option(True, help="Keep the API up afterwards (Ctrl-C stops it)"),
    train: bool = typer.Option(
        True, help="Build a synthetic book and train the models on it (first run only)"
    ),
    book_size: int = typer.Option(12_000, min=1_000, help="Applications in the demo book"),
) -> None:
    """Create the database, train models on a synthetic book, start the API, submit, summarise.

    With --no-train, generated samples are submitted with no model and no data source: the
    policy then refers what it cannot assess.
    """
    from autolease.config import get_settings
    from autolease.demo import book as demo_book
    from autolease.runtime import build_runtime

    sock = listen_socket("127.0.0.1", port)  # before training: a taken port fails at once
    logging.getLogger("autolease.access").setLevel(logging.WARNING)
    settings = get_settings()
    world = demo_book.world_of(settings)
    notes: list[str] = []
    try:
        with progress_steps() as steps:
            if train:
                settings = _prepare_world(settings, world, steps, notes, size=book_size, seed=seed)
            steps.step("loading the models and policies")
            runtime = build_runtime(settings)
        for note in notes:
            console.print(note)
        try:
            _run(runtime, world if train else None, applications, seed, sock, serve)
        finally:
            runtime.close()
    finally:
        sock.close()


def _prepare_world(
    settings: Settings,
    world: demo_book.DemoWorld,
    steps: Steps,
    notes: list[str],
    *,
    size: int,
    seed: int,
) -> Settings:
    """Write the book and train the models unless they exist; progress on stderr, and what
    was made in `notes` (printed to stdout once the progress display is gone)."""
    from autolease.demo import book as demo_book

    now = SystemClock().now()
    steps.step("writing the synthetic book", total=size)
    if demo_book.ensure_book(world, size=size, seed=seed, today=now.date(), on=steps.advance):
        notes.append(f"[bold]book[/] wrote {size:,} synthetic applications to {world.book_dir}")
    for ref in demo_book.ensure_models(world, now=now, report=steps.step):
        notes.append(f"[bold]model[/] {ref}")
    return demo_book.with_local_providers(settings, world)


def _run(
    runtime: Runtime,
    world: demo_book.DemoWorld | None,
    applications: int,
    seed: int,
    sock: socket.socket,
    serve: bool,
) -> None:
    from autolease import store
    from autolease.demo import book as demo_book
    from autolease.demo.jobs import (
        bound_port,
        prepare,
        start_server,
        submit_payloads,
        submit_samples,
    )

    console.print(f"[bold]database[/] {runtime.settings.db.resolved_url()}")
    tables = None
    if world is not None:
        store.upgrade(runtime.engine)
        tables = demo_book.read_book(world)
        demo_book.seed_book_sps(runtime, tables, system_actor(runtime, "system:demo"))
        seeded = demo_book.seed_history(runtime, tables, submit=applications)
        if seeded:
            console.print(f"[bold]history[/] {seeded:,} link rows of earlier applications")
    keys = prepare(runtime)
    server, thread = start_server(runtime, "127.0.0.1", 0, sock=sock)
    base = f"http://127.0.0.1:{bound_port(server)}"
    console.print(f"[bold]API[/] {base}  (OpenAPI docs: {base}/docs)")
    if tables is not None:
        payloads = demo_book.latest_payloads(tables, applications, seed)
        summary = submit_payloads(base, keys, payloads)
    else:
        summary = submit_samples(base, keys, n=applications, seed=seed, runtime=runtime)
    print_summary(summary, trained=world is not None)
    _serve_or_stop(server, thread, serve)


def _serve_or_stop(server: Any, thread: threading.Thread, serve: bool) -> None:
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


def print_summary(summary: DemoSummary, *, trained: bool = True) -> None:
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
    reasons = Table(title="refer and decline reasons")
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
    if trained:
        console.print(
            "Policy: origination/approve (JDM, zen-engine) over the valuation, credit and fraud "
            "models trained on the demo book; carrier, card, bureau, court and vehicle history "
            "come from the book through the local providers (stand-ins for the vendors)."
        )
    else:
        console.print(
            "[yellow]Policy: origination/approve (JDM, zen-engine). With no model trained and "
            "no data source connected (--no-train), the policy refers what it cannot assess.[/]"
        )
