"""Ring runs: detection over the store stored as a run and its rings, the CLI that makes one,
one run at a time, and runs cut off with their process marked failed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from autolease.audit.models import AuditEvent
from autolease.audit.service import Actor
from autolease.fraud.book import BookLinks
from autolease.fraud.exceptions import RingNotFound, RingRunBusy
from autolease.fraud.models import RingRun, StoredRing
from autolease.fraud.service import ringruns
from autolease.fraud.service.seeding import seed_links
from autolease.kit.clock import FixedClock
from autolease.runtime import Runtime


@pytest.fixture
def seeded(runtime: Runtime, book_links: BookLinks) -> Runtime:
    with runtime.engine.begin() as conn:
        seed_links(conn, book_links, runtime.cipher)
    return runtime


def _actor(runtime: Runtime, name: str = "user:analyst") -> Actor:
    return Actor(runtime.audit_key, name, runtime.clock.now())


def _started(runtime: Runtime) -> int:
    with runtime.sessions.begin() as session:
        return ringruns.start(session, actor=_actor(runtime)).id


def _run(runtime: Runtime, run_id: int) -> RingRun:
    with runtime.sessions() as session:
        row = session.get(RingRun, run_id)
        assert row is not None
        session.expunge(row)
        return row


def test_a_run_stores_the_rings_detection_finds(seeded: Runtime, clock: FixedClock) -> None:
    from autolease.fraud.service.offline import rings_over_store

    run_id = _started(seeded)
    clock.advance(seconds=30)
    ringruns.run(seeded, run_id)
    with seeded.sessions() as session:
        report, rows = rings_over_store(session)
        stored = list(
            session.scalars(
                select(StoredRing).where(StoredRing.run_id == run_id).order_by(StoredRing.rank)
            )
        )
        audited = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "fraud.ring_run_started")
        ).one()
    run = _run(seeded, run_id)
    assert (run.status, run.started_by, run.error) == ("done", "user:analyst", None)
    assert run.finished_at == clock.now()
    assert (run.applications, run.links) == (report.stats.apps, report.stats.edges)
    assert run.rings == len(report.rings) == len(stored) >= 5
    assert run.flagged_rings == sum(r.flagged for r in report.rings)
    assert run.parameters["policy"]["min_size"] == 3
    assert audited.entity_id == str(run_id)
    expected = [
        (r.ring_id, r.score, r.flagged, [str(rows.app_ids[a]) for a in r.members])
        for r in report.rings
    ]
    assert [(s.ring_id, s.score, s.flagged, s.members) for s in stored] == expected
    first = stored[0]
    assert first.export["ring_id"] == first.ring_id
    assert sorted(m["application_id"] for m in first.export["members"]) == sorted(first.members)
    apps = {n["data"]["app"] for n in first.graph["nodes"] if n["classes"] == "app"}
    assert apps == set(first.members)


def test_a_failed_detection_is_recorded_and_raised(
    seeded: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    from autolease.fraud.service import offline

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("igraph exploded")

    monkeypatch.setattr(offline, "detect_rings", broken)
    run_id = _started(seeded)
    with pytest.raises(RuntimeError):
        ringruns.run(seeded, run_id)
    run = _run(seeded, run_id)
    assert (run.status, run.error) == ("failed", "RuntimeError: igraph exploded")
    ringruns.execute(seeded, _started(seeded))  # the background form logs, never raises


def test_one_run_at_a_time_until_a_stale_one_is_marked_interrupted(
    runtime: Runtime, clock: FixedClock
) -> None:
    first = _started(runtime)
    with runtime.sessions() as session, pytest.raises(RingRunBusy):
        ringruns.start(session, actor=_actor(runtime))
    clock.advance(seconds=int(ringruns.RUN_TIMEOUT.total_seconds()) - 1)
    with runtime.sessions() as session, pytest.raises(RingRunBusy):
        ringruns.start(session, actor=_actor(runtime))
    clock.advance(seconds=2)
    second = _started(runtime)
    stale = _run(runtime, first)
    assert stale.status == "failed"
    assert str(stale.error).startswith("interrupted")
    assert stale.finished_at == clock.now()
    assert _run(runtime, second).status == "queued"


@pytest.fixture
def cli_runtime(seeded: Runtime, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    from autolease import cli_support

    @contextmanager
    def scope() -> Iterator[Runtime]:
        yield seeded

    monkeypatch.setattr(cli_support, "runtime_scope", scope)
    return seeded


def test_the_command_stores_a_run_and_refuses_a_second_at_once(
    cli_runtime: Runtime, clock: FixedClock
) -> None:
    from autolease.fraud.cli import app

    result = CliRunner().invoke(app, ["rings-run"])
    assert result.exit_code == 0, result.output
    line = json.loads(result.stdout.splitlines()[-1])
    assert line["event"] == "ring_run"
    assert line["status"] == "done"
    assert line["rings"] >= 5
    run = _run(cli_runtime, line["id"])
    assert (run.started_by, run.rings) == ("system:cli", line["rings"])
    with cli_runtime.sessions.begin() as session:
        ringruns.start(session, actor=_actor(cli_runtime))  # someone's run, still queued
    refused = CliRunner().invoke(app, ["rings-run"])
    assert refused.exit_code == 2
    assert "RingRunBusy" in refused.output
    clock.advance(seconds=1)
    windowed = CliRunner().invoke(app, ["rings-run", "--start", "tomorrow"])
    assert windowed.exit_code == 2
    assert "--start" in windowed.output


def test_a_window_limits_the_applications(cli_runtime: Runtime, book_links: BookLinks) -> None:
    from datetime import UTC, datetime

    times = sorted(book_links.rows.app_time.tolist())
    middle = datetime.fromtimestamp(times[len(times) // 2], UTC)
    with cli_runtime.sessions.begin() as session:
        run_id = ringruns.start(
            session, actor=_actor(cli_runtime), window=(None, middle + timedelta(seconds=1))
        ).id
    ringruns.run(cli_runtime, run_id)
    run = _run(cli_runtime, run_id)
    assert run.parameters["end"] is not None
    assert run.applications is not None
    assert len(times) // 2 < run.applications < len(times)


def test_only_the_last_runs_keep_their_rings(
    seeded: Runtime, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ringruns, "KEPT_RUNS", 1)
    first = _started(seeded)
    ringruns.run(seeded, first)
    second = _started(seeded)
    ringruns.run(seeded, second)
    with seeded.sessions() as session:
        kept = set(session.scalars(select(StoredRing.run_id)))
        assert kept == {second}
        ring_id = session.scalars(select(StoredRing.ring_id)).first()
        assert ring_id is not None
        assert ringruns.ring_view(session, ring_id, second).run.id == second
        with pytest.raises(RingNotFound):
            ringruns.ring_view(session, ring_id, first)
    assert _run(seeded, first).rings == _run(seeded, second).rings  # the counts stay
