"""Fixtures of the analyst's and the admin's console pages: the page tests' seeded store and
logins, a second risk analyst (maker-checker), and an SP user's browser session."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

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


LoginFn = Callable[[str], str]
