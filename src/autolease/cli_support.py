"""Shared bits for CLI commands: build the runtime, open a transaction, act as the system."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from sqlalchemy.orm import Session

from autolease.audit.service import Actor
from autolease.config import get_settings
from autolease.db import session_scope
from autolease.runtime import Runtime, build_runtime

console = Console()
err_console = Console(stderr=True)


@contextmanager
def runtime_scope() -> Iterator[Runtime]:
    runtime = build_runtime(get_settings())
    try:
        yield runtime
    finally:
        runtime.close()


@contextmanager
def transaction(runtime: Runtime) -> Iterator[Session]:
    with session_scope(runtime.sessions) as session:
        yield session


def system_actor(runtime: Runtime, name: str = "system:cli") -> Actor:
    return Actor(key=runtime.audit_key, name=name, at=runtime.clock.now())
