"""The policies pages: versions, diff, cases, and activation under maker-checker."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from autolease.audit.models import AuditEvent
from autolease.decision.files import load_one, packaged_root
from autolease.governance.models import ChangeRequest
from autolease.runtime import Runtime
from tests.console_pages.conftest import LoginFn, page_token

KEY = "origination/approve"
FILE = load_one(packaged_root(), KEY)
VERSION = FILE.document.version
PAGE = f"/console/policies/view/{KEY}"


def _propose(client: TestClient, token: str, **extra: str) -> object:
    data = {"csrf_token": token, "key": KEY, "version": VERSION, **extra}
    return client.post("/console/policies/proposals", data=data, follow_redirects=False)


def _changes(runtime: Runtime) -> list[ChangeRequest]:
    with runtime.sessions() as session:
        return list(session.scalars(select(ChangeRequest).order_by(ChangeRequest.id)))


def _actions(runtime: Runtime, prefix: str) -> list[tuple[str, str]]:
    with runtime.sessions() as session:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.action.like(prefix + "%")).order_by(AuditEvent.seq)
        )
        return [(r.action, r.actor) for r in rows]


@pytest.mark.parametrize(
    "path",
    ["/console/policies", PAGE, "/console/backtests", "/console/models", "/console/fraud-rings"],
)
def test_analyst_pages_open_for_analysts_and_admins_only(
    client: TestClient, login: LoginFn, path: str
) -> None:
    assert client.get(path, follow_redirects=False).status_code == 303  # no session: login
    login("reviewer")
    refused = client.get(path)
    assert refused.status_code == 403
    assert "role_not_allowed" in refused.text
    login("admin")
    assert client.get(path).status_code == 200
    login("analyst")
    assert client.get(path).status_code == 200


def test_an_sp_users_session_opens_no_analyst_page(
    client: TestClient, sp_user_session: None
) -> None:
    response = client.get("/console/policies")
    assert response.status_code == 403
    assert "surface_not_allowed" in response.text


def test_the_policy_page_shows_versions_and_its_passing_cases(
    client: TestClient, login: LoginFn
) -> None:
    login("analyst")
    page = client.get(PAGE)
    assert page.status_code == 200
    assert VERSION in page.text
    assert 'id="case-results"' in page.text
    assert page.text.count('class="badge ok"') >= 5  # the packaged cases pass
    assert 'class="badge bad"' not in page.text


def test_maker_checker_the_proposer_cannot_approve_another_analyst_does(
    client: TestClient, seeded: Runtime, login: LoginFn, checker: str
) -> None:
    token = login("analyst")
    assert _propose(client, token, note="tighter").status_code == 303
    [change] = _changes(seeded)
    assert (change.status, change.proposed_by) == ("pending", "user:analyst")
    own = client.post(
        f"/console/policies/proposals/{change.id}/approve",
        data={"csrf_token": token, "key": KEY},
    )
    assert own.status_code == 403
    assert "提议人不能审批自己的变更" in own.text
    assert _changes(seeded)[0].status == "pending"
    token = login(checker)
    approved = client.post(
        f"/console/policies/proposals/{change.id}/approve",
        data={"csrf_token": token, "key": KEY},
        follow_redirects=False,
    )
    assert approved.status_code == 303
    assert _changes(seeded)[0].status == "approved"
    assert _actions(seeded, "policy.activation") == [
        ("policy.activation_proposed", "user:analyst"),
        ("policy.activation_approved", "user:checker"),
    ]
    listing = client.get("/console/policies")
    assert "启用记录" in listing.text  # in force by an activation, no longer the file


def test_another_analyst_rejects(
    client: TestClient, seeded: Runtime, login: LoginFn, checker: str
) -> None:
    _propose(client, login("analyst"))
    [change] = _changes(seeded)
    token = login(checker)
    response = client.post(
        f"/console/policies/proposals/{change.id}/reject",
        data={"csrf_token": token, "key": KEY},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert (_changes(seeded)[0].status, _changes(seeded)[0].decided_by) == (
        "rejected",
        "user:checker",
    )
    again = client.post(
        f"/console/policies/proposals/{change.id}/reject", data={"csrf_token": token, "key": KEY}
    )
    assert again.status_code == 409
    assert "already rejected" in again.text


def test_an_admin_may_read_but_not_propose(
    client: TestClient, seeded: Runtime, login: LoginFn
) -> None:
    token = login("admin")
    assert 'id="propose"' not in client.get(PAGE).text
    assert _propose(client, token).status_code == 403
    assert _changes(seeded) == []


def test_a_post_without_the_csrf_token_is_refused(
    client: TestClient, seeded: Runtime, login: LoginFn
) -> None:
    login("analyst")
    response = client.post("/console/policies/proposals", data={"key": KEY, "version": VERSION})
    assert response.status_code == 403
    assert "csrf_failed" in response.text
    assert _changes(seeded) == []


@pytest.mark.parametrize(
    ("extra", "status", "says"),
    [
        ({"effective_from": "tomorrow"}, 422, "effective_from"),
        ({"effective_from": "2020-01-01T00:00"}, 422, "生效时间早于当前时间"),
        ({"version": "0.0.0"}, 404, "0.0.0"),
        ({"version": ""}, 422, "version"),
    ],
)
def test_bad_proposals_are_clear_messages_and_write_nothing(
    client: TestClient,
    seeded: Runtime,
    login: LoginFn,
    extra: dict[str, str],
    status: int,
    says: str,
) -> None:
    response = _propose(client, login("analyst"), **extra)
    assert response.status_code == status
    assert says in response.text
    assert _changes(seeded) == []


def _bumped(version: str) -> tuple[str, str]:
    """The packaged graph with one rule added (one that never fires, so every case still
    passes), and its cases under `version`."""
    graph = json.loads(FILE.document.content)
    table = next(n for n in graph["nodes"] if n.get("type") == "decisionTableNode")
    rules = table["content"]["rules"]
    age = next(r for r in rules if "applicant_age > 60" in json.dumps(r))
    rules.append({**age, "_id": "console-test-rule", "condition": "applicant_age > 200"})
    cases = FILE.cases_text or ""
    return json.dumps(graph), cases.replace(f'version = "{VERSION}"', f'version = "{version}"', 1)


def test_register_a_version_then_diff_it_rule_by_rule(
    client: TestClient, seeded: Runtime, login: LoginFn
) -> None:
    token = login("analyst")
    content, cases = _bumped("2099.1.1")
    response = client.post(
        "/console/policies/versions",
        data={
            "csrf_token": token,
            "key": KEY,
            "version": "2099.1.1",
            "content": content,
            "cases": cases,
            "description": "test",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    page = client.get(PAGE, params={"a": VERSION, "b": "2099.1.1"})
    assert "2099.1.1" in page.text
    assert page.text.count('class="badge added"') == 1
    assert "applicant_age &gt; 200" in page.text
    same = client.get(PAGE, params={"a": VERSION, "b": VERSION})
    assert 'id="no-changes"' in same.text
    assert _actions(seeded, "policy.version_registered") == [
        ("policy.version_registered", "user:analyst")
    ]


@pytest.mark.parametrize(
    ("content", "says"),
    [("{not json", "不是有效的 JSON"), ('{"nodes": "x"}', "content")],
)
def test_a_broken_version_is_refused_with_its_reason(
    client: TestClient, seeded: Runtime, login: LoginFn, content: str, says: str
) -> None:
    token = login("analyst")
    response = client.post(
        "/console/policies/versions",
        data={
            "csrf_token": token,
            "key": KEY,
            "version": "2099.1.2",
            "content": content,
            "cases": "x = 1",
        },
    )
    assert response.status_code == 422
    assert says in response.text
    assert 'id="errors"' in response.text
    assert _actions(seeded, "policy.version_registered") == []


def test_an_unknown_policy_is_a_404_page(client: TestClient, login: LoginFn) -> None:
    login("analyst")
    response = client.get("/console/policies/view/origination/nope")
    assert response.status_code == 404
    assert page_token  # imported helper stays in use
