from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from autolease.runtime import Runtime
from tests.web.conftest import PASSWORDS, form_token


def test_home_without_a_session_redirects_to_login_with_next(client: TestClient) -> None:
    response = client.get("/console/?tab=1", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/console/login?next=/console/%3Ftab%3D1"


def test_login_sets_a_strict_httponly_cookie_and_shows_the_menu_by_role(
    client: TestClient, seeded: Runtime
) -> None:
    page = client.get("/console/login")
    assert page.status_code == 200
    response = client.post(
        "/console/login",
        data={
            "username": "reviewer",
            "password": PASSWORDS["reviewer"],
            "csrf_token": form_token(page.text),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    cookie = next(c for c in response.headers.get_list("set-cookie") if "autolease_session" in c)
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Path=/" in cookie
    assert "Secure" not in cookie  # plain http in the test
    home = client.get("/console/")
    assert 'id="menu-review"' in home.text
    assert 'id="menu-admin"' not in home.text
    assert 'id="menu-risk"' not in home.text


def test_menus_of_the_analyst_and_the_admin(
    client: TestClient, login: Callable[[str], str]
) -> None:
    login("analyst")
    home = client.get("/console/").text
    assert 'id="menu-risk"' in home
    assert 'id="menu-admin"' not in home
    login("admin")
    home = client.get("/console/").text
    assert 'id="menu-admin"' in home


def test_wrong_password_is_a_401_page_and_no_cookie(client: TestClient, seeded: Runtime) -> None:
    page = client.get("/console/login")
    response = client.post(
        "/console/login",
        data={"username": "reviewer", "password": "nope", "csrf_token": form_token(page.text)},
    )
    assert response.status_code == 401
    assert "用户名或密码错误" in response.text
    assert "autolease_session" not in response.headers.get("set-cookie", "")


def test_login_without_its_csrf_cookie_is_refused(client: TestClient, seeded: Runtime) -> None:
    page = client.get("/console/login")
    token = form_token(page.text)
    client.cookies.clear()
    response = client.post(
        "/console/login",
        data={"username": "reviewer", "password": PASSWORDS["reviewer"], "csrf_token": token},
    )
    assert response.status_code == 403
    assert "autolease_session" not in response.headers.get("set-cookie", "")


def test_an_sp_user_cannot_log_in_to_the_console(client: TestClient, seeded: Runtime) -> None:
    page = client.get("/console/login")
    response = client.post(
        "/console/login",
        data={
            "username": "sp001",
            "password": PASSWORDS["sp001"],
            "csrf_token": form_token(page.text),
        },
    )
    assert response.status_code == 403
    assert "autolease_session" not in response.headers.get("set-cookie", "")


def test_reviewer_gets_a_403_page_on_an_admin_page(
    client: TestClient, login: Callable[[str], str]
) -> None:
    login("reviewer")
    response = client.get("/console/admin/")
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "role_not_allowed" in response.text
    login("admin")
    assert client.get("/console/admin/").status_code == 200


def test_logout_needs_the_csrf_token_and_ends_the_session(
    client: TestClient, login: Callable[[str], str]
) -> None:
    token = login("reviewer")
    refused = client.post("/console/logout", data={}, follow_redirects=False)
    assert refused.status_code == 403
    assert "csrf_failed" in refused.text
    wrong = client.post("/console/logout", data={"csrf_token": "x" * 43}, follow_redirects=False)
    assert wrong.status_code == 403
    ok = client.post("/console/logout", data={"csrf_token": token}, follow_redirects=False)
    assert ok.status_code == 303
    assert client.get("/console/", follow_redirects=False).status_code == 303


def test_csrf_header_is_accepted_for_htmx_posts(
    client: TestClient, login: Callable[[str], str]
) -> None:
    token = login("reviewer")
    response = client.post(
        "/console/logout",
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
        follow_redirects=False,
    )
    assert response.status_code == 303


def test_htmx_and_post_without_a_session_get_401(client: TestClient) -> None:
    htmx = client.get("/console/", headers={"HX-Request": "true"}, follow_redirects=False)
    assert htmx.status_code == 401
    assert htmx.headers["HX-Redirect"].startswith("/console/login?next=")
    post = client.post("/console/logout", data={"csrf_token": "x"}, follow_redirects=False)
    assert post.status_code == 401


def test_an_api_key_or_token_never_opens_a_page(client: TestClient, seeded: Runtime) -> None:
    token = client.post(
        "/v1/auth/token", json={"username": "admin", "password": PASSWORDS["admin"]}
    ).json()["access_token"]
    for headers in ({"Authorization": f"Bearer {token}"}, {"X-API-Key": "ak_whatever"}):
        response = client.get("/console/", headers=headers, follow_redirects=False)
        assert response.status_code == 303


def test_bad_form_input_is_a_422_page_not_a_500(client: TestClient, seeded: Runtime) -> None:
    response = client.post("/console/login", data={"username": "x" * 500, "password": "p"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert "username" in response.text
    broken = client.post(
        "/console/login",
        content=b"\xff\xfe=\xff",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert broken.status_code in (400, 422)


def test_oversized_form_is_refused_by_the_request_guard(client: TestClient) -> None:
    response = client.post("/console/login", data={"username": "a", "password": "b" * 200_000})
    assert response.status_code == 413


def test_login_next_cannot_leave_the_site(client: TestClient, seeded: Runtime) -> None:
    page = client.get("/console/login?next=//evil.example/")
    assert 'name="next" value="/console/"' in page.text
    response = client.post(
        "/console/login",
        data={
            "username": "admin",
            "password": PASSWORDS["admin"],
            "csrf_token": form_token(page.text),
            "next": "https://evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/console/"


def test_an_sp_users_session_never_opens_the_console(client: TestClient, seeded: Runtime) -> None:
    """A session made elsewhere (the H5 pages) for an SP user: every console page is a 403."""
    from sqlalchemy import select

    from autolease.auth.models import StaffUser
    from autolease.web import sessions

    with seeded.sessions() as session, session.begin():
        user = session.scalars(select(StaffUser).where(StaffUser.username == "sp001")).one()
        cookie, _ = sessions.start(session, user=user, now=seeded.clock.now())
    client.cookies.set(sessions.COOKIE_NAME, cookie)
    response = client.get("/console/")
    assert response.status_code == 403
    assert "surface_not_allowed" in response.text


def test_secure_cookie_behind_a_trusted_proxy_only(client: TestClient, seeded: Runtime) -> None:
    page = client.get("/console/login", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" not in page.headers["set-cookie"]  # proxy headers not trusted by default
    seeded.settings.web.trust_proxy_headers = True
    try:
        page = client.get("/console/login", headers={"X-Forwarded-Proto": "https"})
        assert "Secure" in page.headers["set-cookie"]
    finally:
        seeded.settings.web.trust_proxy_headers = False
