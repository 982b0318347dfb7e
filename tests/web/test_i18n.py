"""Catalogues: every message of every page package is translated in zh_CN and en; the
language comes from the toggle's cookie, then Accept-Language; zh-CN is the default."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from autolease.runtime import Runtime
from autolease.web import i18n, messages

PACKAGES = (
    "autolease.web",
    "autolease.console",
    "autolease.console_analyst",
    "autolease.console_admin",
    "autolease.h5",
    "autolease.review.pages",
)


@pytest.mark.parametrize("package", PACKAGES)
def test_every_page_message_has_a_translation_in_both_catalogues(package: str) -> None:
    assert messages.extract(package), "no messages found: is the extractor looking?"
    missing = messages.untranslated(package)
    assert missing == {"zh_CN": [], "en": []}, "run scripts/i18n.py and translate"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("en-GB,en;q=0.9", "en"),
        ("fr-FR, zh-CN;q=0.8, en;q=0.5", "zh_CN"),
        ("de, en;q=0.1", "en"),
        ("de", None),
        ("en;q=abc, zh", "zh_CN"),
    ],
)
def test_accept_language(header: str | None, expected: str | None) -> None:
    assert i18n.from_accept_language(header) == expected


def test_negotiate_prefers_the_cookie_then_the_header() -> None:
    assert i18n.negotiate(None, None) == "zh_CN"
    assert i18n.negotiate("en", "zh-CN") == "en"
    assert i18n.negotiate("klingon", "en-US") == "en"


def test_login_page_is_chinese_by_default_and_english_by_toggle(
    client: TestClient, seeded: Runtime
) -> None:
    page = client.get("/console/login")
    assert '<html lang="zh-CN">' in page.text
    assert "用户名" in page.text
    toggled = client.get("/web/lang?to=en&next=/console/login", follow_redirects=False)
    assert toggled.status_code == 303
    assert toggled.headers["location"] == "/console/login"
    assert "SameSite=strict" in toggled.headers["set-cookie"]
    english = client.get("/console/login")
    assert '<html lang="en">' in english.text
    assert "Username" in english.text
    assert "用户名" not in english.text


def test_accept_language_picks_english_without_a_cookie(client: TestClient) -> None:
    page = client.get("/console/login", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "Username" in page.text


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"]
)
def test_the_toggle_never_redirects_off_site(client: TestClient, target: str) -> None:
    response = client.get("/web/lang", params={"to": "en", "next": target}, follow_redirects=False)
    assert response.headers["location"] == "/console/"
