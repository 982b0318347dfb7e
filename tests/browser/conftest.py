"""The browser harness: the real app under uvicorn on a free local port, driven by
Playwright through Debian's Chromium (launched by its path; no downloaded browsers).

Chromium is `$AUTOLEASE_CHROMIUM`, else `chromium` on the PATH, else `/usr/bin/chromium`;
without it every test here is skipped and says why. The store is a temporary SQLite file
seeded like the demo (`seeding.seed_demo`: one user per staff role and an SP user, with the
passwords of `seeds/demo_users.yaml`).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from autolease import store
from autolease.audit.service import Actor
from autolease.runtime import Runtime, build_runtime
from autolease.seeding import seed_demo
from tests.conftest import make_settings

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORDS = {
    "admin": "demo-admin-password",
    "risk_analyst": "demo-analyst-password",
    "reviewer": "demo-reviewer-password",
    "sp_user": "demo-sp-user-password",
}
USERNAMES = {
    "admin": "admin",
    "risk_analyst": "analyst",
    "reviewer": "reviewer",
    "sp_user": "sp001",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


def find_chromium() -> str | None:
    for candidate in (
        os.environ.get("AUTOLEASE_CHROMIUM"),
        shutil.which("chromium"),
        "/usr/bin/chromium",
    ):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="session")
def chromium_path() -> str:
    found = find_chromium()
    if found is None:
        pytest.skip(
            "no Chromium found: install Debian's chromium (apt-get install chromium) "
            "or set AUTOLEASE_CHROMIUM to its executable"
        )
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def browser_runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    path = tmp_path_factory.mktemp("browser") / "autolease.db"
    runtime = build_runtime(make_settings(f"sqlite:///{path}"), pipeline=False)
    store.upgrade(runtime.engine)
    with runtime.sessions() as session, session.begin():
        seed_demo(session, actor=Actor(runtime.audit_key, "test", runtime.clock.now()))
    yield runtime
    runtime.close()


@pytest.fixture(scope="session")
def live_server(chromium_path: str, browser_runtime: Runtime) -> Iterator[str]:
    """The base URL of the real app served by uvicorn in a background thread."""
    yield from serve(browser_runtime)


def serve(runtime: Runtime) -> Iterator[str]:
    """Serve the app over `runtime` with uvicorn in a background thread; yield its base URL,
    then stop it (the body of the live-server fixtures)."""
    import uvicorn

    from autolease.app import create_app
    from autolease.serving import uvicorn_config

    port = _free_port()
    app = create_app(runtime=runtime)
    server = uvicorn.Server(uvicorn_config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def playwright(chromium_path: str) -> Iterator[Any]:
    """The one Playwright driver of the session (two sync drivers cannot share a thread)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(chromium_path: str, playwright: Any) -> Iterator[Any]:
    launched = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.fixture
def requested_hosts() -> list[str]:
    """Every host a page of the test asked for (filled by the pages `page_as` opens)."""
    return []


@pytest.fixture
def new_page(browser: Any, live_server: str, requested_hosts: list[str]) -> Iterator[Any]:
    """A fresh browser context's page whose requests are recorded in `requested_hosts`."""
    from urllib.parse import urlsplit

    context = browser.new_context(base_url=live_server, locale="zh-CN")
    page = context.new_page()
    page.on("request", lambda request: requested_hosts.append(urlsplit(request.url).hostname))
    yield page
    context.close()


def log_in(page: Any, role: str) -> Any:
    page.goto("/console/login")
    page.fill("input[name=username]", USERNAMES[role])
    page.fill("input[name=password]", PASSWORDS[role])
    page.click("button[type=submit]")
    return page


@pytest.fixture
def page_as(new_page: Any) -> Callable[[str], Any]:
    """`page_as("reviewer")`: the page, logged in through the console's login form."""

    def open_as(role: str) -> Any:
        log_in(new_page, role)
        new_page.wait_for_url("**/console/")
        return new_page

    return open_as
