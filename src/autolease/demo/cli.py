from __future__ import annotations

import json
import logging
import socket
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from autolease.cli_support import Steps, console, listen_socket, progress_steps, system_actor
from autolease.kit.clock import SystemClock, business_date

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
    summary_json: Path | None = typer.Option(
        None, "--summary-json", help="Also write the summary as JSON to this file"
    ),
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
            if train:
                steps.step("migrating the store")
                _migrate(settings)
            steps.step("loading the models and policies")
            runtime = build_runtime(settings)
        for note in notes:
            console.print(note)
        try:
            world_used = world if train else None
            _run(runtime, world_used, applications, seed, port, serve, summary_json, sock=sock)
        finally:
            runtime.close()
    finally:
        sock.close()


def _migrate(settings: Settings) -> None:
    """Bring the store up to date before the runtime reads its model registry."""
    from autolease import store
    from autolease.db import create_engine_for

    engine = create_engine_for(settings.db)
    try:
        store.upgrade(engine)
    finally:
        engine.dispose()


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
    port: int,
    serve: bool,
    summary_json: Path | None = None,
    *,
    sock: socket.socket,
) -> None:
    from autolease import store
    from autolease.demo import book as demo_book
    from autolease.demo.guide import print_next_steps
    from autolease.demo.jobs import (
        bound_port,
        prepare,
        start_server,
        submit_payloads,
        submit_samples,
    )
    from autolease.seeding import load_yaml

    console.print(f"[bold]database[/] {runtime.settings.db.resolved_url()}")
    tables = None
    if world is not None:
        store.upgrade(runtime.engine)
        actor = system_actor(runtime, "system:demo")
        for ref in demo_book.ensure_champions(runtime, actor):
            console.print(f"[bold]champion[/] {ref} (demo bootstrap, audited as system:demo)")
        runtime.reload_models()
        tables = demo_book.read_book(world)
        demo_book.seed_book_sps(runtime, tables, actor)
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
    if world is not None:
        _follow_approvals(runtime, world, base, keys, summary)
    _find_rings(runtime)
    if summary_json is not None:
        document = {**summary.as_dict(), "trained": world is not None}
        summary_json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    users = load_yaml("demo_users.yaml")
    # A port of 0 picked a free one for this run; a restart goes back to the usual port.
    print_next_steps(console, users, base_url=base, serving=serve, serve_port=port or 8000)
    _serve_or_stop(server, thread, serve)


def _find_rings(runtime: Runtime) -> None:
    """One stored ring run over the demo's store, so the console's rings page shows rings."""
    from autolease.cli_support import transaction
    from autolease.fraud.exceptions import RingRunBusy
    from autolease.fraud.models import RingRun
    from autolease.fraud.service import ringruns

    try:
        with transaction(runtime) as session:
            run_id = ringruns.start(session, actor=system_actor(runtime, "system:demo")).id
    except RingRunBusy as exc:
        console.print(f"[bold]rings[/] not searched: {exc.detail}")
        return
    ringruns.run(runtime, run_id)
    with transaction(runtime) as session:
        row = session.get(RingRun, run_id)
        found, linked = (row.rings, row.linked_applications) if row else (None, None)
    console.print(
        f"[bold]rings[/] {found} found over {linked or 0:,} linked applications"
        f" (ring run {run_id}: the console's rings page shows it)"
    )


def _follow_approvals(
    runtime: Runtime,
    world: demo_book.DemoWorld,
    base: str,
    keys: dict[str, str],
    summary: DemoSummary,
) -> None:
    """Book the approvals' contracts over HTTP and write the demo book's portfolio report."""
    from autolease.demo.contracts import approvals_of, book_contracts, write_portfolio_report

    today = business_date(runtime.clock.now())
    booked = book_contracts(base, keys, approvals_of(summary.responses), today=today)
    console.print(
        f"[bold]contracts[/] {booked.contracts} booked from the approvals' best offers, "
        f"{booked.paid_out} paid out (GET {base}/v1/contracts)"
    )
    report = runtime.settings.db.sqlite_path.parent / "portfolio.html"
    alerts = write_portfolio_report(world.book_dir, report)
    console.print(f"[bold]portfolio[/] {report} (vintages, roll rates; {alerts} alert(s))")


def _serve_or_stop(server: Any, thread: threading.Thread, serve: bool) -> None:
    if not serve:
        server.should_exit = True
        thread.join(timeout=10)
        return
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
