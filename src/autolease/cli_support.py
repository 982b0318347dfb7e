"""Shared bits for CLI commands: build the runtime, open a transaction, act as the system,
listen on a port, and turn expected failures into one clear line."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from autolease.exceptions import AutoleaseError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from autolease.audit.service import Actor
    from autolease.runtime import Runtime

console = Console()
err_console = Console(stderr=True)


@contextmanager
def runtime_scope() -> Iterator[Runtime]:
    """A runtime for a command that reads or writes the store (no decision pipeline)."""
    from autolease.config import get_settings
    from autolease.runtime import build_runtime

    runtime = build_runtime(get_settings(), pipeline=False)
    try:
        yield runtime
    finally:
        runtime.close()


@contextmanager
def transaction(runtime: Runtime) -> Iterator[Session]:
    from autolease.db import session_scope

    with session_scope(runtime.sessions) as session:
        yield session


def system_actor(runtime: Runtime, name: str = "system:cli") -> Actor:
    from autolease.audit.service import Actor

    return Actor(key=runtime.audit_key, name=name, at=runtime.clock.now())


def fail(message: str) -> typer.Exit:
    """Print one red line on stderr; the caller raises the returned exit (code 2)."""
    err_console.print(f"[red]{escape(message)}[/]", soft_wrap=True, highlight=False)
    return typer.Exit(2)


def listen_socket(host: str, port: int) -> socket.socket:
    """A socket bound to `host:port` for the API, or one clear line and exit 2 if it is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as err:
        sock.close()
        reason = err.strerror or str(err)
        raise fail(
            f"cannot listen on {host}:{port} ({reason}): stop the program using it,"
            " or choose another port with --port"
        ) from None
    return sock


class Steps:
    """The steps of a long command, each a line of a Rich progress display on stderr."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._task: TaskID | None = None

    def step(self, description: str, total: float | None = None) -> None:
        """Finish the current step and start the next (`total` known: a bar, else a pulse)."""
        self._finish()
        self._task = self._progress.add_task(description, total=total)

    def advance(self, amount: float = 1) -> None:
        if self._task is not None:
            self._progress.advance(self._task, amount)

    def _finish(self) -> None:
        if self._task is not None:
            task = self._progress.tasks[self._task]
            done = task.completed if task.total is None else task.total
            self._progress.update(self._task, total=max(done, 1), completed=max(done, 1))


@contextmanager
def progress_steps() -> Iterator[Steps]:
    """Show the steps of a long command on stderr, so that stdout keeps only its output.

    Shown when stderr is a terminal (or Rich is told it is one, ``TTY_COMPATIBLE=1``): piped
    into a file, stderr keeps only the one-line errors.
    """
    columns = (
        SpinnerColumn(finished_text="✓"),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    shown = err_console.is_terminal
    with Progress(
        *columns, console=err_console, redirect_stdout=False, disable=not shown
    ) as progress:
        steps = Steps(progress)
        yield steps
        steps._finish()


@contextmanager
def json_errors() -> Iterator[None]:
    """Expected failures (bad input, a missing file, a missing extra) become one JSON line on
    stderr, ``{"error", "detail"}``, and exit code 2 — never a traceback."""
    try:
        yield
    except AutoleaseError as exc:
        _error_line(type(exc).__name__, exc.detail)
    except (OSError, ValueError) as exc:
        _error_line(type(exc).__name__, str(exc))


def _error_line(error: str, detail: str) -> NoReturn:
    typer.echo(json.dumps({"error": error, "detail": detail}, ensure_ascii=False), err=True)
    raise typer.Exit(2) from None
