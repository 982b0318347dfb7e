"""In-process: synthetic applications through the real API (FastAPI TestClient)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from autolease.runtime import Runtime
from autolease.synth.loader import load_applications
from autolease.synth.payloads import build_payloads
from tests.factories import make_sp


def test_synthetic_applications_through_the_api(
    client: TestClient, runtime: Runtime, small_book: dict[str, Any]
) -> None:
    truth = {r["application_id"]: r for r in small_book["truth"].to_pylist()}
    bad_rows = [a for a, t in truth.items() if t["bad_identifier"] is not None]
    payloads = build_payloads(small_book, limit=40)
    payloads += [p for p in build_payloads(small_book) if p.application_id in bad_rows[:2]]
    with runtime.sessions.begin() as session:
        keys = {
            code: make_sp(session, runtime, code).api_key for code in {p.sp_code for p in payloads}
        }
    results = load_applications(client, payloads, keys)
    for result in results:
        if truth[result.application_id]["bad_identifier"] is None:
            assert result.status_code == 201, result.body
            assert result.body["sp_code"] == result.sp_code
        else:
            assert result.status_code == 422, result.body
    again = load_applications(client, payloads[:3], keys)
    assert [r.body["id"] for r in again] == [r.body["id"] for r in results[:3]]
