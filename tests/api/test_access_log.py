"""The access log: one line a request, a request id on every response, nothing secret logged."""

from __future__ import annotations

import logging

import httpx
import pytest
from fastapi.testclient import TestClient

from autolease.demo.jobs import bound_port, start_server
from autolease.runtime import Runtime


def test_every_response_carries_a_request_id_and_one_log_line(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="autolease.access"):
        response = client.get("/health?token=secret-value")
    assert response.status_code == 200
    rid = response.headers["X-Request-ID"]
    lines = [r.getMessage() for r in caplog.records if r.name == "autolease.access"]
    assert len(lines) == 1
    assert lines[0].startswith("GET /health 200 ")
    assert f"rid={rid}" in lines[0]
    assert "secret-value" not in lines[0]


def test_a_callers_token_id_is_echoed(client: TestClient) -> None:
    response = client.get("/health", headers={"X-Request-ID": "sp-42.req_7"})
    assert response.headers["X-Request-ID"] == "sp-42.req_7"


@pytest.mark.parametrize("given", ["has space", "x" * 65, "semi;colon", ""])
def test_an_odd_caller_id_is_replaced(client: TestClient, given: str) -> None:
    response = client.get("/health", headers={"X-Request-ID": given})
    assert response.status_code == 200
    assert response.headers["X-Request-ID"] != given
    assert len(response.headers["X-Request-ID"]) == 16


def test_an_error_response_is_logged_with_its_status(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="autolease.access"):
        response = client.get("/v1/applications/app_nope")
    assert response.status_code == 401
    lines = [r.getMessage() for r in caplog.records if r.name == "autolease.access"]
    assert lines[-1].startswith("GET /v1/applications/app_nope 401 ")


def test_a_served_query_string_never_reaches_the_logs(
    runtime: Runtime, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """Served as `autolease serve` serves (uvicorn at log level info): uvicorn's own access
    log would print the query string; only the path-only line is written."""
    server, thread = start_server(runtime, "127.0.0.1", 0, log_level="info")
    try:
        with caplog.at_level(logging.INFO, logger="autolease.access"):
            url = f"http://127.0.0.1:{bound_port(server)}/health?token=secret-value&id=110105"
            assert httpx.get(url, timeout=30).status_code == 200
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    captured = capsys.readouterr()
    logged = captured.out + captured.err + caplog.text
    assert "GET /health 200 " in caplog.text
    assert "secret-value" not in logged
    assert "110105" not in logged
    assert "?" not in "".join(r.getMessage() for r in caplog.records)
