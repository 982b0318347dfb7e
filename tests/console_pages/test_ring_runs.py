"""The rings pages read stored ring runs: starting one (analysts, with the token), the pages
with no run, with a run while detection is broken, one run at a time, and runs cut off with
their process (rings and backtests) shown as interrupted."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import distinct, func, select

from autolease.backtest import runs as backtest_runs
from autolease.backtest.records import BacktestRun
from autolease.fraud.models import FraudLabel, RingRun, StoredRing
from autolease.fraud.service import ringruns
from autolease.kit.clock import FixedClock
from autolease.origination.models import ApplicationLink
from autolease.runtime import Runtime
from tests.console_pages.conftest import LoginFn, page_token


def _runs(runtime: Runtime) -> list[RingRun]:
    with runtime.sessions() as session:
        return list(session.scalars(select(RingRun).order_by(RingRun.id)))


def _queued(runtime: Runtime, *, status: str = "queued") -> int:
    with runtime.sessions.begin() as session:
        row = RingRun(status=status, parameters={}, started_by="user:analyst",
                      created_at=runtime.clock.now())  # fmt: skip
        session.add(row)
        session.flush()
        return row.id


def _no_detection(monkeypatch: pytest.MonkeyPatch) -> None:
    """Detection, and reading every link, fail from here on."""
    from autolease.fraud import repository, rings
    from autolease.fraud.service import offline

    def refused(*args: object, **kwargs: object) -> Any:
        raise AssertionError("a page ran ring detection")

    for module, name in ((rings, "detect_rings"), (offline, "detect_rings"),
                         (offline, "rings_over_store"), (repository, "link_rows")):  # fmt: skip
        monkeypatch.setattr(module, name, refused)


def test_without_a_run_the_page_says_so_and_offers_the_button(
    client: TestClient, seeded: Runtime, login: LoginFn, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_detection(monkeypatch)
    login("analyst")
    page = client.get("/console/fraud-rings")
    assert page.status_code == 200
    assert 'id="no-run"' in page.text
    assert 'id="start-run"' in page.text
    assert 'id="rings"' not in page.text
    assert client.get("/console/fraud-rings/Rapp_000000000001").status_code == 404
    login("admin")  # may look, not start
    page = client.get("/console/fraud-rings")
    assert page.status_code == 200
    assert 'id="start-run"' not in page.text


def test_the_button_runs_detection_in_the_background_and_the_page_shows_the_run(
    client: TestClient,
    seeded: Runtime,
    ring_links: Any,
    login: LoginFn,
) -> None:
    from autolease.fraud.service.seeding import seed_links

    with seeded.engine.begin() as conn:
        seed_links(conn, ring_links, seeded.cipher)
    login("analyst")
    token = page_token(client, "/console/fraud-rings")
    started = client.post("/console/fraud-rings/runs", data={"csrf_token": token},
                          follow_redirects=False)  # fmt: skip
    assert started.status_code == 303
    [run] = _runs(seeded)  # the test client ran the background task before answering
    with seeded.sessions() as session:
        linked = session.scalar(select(func.count(distinct(ApplicationLink.application_id))))
    assert (run.status, run.started_by, run.applications) == ("done", "user:analyst", linked)
    page = client.get("/console/fraud-rings")
    summary = re.search(r'id="run-summary">(.*?)</p>', page.text)
    assert summary is not None
    numbers = re.findall(r"\d+", summary.group(1))
    assert str(run.id) in numbers
    assert str(linked) in numbers
    assert str(run.rings) in numbers
    assert page.text.count(f'?run={run.id}"') == min(run.rings or 0, ringruns.LISTED)


def test_pages_export_and_confirm_read_the_stored_run_not_detection(
    client: TestClient,
    with_rings: Runtime,
    login: LoginFn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _no_detection(monkeypatch)
    token = login("analyst")
    [run] = _runs(with_rings)
    with with_rings.sessions() as session:
        top = session.scalars(
            select(StoredRing).where(StoredRing.run_id == run.id).order_by(StoredRing.rank)
        ).first()
    assert top is not None
    listing = client.get("/console/fraud-rings")
    assert listing.status_code == 200
    assert f'href="/console/fraud-rings/{top.ring_id}?run={run.id}"' in listing.text
    page = client.get(f"/console/fraud-rings/{top.ring_id}?run={run.id}")
    assert page.status_code == 200
    assert f'name="run" value="{run.id}"' in page.text
    exported = client.get(f"/console/fraud-rings/{top.ring_id}/export.json").json()
    assert sorted(m["application_id"] for m in exported["members"]) == sorted(top.members)
    assert not any(m["known_bad"] for m in exported["members"])
    data = {"csrf_token": token, "pattern": "gang_ring", "source": "police", "note": "case 7",
            "run": str(run.id)}  # fmt: skip
    confirmed = client.post(
        f"/console/fraud-rings/{top.ring_id}/confirm", data=data, follow_redirects=False
    )
    assert confirmed.status_code == 303
    with with_rings.sessions() as session:
        labelled = sorted(session.scalars(select(FraudLabel.application_id)))
    assert labelled == sorted(top.members)
    again = client.get(f"/console/fraud-rings/{top.ring_id}/export.json").json()
    assert all(m["known_bad"] for m in again["members"])  # today's labels, not the run's
    assert again["known_bad"] == top.size
    rows = client.get(f"/console/fraud-rings/{top.ring_id}/export.csv").text.splitlines()
    assert len(rows) == 1 + top.size
    assert client.get(f"/console/fraud-rings/{top.ring_id}?run={run.id + 1}").status_code == 404
    assert client.get(f"/console/fraud-rings/{top.ring_id}?run=first").status_code == 422
    data["run"] = "first"
    refused = client.post(f"/console/fraud-rings/{top.ring_id}/confirm", data=data)
    assert refused.status_code == 422


def test_a_reviewer_neither_sees_the_rings_nor_starts_a_run(
    client: TestClient,
    with_rings: Runtime,
    login: LoginFn,
) -> None:
    token = login("reviewer")
    assert client.get("/console/fraud-rings").status_code == 403
    ring_id = _top_ring(with_rings)
    assert client.get(f"/console/fraud-rings/{ring_id}").status_code == 403
    assert client.get(f"/console/fraud-rings/{ring_id}/export.csv").status_code == 403
    assert client.get("/console/fraud-rings/runs/progress").status_code == 403
    refused = client.post("/console/fraud-rings/runs", data={"csrf_token": token})
    assert refused.status_code == 403
    assert len(_runs(with_rings)) == 1


def test_an_sp_user_neither_sees_the_rings_nor_starts_a_run(
    client: TestClient, with_rings: Runtime, sp_user_session: None
) -> None:
    assert client.get("/console/fraud-rings").status_code == 403
    ring_id = _top_ring(with_rings)
    assert client.get(f"/console/fraud-rings/{ring_id}/export.json").status_code == 403
    refused = client.post("/console/fraud-rings/runs", data={"csrf_token": "x"})
    assert refused.status_code == 403
    assert len(_runs(with_rings)) == 1


def _top_ring(runtime: Runtime) -> str:
    with runtime.sessions() as session:
        return session.scalars(select(StoredRing.ring_id).order_by(StoredRing.rank)).first() or ""


def test_starting_a_run_needs_the_token_and_an_analyst(
    client: TestClient, seeded: Runtime, login: LoginFn
) -> None:
    token = login("admin")
    assert client.post("/console/fraud-rings/runs", data={"csrf_token": token}).status_code == 403
    login("analyst")
    refused = client.post("/console/fraud-rings/runs", data={})
    assert refused.status_code == 403
    assert "csrf_failed" in refused.text
    refused = client.post("/console/fraud-rings/runs", data={"csrf_token": "forged"})
    assert refused.status_code == 403
    assert _runs(seeded) == []


def test_a_second_run_is_refused_while_one_is_unfinished(
    client: TestClient, seeded: Runtime, login: LoginFn
) -> None:
    first = _queued(seeded)
    token = login("analyst")
    refused = client.post("/console/fraud-rings/runs", data={"csrf_token": token})
    assert refused.status_code == 409
    assert 'id="errors"' in refused.text
    assert f"ring run {first} is queued" in refused.text
    assert [r.id for r in _runs(seeded)] == [first]


def test_a_run_left_running_by_a_dead_process_is_shown_interrupted(
    client: TestClient, seeded: Runtime, login: LoginFn, clock: FixedClock
) -> None:
    stale = _queued(seeded, status="running")
    login("analyst")
    page = client.get("/console/fraud-rings")
    assert "interrupted" not in page.text
    assert _runs(seeded)[0].status == "running"
    clock.advance(seconds=int((ringruns.RUN_TIMEOUT + timedelta(seconds=1)).total_seconds()))
    login("analyst")  # the browser session has expired meanwhile
    page = client.get("/console/fraud-rings")
    assert "interrupted" in page.text
    [run] = _runs(seeded)
    assert (run.id, run.status, run.finished_at) == (stale, "failed", clock.now())


def test_a_backtest_left_running_by_a_dead_process_is_shown_interrupted(
    client: TestClient, seeded: Runtime, login: LoginFn, clock: FixedClock
) -> None:
    with seeded.sessions.begin() as session:
        row = BacktestRun(book="small", policy="origination/approve", against="origination/approve",
                          status="running", total=10, decided=4, started_by="user:analyst",
                          created_at=clock.now())  # fmt: skip
        session.add(row)
        session.flush()
        run_id = row.id
    login("analyst")
    progress = client.get(f"/console/backtests/{run_id}/progress")
    assert "HX-Refresh" not in progress.headers
    clock.advance(seconds=int((backtest_runs.RUN_TIMEOUT + timedelta(seconds=1)).total_seconds()))
    login("analyst")  # the browser session has expired meanwhile
    progress = client.get(f"/console/backtests/{run_id}/progress")
    assert progress.headers["HX-Refresh"] == "true"
    page = client.get(f"/console/backtests/{run_id}")
    assert 'id="failed"' in page.text
    assert "interrupted" in page.text
    with seeded.sessions() as session:
        assert session.get(BacktestRun, run_id).status == "failed"  # type: ignore[union-attr]


def test_an_unfinished_run_is_polled_until_it_ends(
    client: TestClient, seeded: Runtime, login: LoginFn
) -> None:
    run_id = _queued(seeded, status="running")
    login("analyst")
    page = client.get("/console/fraud-rings")
    assert 'hx-get="/console/fraud-rings/runs/progress"' in page.text
    polled = client.get("/console/fraud-rings/runs/progress")
    assert "HX-Refresh" not in polled.headers
    assert str(run_id) in polled.text
    with seeded.sessions.begin() as session:
        row = session.get(RingRun, run_id)
        assert row is not None
        row.status = "failed"
    polled = client.get("/console/fraud-rings/runs/progress")
    assert polled.headers["HX-Refresh"] == "true"
    assert "hx-get" not in client.get("/console/fraud-rings").text
