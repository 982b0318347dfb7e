"""The backtest pages: start one on a book, its progress, its report with charts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from autolease.backtest.records import BacktestRun
from autolease.runtime import Runtime
from autolease.synth.config import SynthConfig
from autolease.synth.writer import write_book
from tests.console_pages.conftest import LoginFn, page_token

POLICY, AGAINST = "origination/approve", "origination/approve-conservative"


@pytest.fixture(scope="session")
def books(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("books")
    write_book(
        SynthConfig(n_applications=600, seed=5, chunk_size=1_000, row_group_size=1_000),
        root / "small",
    )
    return root


@pytest.fixture
def with_books(seeded: Runtime, books: Path, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    monkeypatch.setattr(seeded.settings.web, "books_dir", books)
    return seeded


def _runs(runtime: Runtime) -> list[BacktestRun]:
    with runtime.sessions() as session:
        return list(session.scalars(select(BacktestRun)))


def _start(client: TestClient, **form: str) -> object:
    token = page_token(client, "/console/backtests")
    data = {"csrf_token": token, "book": "small", "policy": POLICY, "against": AGAINST, **form}
    return client.post("/console/backtests", data=data, follow_redirects=False)


def test_a_backtest_runs_to_a_report_with_its_charts(
    client: TestClient, with_books: Runtime, login: LoginFn
) -> None:
    login("analyst")
    started = _start(client, limit="400")
    assert started.status_code == 303
    [run] = _runs(with_books)  # the test client ran the background task before answering
    assert (run.status, run.total, run.decided, run.started_by) == (
        "done", 400, 400, "user:analyst",
    )  # fmt: skip
    page = client.get(started.headers["location"])
    assert 'id="report"' in page.text
    options = {
        name: json.loads(body)
        for name, body in re.findall(
            r'<script type="application/json" id="(chart-[a-z-]+)">(.*?)</script>', page.text, re.S
        )
    }
    assert set(options) == {"chart-scatter", "chart-swaps", "chart-sp", "chart-sp-bad",
                            "chart-month", "chart-month-bad"}  # fmt: skip
    scatter = options["chart-scatter"]["series"]
    assert {s["name"] for s in scatter} == {
        p["policy"].rsplit("/", 1)[-1] for p in run.summary["policies"]
    }
    approval = run.summary["policies"][0]["approval_rate"]
    assert scatter[0]["data"][0][0] == pytest.approx(100 * approval, abs=0.01)
    months = options["chart-month"]["xAxis"]["data"]
    assert months == sorted(months)
    assert all(re.fullmatch(r"\d{4}-\d{2}", m) for m in months)
    by_sp = run.breakdown["sp"]
    assert sum(r["n"] for r in by_sp) <= 400
    assert by_sp
    progress = client.get(f"/console/backtests/{run.id}/progress", headers={"HX-Request": "true"})
    assert progress.headers["HX-Refresh"] == "true"
    listing = client.get("/console/backtests")
    assert f'href="/console/backtests/{run.id}"' in listing.text


def test_a_running_backtest_is_polled_without_a_refresh(
    client: TestClient, with_books: Runtime, login: LoginFn
) -> None:
    login("analyst")
    with with_books.sessions.begin() as session:
        session.add(
            BacktestRun(book="small", policy=POLICY, against=AGAINST, status="running", total=10,
                        decided=4, started_by="user:analyst", created_at=with_books.clock.now())
        )  # fmt: skip
    [run] = _runs(with_books)
    fragment = client.get(f"/console/backtests/{run.id}/progress")
    assert "HX-Refresh" not in fragment.headers
    assert 'hx-trigger="every 1s"' in fragment.text
    assert 'aria-valuenow="40"' in fragment.text
    page = client.get(f"/console/backtests/{run.id}")
    assert 'id="progress"' in page.text
    assert 'id="report"' not in page.text


@pytest.mark.parametrize(
    ("form", "says"),
    [
        ({"book": "elsewhere"}, "book"),
        ({"policy": "origination/nope"}, "origination/nope"),
        ({"against": "origination/approve@0.0.0"}, "against"),
        ({"limit": "many"}, "limit"),
        ({"limit": "0"}, "limit"),
    ],
)
def test_bad_backtest_requests_are_clear_and_start_nothing(
    client: TestClient, with_books: Runtime, login: LoginFn, form: dict[str, str], says: str
) -> None:
    login("analyst")
    response = _start(client, **form)
    assert response.status_code == 422
    assert says in response.text
    assert 'id="errors"' in response.text
    assert _runs(with_books) == []


def test_only_an_analyst_starts_one_and_only_with_the_token(
    client: TestClient, with_books: Runtime, login: LoginFn
) -> None:
    token = login("admin")
    data = {"csrf_token": token, "book": "small", "policy": POLICY, "against": AGAINST}
    assert client.post("/console/backtests", data=data).status_code == 403
    login("analyst")
    del data["csrf_token"]
    refused = client.post("/console/backtests", data=data)
    assert refused.status_code == 403
    assert "csrf_failed" in refused.text
    assert _runs(with_books) == []
    assert client.get("/console/backtests/999").status_code == 404
