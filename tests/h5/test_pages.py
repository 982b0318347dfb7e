"""The H5 pages: login, the SP's application list and an application's page (tenancy, role,
bad input)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from tests.factories import Tenant, login, submit
from tests.h5.conftest import example, h5_login


def test_without_a_session_the_list_redirects_to_the_h5_login(client: TestClient) -> None:
    response = client.get("/h5/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/h5/login?next=/h5/"


def test_staff_cannot_log_in_to_the_h5_pages(client: TestClient) -> None:
    response = h5_login(client, "reviewer")
    assert response.status_code == 403
    assert "autolease_session" not in response.headers.get("set-cookie", "")


def test_the_list_shows_only_the_sps_own_applications(
    client: TestClient, tenants: tuple[Tenant, Tenant], sp_page: Callable[[], dict[str, str]]
) -> None:
    a, b = tenants
    mine = submit(client, a, example()).json()["id"]
    theirs = submit(client, b, example("sandbox/refer-multi-lending.json")).json()["id"]
    sp_page()
    page = client.get("/h5/")
    assert page.status_code == 200
    assert f'data-id="{mine}"' in page.text
    assert theirs not in page.text
    filtered = client.get("/h5/?status=declined")
    assert mine not in filtered.text


def test_an_unknown_status_filter_is_a_422_page(
    client: TestClient, sp_page: Callable[[], dict[str, str]]
) -> None:
    sp_page()
    response = client.get("/h5/?status=nonsense")
    assert response.status_code == 422
    assert "unknown_status" in response.text


def test_the_application_page_shows_the_decline_with_actions_and_human_review(
    client: TestClient, tenants: tuple[Tenant, Tenant], sp_page: Callable[[], dict[str, str]]
) -> None:
    a, b = tenants
    mine = submit(client, a, example("sandbox/decline-court-list.json")).json()["id"]
    theirs = submit(client, b, example()).json()["id"]
    sp_page()
    page = client.get(f"/h5/applications/{mine}")
    assert page.status_code == 200
    assert 'data-outcome="decline"' in page.text
    assert 'data-code="COURT_DISHONEST"' in page.text
    assert "申请人可以怎么做" in page.text
    assert 'id="human-review"' in page.text
    assert mine in page.text
    assert client.get(f"/h5/applications/{theirs}").status_code == 404
    assert client.get("/h5/applications/app_nope").status_code == 404


def test_a_staff_session_gets_a_403_on_h5_pages(client: TestClient) -> None:
    login(client, "reviewer")  # a bearer token only: no page session
    page = client.get("/console/login")
    assert page.status_code == 200
    response = client.get("/h5/", follow_redirects=False)
    assert response.status_code == 303  # no cookie session: to the H5 login
