"""The model registry pages and the fraud ring pages (graph, export, confirmed fraud)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from autolease.audit.models import AuditEvent
from autolease.audit.service import Actor
from autolease.fraud.models import FraudLabel
from autolease.governance.service import models as governance
from autolease.runtime import Runtime
from tests.console_pages.conftest import LoginFn

IMPORTANCE = {"ltv_on_asking_price": 30.0, "payment_to_income": 20.0, "applicant_age": 5.0}
CALIBRATION = [
    {"quintile": i, "rows": 100, "mean_pd": 0.02 * i, "bad_rate": 0.021 * i} for i in range(1, 6)
]


@pytest.fixture
def registered(seeded: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    from autolease.credit import service as credit_service
    from autolease.ml.card import card_facts, top_importance
    from tests.conftest import START
    from tests.governance.conftest import origination_like

    monkeypatch.setattr(seeded.settings, "artifacts_dir", tmp_path)
    card = card_facts(
        purpose="test",
        population="generated",
        held_out=[{"sample": "holdout", "metrics": {"auc": 0.71}}],
        importance=top_importance(IMPORTANCE, "gain"),
        calibration={"sample": "holdout", "rows": CALIBRATION},
    )
    ref = credit_service.register(
        tmp_path, origination_like(seed=1), name="credit_gbm", version=None, created_at=START,
        training_window={"from": "2025-01-01", "to": "2025-12-31"}, params={}, card=card,
    ).ref  # fmt: skip
    with seeded.sessions.begin() as session:
        actor = Actor(seeded.audit_key, "user:analyst", seeded.clock.now())
        governance.register_candidate(session, tmp_path, ref, actor)
    return ref


def test_the_registry_lists_a_version_and_its_report_draws_charts(
    client: TestClient, login: LoginFn, registered: str
) -> None:
    login("analyst")
    listing = client.get("/console/models")
    assert f'href="/console/models/view/{registered}"' in listing.text
    page = client.get(f"/console/models/view/{registered}")
    assert page.status_code == 200
    assert "ltv_on_asking_price" in page.text
    charts = dict(
        re.findall(r'<script type="application/json" id="(chart-[a-z]+)">(.*?)</script>', page.text)
    )
    importance = json.loads(charts["chart-importance"])
    assert importance["series"][0]["type"] == "bar"
    assert importance["yAxis"]["data"] == [
        "applicant_age",
        "payment_to_income",
        "ltv_on_asking_price",
    ]
    assert importance["series"][0]["data"] == [5.0, 20.0, 30.0]
    calibration = json.loads(charts["chart-calibration"])
    assert calibration["xAxis"]["data"] == ["1", "2", "3", "4", "5"]
    assert {s["name"] for s in calibration["series"]} == {"mean_pd", "bad_rate"}
    assert "0.71" in page.text


def test_an_unknown_model_is_a_404_page(client: TestClient, login: LoginFn) -> None:
    login("analyst")
    assert client.get("/console/models/view/credit_gbm@9.9.9").status_code == 404
    assert client.get("/console/models/view/nothing").status_code == 404


def _flagged_ring(client: TestClient) -> str:
    listing = client.get("/console/fraud-rings")
    assert listing.status_code == 200
    found = re.search(r'href="/console/fraud-rings/(R[^"?]+)\?run=\d+"', listing.text)
    assert found, "no ring listed"
    return found.group(1)


def test_a_ring_is_listed_drawn_and_exported(
    client: TestClient, with_rings: Runtime, login: LoginFn
) -> None:
    login("analyst")
    ring_id = _flagged_ring(client)
    page = client.get(f"/console/fraud-rings/{ring_id}")
    graph = json.loads(
        re.search(
            r'<script type="application/json" id="ring-graph">(.*?)</script>', page.text
        ).group(1)  # type: ignore[union-attr]
    )
    apps = [n for n in graph["nodes"] if n["classes"].startswith("app")]
    values = [n for n in graph["nodes"] if n["classes"] == "value"]
    assert len(apps) >= 3
    assert values
    ids = {n["data"]["id"] for n in graph["nodes"]}
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in graph["edges"])
    linked = {e["data"]["source"] for e in graph["edges"]}
    assert {n["data"]["id"] for n in apps} == linked  # every member shares a value drawn
    exported = client.get(f"/console/fraud-rings/{ring_id}/export.json")
    assert exported.headers["content-disposition"].endswith(f'ring-{ring_id}.json"')
    body = exported.json()
    assert body["ring_id"] == ring_id
    assert len(body["members"]) == len(apps)
    rows = list(
        csv.DictReader(io.StringIO(client.get(f"/console/fraud-rings/{ring_id}/export.csv").text))
    )
    assert [r["application_id"] for r in rows] == [m["application_id"] for m in body["members"]]


def test_confirming_a_ring_labels_every_member(
    client: TestClient, with_rings: Runtime, login: LoginFn
) -> None:
    token = login("analyst")
    ring_id = _flagged_ring(client)
    members = client.get(f"/console/fraud-rings/{ring_id}/export.json").json()["members"]
    confirmed = client.post(
        f"/console/fraud-rings/{ring_id}/confirm",
        data={
            "csrf_token": token,
            "pattern": "gang_ring",
            "source": "investigation",
            "note": "police case 12",
        },
        follow_redirects=False,
    )
    assert confirmed.status_code == 303
    with with_rings.sessions() as session:
        labels = list(session.scalars(select(FraudLabel)))
        audited = list(
            session.scalars(select(AuditEvent).where(AuditEvent.action == "fraud.labelled"))
        )
    assert sorted(x.application_id for x in labels) == sorted(m["application_id"] for m in members)
    assert {(x.label, x.pattern, x.labelled_by) for x in labels} == {
        ("fraud", "gang_ring", "user:analyst")
    }
    assert len(audited) == len(members)
    page = client.get(f"/console/fraud-rings/{ring_id}")
    graph = re.search(r'id="ring-graph">(.*?)</script>', page.text)
    assert graph is not None
    nodes = json.loads(graph.group(1))["nodes"]
    assert sum(n["classes"] == "app bad" for n in nodes) == len(members)


@pytest.mark.parametrize(
    ("form", "status", "says"),
    [
        ({"pattern": "aliens"}, 422, "pattern"),
        ({"note": ""}, 422, "note"),
        ({"source": "rumour"}, 422, "source"),
    ],
)
def test_bad_confirmations_are_clear_and_label_nothing(
    client: TestClient,
    with_rings: Runtime,
    login: LoginFn,
    form: dict[str, str],
    status: int,
    says: str,
) -> None:
    token = login("analyst")
    ring_id = _flagged_ring(client)
    data = {
        "csrf_token": token,
        "pattern": "gang_ring",
        "source": "investigation",
        "note": "n",
        **form,
    }
    response = client.post(f"/console/fraud-rings/{ring_id}/confirm", data=data)
    assert response.status_code == status
    assert says in response.text
    with with_rings.sessions() as session:
        assert session.scalars(select(FraudLabel)).first() is None


def test_only_an_analyst_confirms_with_the_token_and_unknown_rings_are_404(
    client: TestClient, with_rings: Runtime, login: LoginFn
) -> None:
    token = login("admin")
    ring_id = _flagged_ring(client)
    data = {"csrf_token": token, "pattern": "gang_ring", "source": "investigation", "note": "n"}
    assert client.post(f"/console/fraud-rings/{ring_id}/confirm", data=data).status_code == 403
    login("analyst")
    del data["csrf_token"]
    assert client.post(f"/console/fraud-rings/{ring_id}/confirm", data=data).status_code == 403
    with with_rings.sessions() as session:
        assert session.scalars(select(FraudLabel)).first() is None
    assert client.get("/console/fraud-rings/Rnope").status_code == 404
    assert client.get("/console/fraud-rings/Rnope/export.csv").status_code == 404
