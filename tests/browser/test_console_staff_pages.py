"""The analyst's and the admin's console pages in Chromium: maker-checker across two
analysts, a backtest followed to its charts, a reviewer kept out of the admin pages, CSRF,
and the same pages in English."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from autolease.decision.files import load_one, packaged_root
from autolease.runtime import Runtime
from tests.browser.conftest import PASSWORDS

KEY = "origination/approve-conservative"
VERSION = load_one(packaged_root(), KEY).document.version
CHECKER, CHECKER_PASSWORD = "checker-b", "checker-b-password-1"


def _log_in_as(page: Any, username: str, password: str) -> None:
    page.goto("/console/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/console/")


def _log_out(page: Any) -> None:
    with page.expect_navigation():
        page.click("#logout")


def test_maker_checker_in_the_browser(
    page_as: Callable[[str], Any], requested_hosts: list[str]
) -> None:
    page = page_as("admin")  # the admin adds the second analyst through the users page
    page.goto("/console/admin/users")
    page.fill("#create-user input[name=username]", CHECKER)
    page.fill("#create-user input[name=display_name]", "复核分析师")
    page.select_option("#create-user select[name=role]", "risk_analyst")
    page.fill("#create-user input[name=password]", CHECKER_PASSWORD)
    with page.expect_navigation():
        page.click("#create-user button[type=submit]")
    assert page.locator("#done").is_visible()
    _log_out(page)

    _log_in_as(page, "analyst", PASSWORDS["risk_analyst"])
    page.goto(f"/console/policies/view/{KEY}")
    page.select_option("#propose select[name=version]", VERSION)
    page.fill("#propose input[name=note]", "上线保守策略")
    with page.expect_navigation():
        page.click("#propose button[type=submit]")
    assert page.locator("#done").is_visible()
    row = page.locator("#proposals tr", has_text="上线保守策略")
    assert row.locator(".own").is_visible()  # the page says it is the analyst's own
    with page.expect_navigation():
        row.locator("button.approve").click()
    assert page.locator("#errors").is_visible()
    assert "提议人不能审批自己的变更" in page.inner_text("#errors")
    _log_out(page)

    _log_in_as(page, CHECKER, CHECKER_PASSWORD)
    page.goto(f"/console/policies/view/{KEY}")
    row = page.locator("#proposals tr", has_text="上线保守策略")
    assert row.locator(".own").count() == 0
    with page.expect_navigation():
        row.locator("button.approve").click()
    assert "启用已批准并排期" in page.inner_text("#done")
    assert "已批准" in page.locator("#proposals tr", has_text="上线保守策略").inner_text()
    page.goto("/console/admin/audit")  # an analyst may not read the admin's trail
    assert page.locator("[data-code=role_not_allowed]").is_visible()
    assert set(requested_hosts) == {"127.0.0.1"}


def test_a_policy_form_without_its_token_is_refused(page_as: Callable[[str], Any]) -> None:
    page = page_as("risk_analyst")
    page.goto(f"/console/policies/view/{KEY}")
    page.evaluate("document.querySelector('#propose input[name=csrf_token]').remove()")
    with page.expect_navigation():
        page.click("#propose button[type=submit]")
    assert page.locator("[data-code=csrf_failed]").is_visible()


@pytest.mark.parametrize(
    "path",
    [
        "/console/admin/sps",
        "/console/admin/users",
        "/console/admin/api-keys",
        "/console/admin/audit",
    ],
)
def test_a_reviewer_cannot_reach_an_admin_page(page_as: Callable[[str], Any], path: str) -> None:
    page = page_as("reviewer")
    response = page.goto(path)
    assert response.status == 403
    assert page.locator("[data-code=role_not_allowed]").is_visible()


def test_the_admin_pages_in_english_with_the_chain_check(page_as: Callable[[str], Any]) -> None:
    page = page_as("admin")
    page.click("text=English")
    page.wait_for_url("**/console/")
    page.goto("/console/admin/audit")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.inner_text("h1") == "Audit trail"
    page.click("#verify")  # HTMX GET, drawn in place
    page.wait_for_selector("#chain-intact")
    assert "The chain is intact" in page.inner_text("#chain")
    page.goto("/console/admin/api-keys")
    page.fill("#issue-key input[name=label]", "till")
    with page.expect_navigation():
        page.click("#issue-key button[type=submit]")
    assert "shown this once" in page.inner_text("#issued")
    assert page.inner_text("#secret").startswith("ak_")
    page.goto("/console/policies")
    assert page.inner_text("h1") == "Policies"
    assert "策略" not in page.inner_text("main")


@pytest.fixture
def books(browser_runtime: Runtime, tmp_path: Path) -> Iterator[None]:
    from autolease.synth.config import SynthConfig
    from autolease.synth.writer import write_book

    write_book(
        SynthConfig(n_applications=800, seed=7, chunk_size=1_000, row_group_size=1_000),
        tmp_path / "browser-book",
    )
    before = browser_runtime.settings.web.books_dir
    browser_runtime.settings.web.books_dir = tmp_path
    yield
    browser_runtime.settings.web.books_dir = before


def test_a_backtest_is_followed_to_its_charts(
    page_as: Callable[[str], Any], books: None, requested_hosts: list[str]
) -> None:
    page = page_as("risk_analyst")
    page.goto("/console/backtests")
    page.select_option("#start select[name=book]", "browser-book")
    page.select_option("#start select[name=policy]", "origination/approve")
    page.select_option("#start select[name=against]", KEY)
    page.fill("#start input[name=limit]", "500")
    with page.expect_navigation():
        page.click("#start button[type=submit]")
    page.wait_for_selector("#report", timeout=120_000)  # polled, then the page reloads
    for chart in ("#chart-approval-bad", "#chart-swap-sets", "#chart-by-sp", "#chart-by-month"):
        page.wait_for_selector(f"{chart}[data-drawn] canvas")
    assert set(requested_hosts) == {"127.0.0.1"}
