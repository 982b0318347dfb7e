"""The reviewer's workbench with a big store: the queue page and the case view.

Usage:
    python -m benchmarks.bench_review_queue --applications 1000000 --referred 100000
    python -m benchmarks.bench_review_queue --store /tmp/review.db ...   # seed once, reuse

A synthetic book (`autolease synth`) is seeded into the store the way `bench_fraud_online`
does it (`fraud.service.seeding`: minimal application rows and the blind-indexed link rows
the API writes); then `--referred` applications become referred (the book's newest half, and
bare applications without links for the rest): status, a decision with refer reasons, a review
case and its reason rows, referred within the last three days.
Timed in-process through the app (TestClient: routing, the session cookie or token, the
handler, the template; no network), after a warm-up:

* the queue page ``/console/review/queue`` (HTML) and ``/v1/review/queue`` (JSON), over a mix
  of filters (none, SP, reason code, stage, amount band, age band, a later page by cursor);
* the case view: ``/v1/review/cases/{id}`` (JSON with the two-hop graph and ring detection)
  and the page ``/console/review/cases/{id}``, for referred applications with neighbours.

Without --db-url a SQLite file is used (``--store`` keeps it for the next run). For
PostgreSQL give a database of your own: its schema is dropped and recreated.
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text, update

from autolease import store
from autolease.auth import service as auth_service
from autolease.auth.principal import Role
from autolease.fraud.book import book_link_rows
from autolease.fraud.service.offline import read_book
from autolease.fraud.service.seeding import app_id, seed_links
from autolease.metadata import metadata
from autolease.origination.models import Application, ApplicationLink, Decision
from autolease.review.models import ReviewCase, ReviewCaseReason
from autolease.runtime import Runtime, build_runtime
from benchmarks.bench_fraud_online import settings_for
from benchmarks.common import emit, load_average, machine, peak_rss_mb, percentiles_ms

USER, PASSWORD = "bench_reviewer", "bench-reviewer-password"
MARKER = "review_bench_seeded"
REFER_REASONS = (
    ("VALUATION_UNAVAILABLE", "vehicle"),
    ("HISTORY_UNAVAILABLE", "vehicle"),
    ("FRAUD_SCORE_REFER", "policy"),
    ("PD_REFER_BAND", "policy"),
    ("VELOCITY_ID_NUMBER_30D", "fraud"),
    ("GRAPH_KNOWN_BAD_NEIGHBOUR", "fraud"),
    ("ID_CHECK_UNAVAILABLE", "identity"),
    ("SP_LIMIT_NEAR", "channel"),
)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def chunks(items: list[Any], size: int = 20_000) -> Iterator[list[Any]]:
    for lo in range(0, len(items), size):
        yield items[lo : lo + size]


def seed(runtime: Runtime, book: Path, referred: int, rng: random.Random) -> dict[str, Any]:
    """The book's links, then `referred` of its applications referred with a case each."""
    with runtime.engine.begin() as conn:
        if runtime.engine.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        else:
            metadata.drop_all(conn)
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    store.upgrade(runtime.engine)
    links = book_link_rows(read_book(book, ("applications", "applicants", "vehicles", "truth")))
    began = time.perf_counter()
    with runtime.engine.begin() as conn:
        written = seed_links(conn, links, runtime.cipher)
    seeded = time.perf_counter()
    ids = [app_id(a) for a in links.rows.app_ids]
    newest = sorted(range(len(ids)), key=lambda i: -int(links.rows.app_time[i]))
    chosen = [ids[i] for i in newest[: min(referred, len(ids) // 2)]]
    chosen += bare_applications(runtime, referred - len(chosen))
    refer(runtime, chosen, rng)
    with runtime.sessions.begin() as session:
        auth_service.create_user(
            session, username=USER, display_name="压测审核员", role=Role.REVIEWER,
            password=PASSWORD, sp_code=None, at=runtime.clock.now(),
        )  # fmt: skip
        session.execute(text(f"CREATE TABLE {MARKER} (n INTEGER)"))
    with runtime.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    return {
        "link_rows": written,
        "applications": len(ids),
        "referred": len(chosen),
        "seed_links_s": round(seeded - began, 1),
        "seed_cases_s": round(time.perf_counter() - seeded, 1),
    }


def bare_applications(runtime: Runtime, n: int) -> list[str]:
    """`n` more applications without link rows (the queue's rows need none), on the seeding's
    placeholder applicant and vehicle."""
    if n <= 0:
        return []
    now = runtime.clock.now()
    with runtime.engine.begin() as conn:
        applicant = conn.execute(text("SELECT min(id) FROM applicant")).scalar_one()
        vehicle = conn.execute(text("SELECT min(id) FROM vehicle")).scalar_one()
        sp_ids = [r[0] for r in conn.execute(text("SELECT id FROM service_provider"))]
        ids = [f"app_bare{i:012d}" for i in range(n)]
        rows = [
            {"id": aid, "sp_id": sp_ids[i % len(sp_ids)], "applicant_id": applicant,
             "vehicle_id": vehicle, "lead_source": "sp", "product_type": "any",
             "amount_fen": 1, "term_months": 12, "down_payment_fen": 0, "device": {},
             "status": "submitted", "submitted_at": now, "updated_at": now}
            for i, aid in enumerate(ids)
        ]  # fmt: skip
        for part in chunks(rows):
            conn.execute(insert(Application), part)
    return ids


def refer(runtime: Runtime, chosen: list[str], rng: random.Random) -> None:
    now = runtime.clock.now()
    with runtime.engine.begin() as conn:
        sps = dict(conn.execute(select(Application.id, Application.sp_id)).all())
        for part in chunks(chosen):
            conn.execute(
                update(Application).where(Application.id.in_(part)).values(status="referred")
            )
        decisions: list[dict[str, Any]] = []
        cases: list[dict[str, Any]] = []
        for n, aid in enumerate(chosen):
            pairs = rng.sample(REFER_REASONS, rng.randint(1, 3))
            reasons = [{"code": c, "stage": s, "severity": "refer", "message_en": c,
                        "message_zh": c} for c, s in pairs]  # fmt: skip
            at = now - timedelta(minutes=rng.uniform(0, 72 * 60))
            dec = f"dec_bench{n:012d}"
            decisions.append({
                "id": dec, "application_id": aid, "outcome": "refer", "reasons": reasons,
                "offers": [], "policy_key": "origination/approve", "policy_version": "bench",
                "policy_hash": "0" * 64, "model_versions": {}, "features": {"ltv": 0.8},
                "trace": [], "decided_at": at,
            })  # fmt: skip
            cases.append({
                "application_id": aid, "decision_id": dec, "sp_id": sps[aid],
                "amount_fen": rng.randint(3_000_000, 60_000_000), "state": "open", "waiting": True,
                "referred_at": at, "primary_reason": pairs[0][0], "primary_stage": pairs[0][1],
            })  # fmt: skip
        for part in chunks(decisions):
            conn.execute(insert(Decision), part)
        for part in chunks(cases):
            conn.execute(insert(ReviewCase), part)
        case_ids = dict(conn.execute(select(ReviewCase.decision_id, ReviewCase.id)).all())
        rows = [
            {"case_id": case_ids[d["id"]], "code": r["code"], "stage": r["stage"]}
            for d in decisions
            for r in d["reasons"]
        ]
        for part in chunks(rows):
            conn.execute(insert(ReviewCaseReason), part)


def queue_params(rng: random.Random, sps: list[str], cursor: str | None) -> dict[str, str]:
    choice = rng.randrange(8)
    if choice == 1:
        return {"sp": rng.choice(sps)}
    if choice == 2:
        return {"reason": rng.choice(REFER_REASONS)[0]}
    if choice == 3:
        return {"stage": rng.choice(REFER_REASONS)[1]}
    if choice == 4:
        return {"amount_band": rng.choice(["lt_100k", "100k_200k", "200k_500k", "ge_500k"])}
    if choice == 5:
        return {"age": rng.choice(["fresh", "due", "overdue"])}
    if choice == 6 and cursor:
        return {"cursor": cursor}
    if choice == 7:
        return {"sp": rng.choice(sps), "reason": rng.choice(REFER_REASONS)[0]}
    return {}


def time_queue(client: Any, token: dict[str, str], samples: int, warmup: int) -> dict[str, Any]:
    rng = random.Random(5)
    sps = [r["sp_code"] for r in client.get("/v1/review/queue", headers=token).json()["items"]]
    first = client.get("/v1/review/queue", params={"limit": 50}, headers=token).json()
    cursor = first["next_cursor"]
    out: dict[str, list[float]] = {"page": [], "api": []}
    for n in range(samples + warmup):
        params = queue_params(rng, sps, cursor)
        t0 = time.perf_counter()
        page = client.get("/console/review/queue", params=params)
        t1 = time.perf_counter()
        api = client.get("/v1/review/queue", params=params, headers=token)
        t2 = time.perf_counter()
        assert page.status_code == 200, (params, page.text[:200])
        assert api.status_code == 200, (params, api.text[:200])
        if n >= warmup:
            out["page"].append(t1 - t0)
            out["api"].append(t2 - t1)
    return {k: percentiles_ms(v) for k, v in out.items()}


def time_cases(
    runtime: Runtime, client: Any, token: dict[str, str], samples: int, warmup: int
) -> dict[str, Any]:
    with runtime.sessions() as session:
        linked = (
            session.execute(
                select(ReviewCase.application_id)
                .where(ReviewCase.state == "open")
                .order_by(ReviewCase.id)
                .limit(20 * (samples + warmup))
            )
            .scalars()
            .all()
        )
        counts: dict[str, int] = dict(
            session.execute(
                select(ApplicationLink.application_id, text("count(*)"))
                .where(ApplicationLink.application_id.in_(linked))
                .group_by(ApplicationLink.application_id)
            ).all()
        )
    ids = [a for a in linked if counts.get(a, 0)][: samples + warmup]
    out: dict[str, list[float]] = {"api": [], "page": [], "api_with_neighbours": []}
    nodes: list[int] = []
    for n, aid in enumerate(ids):
        t0 = time.perf_counter()
        data = client.get(f"/v1/review/cases/{aid}", headers=token)
        t1 = time.perf_counter()
        page = client.get(f"/console/review/cases/{aid}")
        t2 = time.perf_counter()
        assert data.status_code == 200, data.text[:300]
        assert page.status_code == 200, page.text[:300]
        if n >= warmup:
            out["api"].append(t1 - t0)
            out["page"].append(t2 - t1)
            apps = [x for x in data.json()["graph"]["nodes"] if x["data"]["type"] == "application"]
            nodes.append(len(apps))
            if len(apps) > 1:
                out["api_with_neighbours"].append(t1 - t0)
    result: dict[str, Any] = {k: percentiles_ms(v) for k, v in out.items() if v}
    with_neighbours = [c for c in nodes if c > 1]
    result["graph"] = {
        "cases": len(nodes),
        "with_neighbours": len(with_neighbours),
        "max_apps_drawn": max(nodes) if nodes else 0,
        "mean_apps_drawn": round(sum(nodes) / len(nodes), 2) if nodes else 0,
    }
    return result


def log_in(client: Any) -> dict[str, str]:
    form = client.get("/console/login")
    token = CSRF.search(form.text)
    assert token is not None
    done = client.post("/console/login", data={"username": USER, "password": PASSWORD,
                       "csrf_token": token.group(1)}, follow_redirects=False)  # fmt: skip
    assert done.status_code == 303, done.text[:200]
    bearer = client.post("/v1/auth/token", json={"username": USER, "password": PASSWORD})
    return {"Authorization": f"Bearer {bearer.json()['access_token']}"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=1_000_000, help="book size")
    parser.add_argument("--referred", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--db-url", default=None)
    parser.add_argument("--store", default=None, help="SQLite file to seed once and reuse")
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    args = parser.parse_args()
    from fastapi.testclient import TestClient

    from autolease.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.store) if args.store else Path(tmp) / "review.db"
        url = args.db_url or f"sqlite:///{path}"
        runtime = build_runtime(settings_for(url), pipeline=False)
        with runtime.engine.connect() as conn:
            ready = runtime.engine.dialect.has_table(conn, MARKER)
        if not ready:
            from autolease.synth.config import SynthConfig
            from autolease.synth.writer import write_book

            began = time.perf_counter()
            today = datetime.now(UTC).date()
            start = date(today.year - 1, today.month, 1)  # the window ends this month
            config = SynthConfig(n_applications=args.applications, seed=args.seed, start=start)
            write_book(config, Path(tmp) / "book")
            emit("review_seed_book", seconds=round(time.perf_counter() - began, 1))
            report = seed(runtime, Path(tmp) / "book", args.referred, random.Random(args.seed))
            emit("review_seed", **report)
        with runtime.sessions() as session:
            n_apps = session.scalar(text("SELECT count(*) FROM application"))
            n_open = session.scalar(text("SELECT count(*) FROM review_case WHERE state='open'"))
        backend = runtime.engine.dialect.name
        common = {"backend": backend, "store_applications": n_apps, "referred_open": n_open}
        with TestClient(create_app(runtime=runtime)) as client:
            token = log_in(client)
            queue = time_queue(client, token, args.samples, args.warmup)
            emit("review_queue_page", **common, **queue["page"], target_p99_ms=150,
                 load=load_average())  # fmt: skip
            emit("review_queue_api", **common, **queue["api"])
            cases = time_cases(runtime, client, token, args.samples, args.warmup)
            emit("review_case_api", **common, **cases["api"], target_p99_ms=200,
                 load=load_average())  # fmt: skip
            emit("review_case_page", **common, **cases["page"])
            if "api_with_neighbours" in cases:
                emit("review_case_api_with_neighbours", **common, **cases["api_with_neighbours"])
        runtime.close()
    emit("review_case_graph", **cases["graph"], load=load_average(), peak_rss_mb=peak_rss_mb(),
         **machine())  # fmt: skip


if __name__ == "__main__":
    main()
