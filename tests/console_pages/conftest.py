"""Fixtures of the analyst's and the admin's console pages: the page tests' seeded store and
logins, a second risk analyst (maker-checker), an SP user's browser session, and a generated
book's links in the store with a finished ring run over them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from autolease.audit.service import Actor
from autolease.auth.principal import Role
from autolease.runtime import Runtime
from tests.factories import PASSWORD, make_user
from tests.web.conftest import PASSWORDS, form_token, login, seeded  # noqa: F401 (fixtures)

CHECKER = "checker"


@pytest.fixture
def checker(seeded: Runtime) -> str:  # noqa: F811
    """A second risk analyst, who may approve what `analyst` proposes."""
    with seeded.sessions.begin() as session:
        make_user(session, seeded, CHECKER, Role.RISK_ANALYST)
    PASSWORDS.setdefault(CHECKER, PASSWORD)
    return CHECKER


@pytest.fixture
def sp_user_session(client: TestClient, seeded: Runtime) -> None:  # noqa: F811
    """The client holds a browser session of the seeded SP user (made as the H5 pages do)."""
    from autolease.auth.models import StaffUser
    from autolease.web import sessions

    with seeded.sessions() as session, session.begin():
        user = session.scalars(select(StaffUser).where(StaffUser.username == "sp001")).one()
        cookie, _ = sessions.start(session, user=user, now=seeded.clock.now())
    client.cookies.set(sessions.COOKIE_NAME, cookie)


def page_token(client: TestClient, path: str) -> str:
    """The CSRF token of a page's forms (the session's)."""
    page = client.get(path)
    assert page.status_code == 200, page.text
    return form_token(page.text)


@pytest.fixture(scope="session")
def ring_links() -> Any:
    from autolease.fraud.book import book_link_rows
    from autolease.synth.book import generate_tables
    from autolease.synth.config import SynthConfig

    return book_link_rows(generate_tables(SynthConfig(n_applications=1500, seed=3, fraud_rate=0.2)))


@pytest.fixture
def with_rings(seeded: Runtime, ring_links: Any) -> Runtime:  # noqa: F811
    """The book's links in the store and a finished ring run over them."""
    from autolease.fraud.service import ringruns
    from autolease.fraud.service.seeding import seed_links

    with seeded.engine.begin() as conn:
        seed_links(conn, ring_links, seeded.cipher)
    with seeded.sessions.begin() as session:
        actor = Actor(seeded.audit_key, "user:analyst", seeded.clock.now())
        run_id = ringruns.start(session, actor=actor).id
    ringruns.run(seeded, run_id)
    return seeded


LoginFn = Callable[[str], str]
