"""The contract pages in Chromium: an admin finds a booked contract, records its payout from
the form, and sees a repossession refused with the reason (the API's rules)."""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from autolease.auth import service as auth_service
from autolease.demo.samples import sample_application
from autolease.runtime import Runtime, build_runtime
from tests.browser.conftest import PASSWORDS, USERNAMES
from tests.factories import TODAY

SP = "SP-SH-001"


def body_of(seed: int) -> dict[str, Any]:
    """A clean sample with a 55 % down payment, so that products have offers for it."""
    body = sample_application(random.Random(seed), TODAY, "clean")
    price = float(body["vehicle"]["asking_price"])
    body["financing"]["down_payment"] = str(round(price * 0.55))
    body["financing"]["amount"] = str(price - round(price * 0.55))
    return body


def staff_headers(client: TestClient, role: str) -> dict[str, str]:
    token = client.post(
        "/v1/auth/token", json={"username": USERNAMES[role], "password": PASSWORDS[role]}
    )
    assert token.status_code == 200, token.text
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


@pytest.fixture(scope="module")
def booked(browser_runtime: Runtime, live_server: str) -> Iterator[dict[str, Any]]:
    """A contract booked on the served store: an approval's best offer, accepted by its SP."""
    from autolease.app import create_app

    deciding = build_runtime(browser_runtime.settings)
    try:
        with deciding.sessions.begin() as session:
            new, _ = auth_service.issue_api_key(
                session, sp_code=SP, label="contracts", at=deciding.clock.now(),
                token_hex=secrets.token_hex,
            )  # fmt: skip
        headers = {"Authorization": f"Bearer {new.plaintext}"}
        with TestClient(create_app(runtime=deciding)) as client:
            reviewer = staff_headers(client, "reviewer")
            for seed in range(300, 400):
                made = client.post("/v1/applications", json=body_of(seed), headers=headers)
                assert made.status_code == 201, made.text
                app_id = made.json()["id"]
                decision = client.get(f"/v1/applications/{app_id}/decision", headers=headers)
                offers = decision.json().get("offers") or []
                if made.json()["status"] != "referred" or not offers:
                    continue
                approved = client.post(
                    f"/v1/applications/{app_id}/review",
                    json={"decision": "approve", "note": "checked"},
                    headers=reviewer,
                )
                assert approved.status_code == 200, approved.text
                accepted = client.post(
                    f"/v1/applications/{app_id}/contract",
                    json={"decision_id": decision.json()["id"], "offer_rank": 1},
                    headers=headers,
                )
                assert accepted.status_code == 201, accepted.text
                yield accepted.json()
                return
        pytest.fail("no sample application was approved with offers")
    finally:
        deciding.close()


def test_an_admin_records_a_payout_and_is_told_why_a_repossession_waits(
    page_as: Callable[[str], Any], booked: dict[str, Any], requested_hosts: list[str]
) -> None:
    page = page_as("admin")
    page.goto("/console/admin/contracts?status=booked")
    with page.expect_navigation():
        page.click(f"a[href='/console/admin/contracts/{booked['id']}']")
    assert page.inner_text("#status") == "booked"
    page.select_option("#event-form select[name=kind]", "payout")
    page.fill("#event-form input[name=event_id]", "browser-payout-1")
    page.fill("#event-form input[name=occurred_on]", TODAY.isoformat())
    page.fill("#event-form input[name=amount]", booked["financed_amount"])
    page.fill("#event-form input[name=reference]", "BANK-1")
    with page.expect_navigation():
        page.click("#event-form button[type=submit]")
    assert page.locator("#done").is_visible()
    assert page.inner_text("#status") == "active"
    assert page.locator("#events tr[data-kind=payout]").count() == 1

    page.select_option("#event-form select[name=kind]", "repossession")
    page.fill("#event-form input[name=event_id]", "browser-repo-1")
    with page.expect_navigation():
        page.click("#event-form button[type=submit]")
    assert "0 days past due" in page.inner_text("#errors")
    assert page.inner_text("#status") == "active"
    assert page.input_value("#event-form input[name=event_id]") == "browser-repo-1"
    assert set(requested_hosts) == {"127.0.0.1"}
