"""Payloads validate against ApplicationCreate, except rows planned with a bad identifier."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from autolease.origination.schemas import ApplicationCreate
from autolease.synth.payloads import build_payloads, money


def test_money_renders_two_decimals() -> None:
    assert money(1_234_567) == "12345.67"
    assert money(5) == "0.05"
    assert money(-150) == "-1.50"


def test_payloads_validate(small_book: dict[str, Any]) -> None:
    truth = {r["application_id"]: r for r in small_book["truth"].to_pylist()}
    payloads = build_payloads(small_book, seed=11)
    assert len(payloads) == 2_000
    kinds = set()
    for payload in payloads:
        bad = truth[payload.application_id]["bad_identifier"]
        if bad is None:
            model = ApplicationCreate.model_validate(payload.body)
            kinds.add(model.applicant.type)
        else:
            with pytest.raises(ValidationError, match="checksum"):
                ApplicationCreate.model_validate(payload.body)
    assert kinds == {"individual", "corporate"}


def test_payload_slice_and_keys(small_book: dict[str, Any]) -> None:
    payloads = build_payloads(small_book, offset=10, limit=5, seed=3)
    assert [p.application_id for p in payloads] == [11, 12, 13, 14, 15]
    assert payloads[0].idempotency_key == "synth-3-11"
    assert payloads[0].sp_code.startswith("SP-")
    body = payloads[0].body
    assert body["financing"]["amount"].count(".") == 1
    assert len(body["financing"]["amount"].split(".")[1]) == 2
