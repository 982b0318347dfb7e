"""Cross-cutting request dependencies: the runtime and the request's transaction."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from autolease.runtime import Runtime


async def get_runtime(request: Request) -> Runtime:
    # async (no I/O): FastAPI would run a plain `def` dependency in the thread pool, a
    # thread hop per request for a dictionary look-up.
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_session(runtime: RuntimeDep) -> Iterator[Session]:
    """The request owns the transaction: commit after the handler, roll back on any error.

    `scope="function"` below makes the commit happen before the response is sent, so a failed
    commit is reported to the client instead of being lost after a 200.
    """
    session = runtime.sessions()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
