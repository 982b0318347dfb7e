"""The reviewer's workbench in Chromium: claim, the graph, verdicts, requests for information
answered by the SP, four-eyes, CSRF, roles and English."""

from __future__ import annotations

import copy
import os
import random
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from autolease.auth import service as auth_service
from autolease.auth.principal import Role
from autolease.demo.samples import sample_application
from autolease.runtime import Runtime, build_runtime
from tests.browser.conftest import log_in
from tests.documents import samples
from tests.factories import PASSWORD, TODAY

SP = "SP-SH-001"


@dataclass
class Cases:
    sp_headers: dict[str, str]
    referred: list[str]
    neighbour: str  # shares the first referred application's phone


@pytest.fixture(scope="module")
def cases(
    browser_runtime: Runtime, live_server: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cases]:
    """Referred applications decided by a pipeline runtime over the served store."""
    from autolease.app import create_app

    browser_runtime.settings.documents.root = tmp_path_factory.mktemp("documents")
    deciding = build_runtime(browser_runtime.settings)
    try:
        with deciding.sessions.begin() as session:
            new, _ = auth_service.issue_api_key(
                session, sp_code=SP, label="browser", at=deciding.clock.now(),
                token_hex=secrets.token_hex,
            )  # fmt: skip
            auth_service.create_user(
                session, username="reviewer2", display_name="复核员", role=Role.REVIEWER,
                password=PASSWORD, sp_code=None, at=deciding.clock.now(),
            )  # fmt: skip
        headers = {"Authorization": f"Bearer {new.plaintext}"}
        with TestClient(create_app(runtime=deciding)) as client:
            referred, first_body = [], None
            for seed in range(2, 80):
                body = sample_application(random.Random(seed), TODAY, "clean")
                made = client.post("/v1/applications", json=body, headers=headers)
                assert made.status_code == 201, made.text
                if made.json()["decision"]["outcome"] == "refer":
                    referred.append(str(made.json()["id"]))
                    first_body = first_body or body
                if len(referred) == 5:
                    break
            assert first_body is not None
            twin = copy.deepcopy(sample_application(random.Random(999), TODAY, "clean"))
            twin["applicant"]["phone"] = first_body["applicant"]["phone"]
            neighbour = client.post("/v1/applications", json=twin, headers=headers)
            assert neighbour.status_code == 201, neighbour.text
        yield Cases(headers, referred, str(neighbour.json()["id"]))
    finally:
        deciding.close()


def screenshot(page: Any, name: str) -> None:
    """With AUTOLEASE_SCREENSHOTS=<folder>, save the page (how docs/images/ is refreshed)."""
    folder = os.environ.get("AUTOLEASE_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=False)


def open_case(page: Any, app_id: str) -> None:
    page.goto(f"/console/review/cases/{app_id}")
    assert page.locator("#case-head").is_visible()


def claim(page: Any) -> None:
    with page.expect_navigation():
        page.click("#claim")
    assert page.locator("#release").is_visible()


def give(page: Any, verdict: str, reason: str, note: str, checklist: tuple[str, ...] = ()) -> None:
    page.select_option("#verdict-choice", verdict)
    page.select_option("#reason-code", reason)
    page.fill("textarea[name=internal_note]", note)
    for kind in checklist:
        page.check(f"input[name=checklist][value={kind}]")
    with page.expect_navigation():
        page.click("#submit-verdict")


def sp_view(live_server: str, cases: Cases, app_id: str) -> httpx.Response:
    return httpx.get(f"{live_server}/v1/applications/{app_id}", headers=cases.sp_headers)


def test_claim_and_the_graph_draws_the_neighbours(
    page_as: Callable[[str], Any], cases: Cases
) -> None:
    page = page_as("reviewer")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/console/review/queue")
    page.wait_for_selector("#figures div")
    screenshot(page, "review-queue")
    first = cases.referred[0]
    page.click(f"a[href='/console/review/cases/{first}']")
    page.wait_for_url(f"**/cases/{first}")
    claim(page)
    page.wait_for_function("Number(document.getElementById('graph').dataset.drawn) >= 3")
    assert page.locator("#graph canvas").count() > 0
    page.locator("#fraud").scroll_into_view_if_needed()
    screenshot(page, "review-case-graph")
    ids = page.evaluate("window.reviewGraph.nodes().map(n => n.id())")
    assert cases.neighbour in ids
    assert any(i.startswith("phone:") for i in ids)
    box = page.evaluate(
        f"(() => {{ const n = window.reviewGraph.$id('{cases.neighbour}');"
        " return n.renderedBoundingBox(); })()"
    )
    assert box["w"] > 0
    page.evaluate(f"window.reviewGraph.$id('{cases.neighbour}').emit('tap')")
    page.wait_for_url(f"**/cases/{cases.neighbour}")


def test_approve_with_an_internal_note(
    page_as: Callable[[str], Any], cases: Cases, live_server: str
) -> None:
    app_id = cases.referred[1]
    page = page_as("reviewer")
    open_case(page, app_id)
    claim(page)
    give(page, "approve", "documents_verified", "疑似冒名 internal-only")
    assert page.inner_text("#final-outcome") == "approve"
    sp = sp_view(live_server, cases, app_id)
    assert (sp.json()["final_outcome"], sp.json()["decided_by_role"]) == ("approve", "reviewer")
    assert sp.json()["decision"]["outcome"] == "refer"
    for leak in ("疑似冒名", "internal-only", "user:reviewer", '"reviewer":'):
        assert leak not in sp.text


def test_request_information_then_the_sp_answers(
    page_as: Callable[[str], Any], cases: Cases, live_server: str
) -> None:
    app_id = cases.referred[2]
    page = page_as("reviewer")
    open_case(page, app_id)
    give(page, "request_information", "income_proof_needed", "收入存疑",
         ("income_proof", "bank_card"))  # fmt: skip
    sp = sp_view(live_server, cases, app_id).json()
    assert sp["status"] == "info_requested"
    assert {i["kind"] for i in sp["information_request"]["items"]} == {"income_proof", "bank_card"}
    uploaded = httpx.post(
        f"{live_server}/v1/applications/{app_id}/documents",
        data={"kind": "income_proof"},
        files={"file": ("p.png", samples.png(), "image/png")},
        headers=cases.sp_headers,
    )
    assert uploaded.status_code == 201, uploaded.text
    answered = httpx.post(
        f"{live_server}/v1/applications/{app_id}/information",
        json={"message": "已上传流水", "document_ids": [uploaded.json()["id"]]},
        headers=cases.sp_headers,
    )
    assert answered.status_code == 200, answered.text
    page.reload()
    assert "已上传流水" in page.inner_text("#sp-answer")
    assert page.locator("#verdict-form").is_visible()


def test_four_eyes(page_as: Callable[[str], Any], browser: Any, live_server: str,
                   cases: Cases) -> None:  # fmt: skip
    app_id = cases.referred[3]
    page = page_as("reviewer")
    open_case(page, app_id)
    give(page, "decline", "fraud_suspected", "团伙特征")
    assert page.locator("#four-eyes").is_visible()
    assert page.locator("#confirm").count() == 0  # not for the one who proposed
    assert page.inner_text("#app-status") == "referred"
    context = browser.new_context(base_url=live_server, locale="zh-CN")
    try:
        second = context.new_page()
        second.goto("/console/login")
        second.fill("input[name=username]", "reviewer2")
        second.fill("input[name=password]", PASSWORD)
        second.click("button[type=submit]")
        second.wait_for_url("**/console/")
        open_case(second, app_id)
        second.fill("#four-eyes textarea[name=note]", "同意拒绝")
        with second.expect_navigation():
            second.click("#confirm")
        assert second.inner_text("#app-status") == "declined"
        assert second.inner_text("#final-outcome") == "decline"
    finally:
        context.close()


def test_a_verdict_without_its_csrf_token_is_refused(
    page_as: Callable[[str], Any], cases: Cases
) -> None:
    app_id = cases.referred[4]
    page = page_as("reviewer")
    open_case(page, app_id)
    page.evaluate("document.querySelector('#verdict-form input[name=csrf_token]').remove()")
    give(page, "approve", "risk_acceptable", "x")
    assert page.locator("[data-code=csrf_failed]").is_visible()
    open_case(page, app_id)
    assert page.inner_text("#app-status") == "referred"


def test_who_reaches_what(new_page: Any, live_server: str, cases: Cases) -> None:
    log_in(new_page, "risk_analyst")
    new_page.wait_for_url("**/console/")
    assert new_page.goto("/console/review/queue").status == 403
    by_key = httpx.get(f"{live_server}/console/review/queue", headers=cases.sp_headers)
    assert by_key.status_code == 303  # a key opens no page: to the login form
    assert by_key.headers["location"].startswith("/console/login")
    log_in(new_page, "reviewer")
    new_page.wait_for_url("**/console/")
    assert new_page.goto("/console/admin/").status == 403


def test_the_queue_in_english(page_as: Callable[[str], Any], cases: Cases) -> None:
    page = page_as("reviewer")
    page.goto("/console/review/queue")
    assert "转人工队列" in page.inner_text("h1")
    page.click("text=English")
    page.wait_for_url("**/console/review/queue")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.inner_text("h1") == "Referral queue"
    page.select_option("select[name=age]", "overdue")
    page.wait_for_timeout(300)
    assert page.locator("#queue-rows").is_visible()
