"""The console's shell in Chromium: login, menus by role, 403s, CSRF, English, logout."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.browser.conftest import log_in


def test_login_shows_the_reviewers_menu_in_chinese(page_as: Callable[[str], Any]) -> None:
    page = page_as("reviewer")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("#menu-review").is_visible()
    assert page.locator("#menu-admin").count() == 0
    assert page.locator("#menu-risk").count() == 0
    assert "转人工队列" in page.inner_text("#menu")


def test_menus_by_role(page_as: Callable[[str], Any]) -> None:
    page = page_as("admin")
    for section in ("#menu-review", "#menu-risk", "#menu-admin"):
        assert page.locator(section).is_visible()


def test_analyst_sees_the_risk_pages_only(page_as: Callable[[str], Any]) -> None:
    page = page_as("risk_analyst")
    assert page.locator("#menu-risk").is_visible()
    assert page.locator("#menu-admin").count() == 0


def test_reviewer_gets_403_on_an_admin_page(page_as: Callable[[str], Any]) -> None:
    page = page_as("reviewer")
    response = page.goto("/console/admin/")
    assert response.status == 403
    assert page.locator("[data-code=role_not_allowed]").is_visible()


def test_an_sp_user_is_refused_by_the_console(new_page: Any) -> None:
    log_in(new_page, "sp_user")
    assert new_page.locator(".alert").is_visible()
    response = new_page.goto("/console/")
    assert new_page.url.endswith("/console/login?next=/console/")
    assert response.status == 200


def test_a_form_post_without_csrf_is_refused(page_as: Callable[[str], Any]) -> None:
    page = page_as("reviewer")
    page.evaluate("document.querySelector('form.inline input[name=csrf_token]').remove()")
    with page.expect_navigation():
        page.click("#logout")
    assert page.locator("[data-code=csrf_failed]").is_visible()
    assert page.goto("/console/").status == 200  # still logged in


def test_english_toggle(page_as: Callable[[str], Any]) -> None:
    page = page_as("reviewer")
    page.click("text=English")
    page.wait_for_url("**/console/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Referral queue" in page.inner_text("#menu")
    page.click("text=中文")
    assert "转人工队列" in page.inner_text("#menu")


def test_logout_ends_the_session(page_as: Callable[[str], Any]) -> None:
    page = page_as("admin")
    page.click("#logout")
    page.wait_for_url("**/console/login")
    page.goto("/console/")
    assert "/console/login?next=" in page.url


def test_no_request_leaves_localhost(
    page_as: Callable[[str], Any], requested_hosts: list[str]
) -> None:
    page = page_as("admin")
    page.goto("/console/admin/")
    page.goto("/docs")
    page.wait_for_selector(".swagger-ui .info")
    assert requested_hosts
    assert set(requested_hosts) == {"127.0.0.1"}
