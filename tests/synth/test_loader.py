"""Loader: posts bodies with the SP's API key and an idempotency key (mock transport)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from autolease.synth.loader import load_applications
from autolease.synth.payloads import build_payloads


def _client(seen: list[httpx.Request]) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = json.loads(request.content)
        return httpx.Response(201, json={"id": "x", "vin": body["vehicle"]["vin"]})

    return httpx.Client(transport=httpx.MockTransport(handler), base_url="http://test")


def test_loader_uses_per_sp_keys(small_book: dict[str, Any]) -> None:
    payloads = build_payloads(small_book, limit=20)
    keys = {p.sp_code: f"key-{p.sp_code}" for p in payloads}
    seen: list[httpx.Request] = []
    with _client(seen) as client:
        results = load_applications(client, payloads, keys)
    assert [r.status_code for r in results] == [201] * 20
    for request, payload in zip(seen, payloads, strict=True):
        assert request.url.path == "/v1/applications"
        assert request.headers["Authorization"] == f"Bearer key-{payload.sp_code}"
        assert request.headers["Idempotency-Key"] == payload.idempotency_key
    assert results[0].body["vin"] == payloads[0].body["vehicle"]["vin"]


def test_loader_missing_key(small_book: dict[str, Any]) -> None:
    payloads = build_payloads(small_book, limit=3)
    seen: list[httpx.Request] = []
    with _client(seen) as client:
        with pytest.raises(KeyError):
            load_applications(client, payloads, {})
        assert load_applications(client, payloads, {}, skip_unknown_sp=True) == []
        assert len(load_applications(client, payloads, "one-key")) == 3
