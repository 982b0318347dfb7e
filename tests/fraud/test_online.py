"""The prefetchers over the store give the offline features (SQLite here; CI reruns on PG)."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from autolease.audit.service import Actor
from autolease.fraud.book import BookLinks
from autolease.fraud.neighbourhood import GRAPH_FEATURES, graph_frame
from autolease.fraud.service.labels import record_label
from autolease.fraud.service.prefetch import GraphPrefetcher, VelocityPrefetcher
from autolease.fraud.service.seeding import app_id, seed_links
from autolease.fraud.velocity import feature_names, velocity_frame
from autolease.origination.models import Application, ApplicationLink
from autolease.origination.pipeline import ApplicationFacts, LinkKey, PersonFacts, PrefetchRequest
from autolease.runtime import Runtime

FACTS = ApplicationFacts(
    "individual", PersonFacts("-", None, "13800000000"), None, "-", "上海", None, "-", None, "-",
    date(2020, 1, 1), 0, Decimal(1), None, None, "dealer", "any", Decimal(1), 12, Decimal(0),
    None, "sp", "B",
)  # fmt: skip
COMPARED = [*feature_names(), *(g for g in GRAPH_FEATURES if "known_bad" not in g)]


@pytest.fixture
def seeded(runtime: Runtime, book_links: BookLinks) -> Runtime:
    with runtime.engine.begin() as conn:
        seed_links(conn, book_links, runtime.cipher)
    return runtime


def request_for(session: Session, book_id: int) -> PrefetchRequest:
    aid = app_id(book_id)
    row = session.get(Application, aid)
    assert row is not None
    query = select(ApplicationLink.kind, ApplicationLink.key_hash).where(
        ApplicationLink.application_id == aid
    )
    links = tuple(LinkKey(k, h) for k, h in session.execute(query))
    return PrefetchRequest(FACTS, links, row.submitted_at, row.sp_id)


def _same(online: Any, offline: float) -> bool:
    if online is None:
        return math.isnan(offline)
    return not math.isnan(offline) and abs(float(online) - offline) < 1e-3


class TestPrefetchersMatchOffline:
    def test_velocity_and_graph_features(self, seeded: Runtime, book_links: BookLinks) -> None:
        rows = book_links.rows
        offline = {**velocity_frame(rows), **graph_frame(rows)}
        linked = [i for i in range(rows.n_apps) if offline["graph_hop1_apps"][i] > 0]
        sample = sorted(random.Random(5).sample(range(rows.n_apps), 60) + linked[:90])
        mismatches = []
        with seeded.sessions() as session:
            for i in sample:
                request = request_for(session, rows.app_ids[i])
                online = {**VelocityPrefetcher().fetch(session, request),
                          **GraphPrefetcher().fetch(session, request)}  # fmt: skip
                mismatches += [(i, n) for n in COMPARED if not _same(online[n], offline[n][i])]
        assert mismatches == []
        assert len(linked) > 50


class TestKnownBad:
    def test_a_label_before_the_application_counts_a_later_one_does_not(
        self, seeded: Runtime, book_links: BookLinks
    ) -> None:
        rows = book_links.rows
        graph = graph_frame(rows)
        target = next(i for i in range(rows.n_apps) if graph["graph_hop1_apps"][i] >= 2)
        with seeded.sessions() as session:
            request = request_for(session, rows.app_ids[target])
            before = GraphPrefetcher().fetch(session, request)
            assert before["graph_known_bad"] == 0
            neighbour = _a_neighbour(session, request)
            actor = Actor(seeded.audit_key, "reviewer:t", request.as_of - timedelta(days=1))
            record_label(session, application_id=neighbour, label="fraud", pattern="gang_ring",
                         source="reviewer", note=None, actor=actor)  # fmt: skip
            late = Actor(seeded.audit_key, "reviewer:t", request.as_of + timedelta(days=1))
            other = _other_neighbour(session, request, neighbour)
            record_label(session, application_id=other, label="fraud", pattern=None,
                         source="reviewer", note=None, actor=late)  # fmt: skip
            after = GraphPrefetcher().fetch(session, request)
            session.rollback()
        assert after["graph_known_bad"] == 1
        assert after["graph_known_bad_hop1"] == 1

    def test_a_later_clearing_label_wins(self, seeded: Runtime, book_links: BookLinks) -> None:
        rows = book_links.rows
        graph = graph_frame(rows)
        target = next(i for i in range(rows.n_apps) if graph["graph_hop1_apps"][i] >= 1)
        with seeded.sessions() as session:
            request = request_for(session, rows.app_ids[target])
            neighbour = _a_neighbour(session, request)
            for days, label in ((3, "fraud"), (2, "not_fraud")):
                actor = Actor(seeded.audit_key, "r", request.as_of - timedelta(days=days))
                record_label(session, application_id=neighbour, label=label, pattern=None,
                             source="reviewer", note=None, actor=actor)  # fmt: skip
            found = GraphPrefetcher().fetch(session, request)
            session.rollback()
        assert found["graph_known_bad"] == 0


def _hop1(session: Session, request: PrefetchRequest) -> list[str]:
    from autolease.fraud.neighbourhood import AppKey, explore
    from autolease.fraud.repository import SqlLinkSource

    seeds = [AppKey(k.kind, k.key_hash) for k in request.links]
    nb = explore(SqlLinkSource(session), seeds, self_id=None, as_of=request.as_of.timestamp())
    return sorted(str(a) for a in nb.hop1)


def _a_neighbour(session: Session, request: PrefetchRequest) -> str:
    return _hop1(session, request)[0]


def _other_neighbour(session: Session, request: PrefetchRequest, first: str) -> str:
    from autolease.fraud.neighbourhood import AppKey, explore
    from autolease.fraud.repository import SqlLinkSource

    seeds = [AppKey(k.kind, k.key_hash) for k in request.links]
    nb = explore(SqlLinkSource(session), seeds, self_id=None, as_of=request.as_of.timestamp())
    return sorted(str(a) for a in nb.members if a != first)[0]


class TestRingsOverTheStore:
    def test_same_rings_as_over_the_book(self, seeded: Runtime, book_links: BookLinks) -> None:
        from autolease.fraud.rings import detect_rings
        from autolease.fraud.service.offline import rings_over_store

        by_book = detect_rings(book_links.rows)
        with seeded.sessions() as session:
            by_store, rows = rings_over_store(session)
        book_sets = {frozenset(app_id(book_links.rows.app_ids[a]) for a in r.members)
                     for r in by_book.rings if r.flagged}  # fmt: skip
        store_sets = {frozenset(rows.app_ids[a] for a in r.members)
                      for r in by_store.rings if r.flagged}  # fmt: skip
        assert store_sets == book_sets
        assert len(store_sets) >= 5
