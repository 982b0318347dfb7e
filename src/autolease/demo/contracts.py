"""What follows the demo's approvals: each SP accepts the best offer, which books a contract,
and the lessor's operations record its payout, all over HTTP like the submissions; then the
portfolio report is written from the demo book's servicing history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from autolease.seeding import load_yaml

PAYOUT_REFERENCE = "DEMO-PAYOUT"


@dataclass(frozen=True)
class Approval:
    sp_code: str
    application_id: str
    decision_id: str


@dataclass(frozen=True)
class Booked:
    contracts: int
    paid_out: int
    refused: int


def approvals_of(responses: Sequence[tuple[str, dict[str, Any]]]) -> list[Approval]:
    """The approved applications with at least one offer, from (SP, response body) pairs."""
    out = []
    for sp, body in responses:
        decision = body.get("decision") or {}
        if decision.get("outcome") == "approve" and decision.get("offers"):
            out.append(Approval(sp, body["id"], decision["id"]))
    return out


def _admin_headers(client: httpx.Client) -> dict[str, str]:
    admin = next(u for u in load_yaml("demo_users.yaml") if u["role"] == "admin")
    response = client.post(
        "/v1/auth/token", json={"username": admin["username"], "password": admin["password"]}
    )
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def book_contracts(
    base_url: str, keys: dict[str, str], approvals: Sequence[Approval], *, today: date
) -> Booked:
    """Accept offer 1 of every approval as its SP, then record each contract's payout."""
    contracts = paid = refused = 0
    with httpx.Client(base_url=base_url, timeout=30) as client:
        admin = _admin_headers(client) if approvals else {}
        for item in approvals:
            accepted = client.post(
                f"/v1/applications/{item.application_id}/contract",
                json={"decision_id": item.decision_id, "offer_rank": 1},
                headers={"Authorization": f"Bearer {keys[item.sp_code]}"},
            )
            if accepted.status_code not in (200, 201):
                refused += 1
                continue
            contracts += 1
            contract = accepted.json()
            event = {
                "kind": "payout",
                "event_id": f"payout-{contract['id']}",
                "occurred_on": today.isoformat(),
                "amount": contract["financed_amount"],
                "reference": PAYOUT_REFERENCE,
            }
            recorded = client.post(
                f"/v1/contracts/{contract['id']}/events", json={"event": event}, headers=admin
            )
            paid += int(recorded.status_code in (200, 201))
    return Booked(contracts, paid, refused)


def write_portfolio_report(book_dir: Path, out: Path) -> int:
    """The portfolio report of the demo book's contracts and payments; returns its alerts."""
    from autolease.config import get_settings
    from autolease.portfolio import html
    from autolease.portfolio.book import panel_from_book, read_book
    from autolease.portfolio.report import build_report

    report = build_report(panel_from_book(read_book(book_dir)), get_settings().portfolio)
    out.write_text(html.render(report), encoding="utf-8")
    return len(report["alerts"])
