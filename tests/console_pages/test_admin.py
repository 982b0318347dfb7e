"""The admin's pages: SPs (status, grade), users, API keys (issued once, revoked) and the
audit trail with its chain check. Each change is the same use case as the API's, audited."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from autolease.audit.models import AuditEvent
from autolease.auth.models import ApiKey, StaffUser
from autolease.dealer.models import ServiceProvider
from autolease.runtime import Runtime
from tests.console_pages.conftest import LoginFn

SP = "SP-SH-001"
PAGES = ["/console/admin/sps", "/console/admin/users", "/console/admin/api-keys",
         "/console/admin/audit", "/console/admin/audit/verify"]  # fmt: skip


def _actions(runtime: Runtime, action: str) -> list[AuditEvent]:
    with runtime.sessions() as session:
        return list(
            session.scalars(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)
            )
        )


def _sp(runtime: Runtime) -> ServiceProvider:
    with runtime.sessions() as session:
        return session.scalars(select(ServiceProvider).where(ServiceProvider.code == SP)).one()


@pytest.mark.parametrize("path", PAGES)
def test_admin_pages_are_for_admins_only(client: TestClient, login: LoginFn, path: str) -> None:
    for role in ("reviewer", "analyst"):
        login(role)
        refused = client.get(path)
        assert refused.status_code == 403
        assert "role_not_allowed" in refused.text
    login("admin")
    assert client.get(path).status_code == 200


def test_an_sp_users_session_opens_no_admin_page(client: TestClient, sp_user_session: None) -> None:
    assert client.get("/console/admin/api-keys").status_code == 403


def test_sp_status_and_grade_changes_are_audited(
    client: TestClient, seeded: Runtime, login: LoginFn
) -> None:
    token = login("admin")
    moved = client.post(
        f"/console/admin/sps/{SP}/status",
        data={"csrf_token": token, "status": "watch", "reason": "late payments"},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    graded = client.post(
        f"/console/admin/sps/{SP}/grade",
        data={"csrf_token": token, "grade": "C"},
        follow_redirects=False,
    )
    assert graded.status_code == 303
    sp = _sp(seeded)
    assert (sp.status, sp.grade) == ("watch", "C")
    [status] = _actions(seeded, "sp.status_changed")
    assert (status.actor, status.payload["to"]) == ("user:admin", "watch")
    assert _actions(seeded, "sp.updated")[-1].payload == {"grade": "C"}
    page = client.get("/console/admin/sps")
    assert 'data-sp="SP-SH-001"' in page.text


@pytest.mark.parametrize(
    ("path", "data", "status", "says"),
    [
        ("status", {"status": "prospect", "reason": "x"}, 409, "cannot go from active to prospect"),
        ("status", {"status": "closed", "reason": "x"}, 422, "status"),
        ("status", {"status": "watch", "reason": ""}, 422, "reason"),
        ("grade", {"grade": "Z"}, 422, "grade"),
    ],
)
def test_bad_sp_changes_are_clear_and_change_nothing(
    client: TestClient,
    seeded: Runtime,
    login: LoginFn,
    path: str,
    data: dict[str, str],
    status: int,
    says: str,
) -> None:
    token = login("admin")
    response = client.post(f"/console/admin/sps/{SP}/{path}", data={"csrf_token": token, **data})
    assert response.status_code == status
    assert says in response.text
    sp = _sp(seeded)
    assert (sp.status, sp.grade) == ("active", "A")


def test_an_unknown_sp_is_a_404_page(client: TestClient, login: LoginFn) -> None:
    token = login("admin")
    response = client.post(
        "/console/admin/sps/SP-NOPE/grade", data={"csrf_token": token, "grade": "B"}
    )
    assert response.status_code == 404


def test_create_a_user_then_it_can_log_in(
    client: TestClient, seeded: Runtime, login: LoginFn
) -> None:
    token = login("admin")
    created = client.post(
        "/console/admin/users",
        data={
            "csrf_token": token,
            "username": "analyst2",
            "display_name": "第二分析师",
            "role": "risk_analyst",
            "password": "a-long-enough-password",
        },
        follow_redirects=False,
    )
    assert created.status_code == 303
    assert "analyst2" in client.get("/console/admin/users").text
    [event] = [e for e in _actions(seeded, "user.created") if e.entity_id == "analyst2"]
    assert event.actor == "user:admin"


@pytest.mark.parametrize(
    ("data", "status", "says"),
    [
        ({"username": "Bad Name!"}, 422, "username"),
        ({"password": "short"}, 422, "password"),
        ({"role": "sp_user"}, 422, "sp_code"),
        ({"role": "wizard"}, 422, "role"),
        ({"username": "analyst"}, 409, "taken"),
        ({"role": "sp_user", "sp_code": "SP-NOPE"}, 404, "SP-NOPE"),
    ],
)
def test_bad_users_are_refused_with_the_field_and_nothing_is_written(
    client: TestClient,
    seeded: Runtime,
    login: LoginFn,
    data: dict[str, str],
    status: int,
    says: str,
) -> None:
    token = login("admin")
    form = {"csrf_token": token, "username": "newbie", "display_name": "N",
            "role": "reviewer", "password": "a-long-enough-password", **data}  # fmt: skip
    response = client.post("/console/admin/users", data=form)
    assert response.status_code == status
    assert says in response.text
    assert 'id="errors"' in response.text
    with seeded.sessions() as session:
        assert (
            session.scalars(select(StaffUser).where(StaffUser.username == "newbie")).first() is None
        )
    assert [e for e in _actions(seeded, "user.created") if e.entity_id == "newbie"] == []


def test_an_api_key_is_shown_once_works_and_is_revoked(
    client: TestClient, seeded: Runtime, login: LoginFn
) -> None:
    token = login("admin")
    issued = client.post(
        f"/console/admin/api-keys/{SP}", data={"csrf_token": token, "label": "pos"}
    )
    assert issued.status_code == 201
    assert issued.headers["cache-control"] == "no-store"
    secret = issued.text.split('id="secret">', 1)[1].split("<", 1)[0]
    assert len(secret) > 20
    with seeded.sessions() as session:
        key = session.scalars(select(ApiKey).where(ApiKey.label == "pos")).one()
    assert key.prefix in secret
    assert client.get(f"/v1/sps/{SP}", headers={"X-Api-Key": secret}).status_code == 200
    listing = client.get(f"/console/admin/api-keys?sp={SP}")
    assert key.prefix in listing.text
    assert secret not in listing.text
    revoked = client.post(
        f"/console/admin/api-keys/{SP}/{key.prefix}/revoke",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert revoked.status_code == 303
    assert client.get(f"/v1/sps/{SP}", headers={"X-Api-Key": secret}).status_code == 401
    assert [e.payload["prefix"] for e in _actions(seeded, "api_key.revoked")] == [key.prefix]
    assert [e.payload["prefix"] for e in _actions(seeded, "api_key.issued")] == [key.prefix]


def test_bad_key_requests_are_clear(client: TestClient, login: LoginFn) -> None:
    token = login("admin")
    missing = client.post(f"/console/admin/api-keys/{SP}/nope/revoke", data={"csrf_token": token})
    assert missing.status_code == 404
    assert "nope" in missing.text
    unlabelled = client.post(f"/console/admin/api-keys/{SP}", data={"csrf_token": token})
    assert unlabelled.status_code == 422
    assert "label" in unlabelled.text
    unknown_sp = client.post(
        "/console/admin/api-keys/SP-NOPE", data={"csrf_token": token, "label": "x"}
    )
    assert unknown_sp.status_code == 404


@pytest.mark.parametrize(
    "path",
    [f"/console/admin/sps/{SP}/grade", "/console/admin/users", f"/console/admin/api-keys/{SP}"],
)
def test_admin_posts_without_the_csrf_token_are_refused(
    client: TestClient, seeded: Runtime, login: LoginFn, path: str
) -> None:
    login("admin")
    before = len(_actions(seeded, "api_key.issued"))
    response = client.post(path, data={"grade": "B", "label": "x", "username": "zz"})
    assert response.status_code == 403
    assert "csrf_failed" in response.text
    assert len(_actions(seeded, "api_key.issued")) == before
    assert _sp(seeded).grade == "A"


def test_the_audit_trail_lists_records_and_checks_the_chain(
    client: TestClient, seeded: Runtime, login: LoginFn
) -> None:
    login("admin")
    page = client.get("/console/admin/audit")
    assert "web.login" in page.text
    intact = client.get("/console/admin/audit/verify", headers={"HX-Request": "true"})
    assert 'id="chain-intact"' in intact.text
    with seeded.sessions.begin() as session:
        session.execute(update(AuditEvent).where(AuditEvent.seq == 1).values(actor="someone-else"))
    broken = client.get("/console/admin/audit/verify")
    assert 'id="chain-broken"' in broken.text
    filtered = client.get("/console/admin/audit", params={"entity": "admin"})
    assert filtered.status_code == 200
    bad = client.get("/console/admin/audit", params={"before": "x"})
    assert bad.status_code == 422
