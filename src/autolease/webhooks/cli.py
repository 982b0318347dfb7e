"""``autolease webhooks deliver``: the delivery worker, once or in a loop."""

from __future__ import annotations

import json
import signal
import threading

import typer

from autolease.cli_support import console, runtime_scope

app = typer.Typer(help="Webhooks: the delivery worker.", no_args_is_help=True)


@app.command("deliver")
def deliver(
    once: bool = typer.Option(False, "--once", help="Deliver what is due now, then exit"),
    idle: float = typer.Option(1.0, min=0.05, max=60, help="Seconds to wait when nothing is due"),
) -> None:
    """Post due webhook deliveries, signed, retrying failures with backoff.

    Several workers may run at once (claims skip each other's rows). With --once, prints a
    JSON summary of the rounds; otherwise runs until interrupted (Ctrl-C or SIGTERM).
    """
    from autolease.webhooks.delivery import Deliverer

    with runtime_scope() as runtime, Deliverer(runtime) as deliverer:
        if once:
            rounds = deliverer.drain()
            totals = {
                key: sum(getattr(r, key) for r in rounds)
                for key in ("claimed", "delivered", "retried", "dead")
            }
            summary = {"rounds": len(rounds), **totals}
            console.print_json(json.dumps(summary))
            return
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            deliverer.run(stop, idle_s=idle)
        except KeyboardInterrupt:
            stop.set()
