"""Ring runs: ring detection over the store's links, stored, so that the console's rings
pages read the latest finished run instead of detecting again on every view.

`start` records a queued run (audited ``fraud.ring_run_started``); `run` takes it to the
end in its own short transactions — after the request commits (the console's button, a
background task through `execute`) or at once (``autolease fraud rings-run``). A run left
queued or running longer than `RUN_TIMEOUT` was cut off with its process: `expire_stale`
marks it failed when runs are read, so it never shows "running" for ever. Only the rings of
the last `KEPT_RUNS` finished runs are kept (a run over a million applications stores some
tens of megabytes); older runs keep their row and counts.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from autolease.audit import service as audit_service
from autolease.audit.service import Actor
from autolease.db import insert_rows
from autolease.fraud import repository
from autolease.fraud.exceptions import RingNotFound, RingRunBusy
from autolease.fraud.models import RingRun, StoredRing
from autolease.kit import runs as background

if TYPE_CHECKING:
    from autolease.fraud.links import LinkRows
    from autolease.fraud.rings import RingPolicy, RingReport
    from autolease.runtime import Runtime

log = logging.getLogger(__name__)
RUN_TIMEOUT = timedelta(hours=1)  # detection over 1M applications takes well under a minute
UNFINISHED = ("queued", "running")
LISTED = 200
KEPT_RUNS = 3


def expire_stale(session: Session, now: datetime, timeout: timedelta = RUN_TIMEOUT) -> None:
    """Fail the runs queued or running since before ``now - timeout`` (a page view writes only
    when there is one)."""
    background.expire(repository.unfinished_ring_runs(session), now, timeout)


def start(
    session: Session,
    *,
    actor: Actor,
    policy: RingPolicy | None = None,
    window: tuple[datetime | None, datetime | None] = (None, None),
) -> RingRun:
    """Record a run to make (refused while another is unfinished)."""
    from autolease.fraud.rings import RingPolicy

    expire_stale(session, actor.at)
    busy = repository.unfinished_ring_runs(session)
    if busy:
        since = f"{busy[0].created_at:%Y-%m-%d %H:%M}"
        raise RingRunBusy(
            f"ring run {busy[0].id} is {busy[0].status} (since {since} UTC); wait for it to end"
        )
    begin, end = window
    parameters = {
        "policy": dataclasses.asdict(policy or RingPolicy()),
        "start": begin.isoformat() if begin else None,
        "end": end.isoformat() if end else None,
    }
    row = RingRun(status="queued", parameters=parameters, started_by=actor.name,
                  created_at=actor.at)  # fmt: skip
    session.add(row)
    session.flush()
    audit_service.log(
        session, actor, "fraud.ring_run_started", entity_type="ring_run", entity_id=str(row.id),
        payload={"start": parameters["start"], "end": parameters["end"]},
    )  # fmt: skip
    return row


def run(runtime: Runtime, run_id: int, policy: RingPolicy | None = None) -> None:
    """Detect over the store and store the rings; a failure is recorded, then raised."""
    window = _claim(runtime, run_id)
    if window is None:
        return
    try:
        report, rows, bad = _detect(runtime, policy, window)
        _finish(runtime, run_id, report, rows, bad)
    except Exception as exc:
        background.fail_by_id(runtime, RingRun, run_id, exc)
        raise


def execute(runtime: Runtime, run_id: int) -> None:
    """`run` as a background task: the failure is in the run's row and the log."""
    try:
        run(runtime, run_id)
    except Exception:  # any failure ends the run with its reason, never silently
        log.exception("ring run %s failed", run_id)


def _claim(runtime: Runtime, run_id: int) -> tuple[datetime | None, datetime | None] | None:
    with runtime.sessions.begin() as session:
        row = session.get(RingRun, run_id)
        if row is None or row.status != "queued":
            return None
        row.status, row.started_at = "running", runtime.clock.now()
        return _when(row.parameters.get("start")), _when(row.parameters.get("end"))


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _detect(
    runtime: Runtime, policy: RingPolicy | None, window: tuple[datetime | None, datetime | None]
) -> tuple[RingReport, LinkRows, set[str]]:
    from autolease.fraud.service.offline import rings_over_store

    begin, end = window
    with runtime.sessions() as session:
        report, rows = rings_over_store(session, policy, start=begin, end=end)
        return report, rows, repository.all_fraud_labels(session, before=end)


def _finish(
    runtime: Runtime, run_id: int, report: RingReport, rows: LinkRows, bad: set[str]
) -> None:
    with runtime.sessions.begin() as session:
        row = session.get(RingRun, run_id)
        if row is None:
            return
        insert_rows(session, stored_rings(run_id, report, rows, bad), fetch_keys=False)
        stats = report.stats
        row.status, row.finished_at, row.error = "done", runtime.clock.now(), None
        row.applications, row.linked_applications = stats.apps, stats.linked_apps
        row.links, row.stats = stats.edges, dataclasses.asdict(stats)
        row.rings, row.flagged_rings = len(report.rings), sum(r.flagged for r in report.rings)
        session.flush()
        _drop_old_rings(session)


def _drop_old_rings(session: Session) -> None:
    kept = [r.id for r in repository.done_ring_runs(session, KEPT_RUNS)]
    session.execute(delete(StoredRing).where(StoredRing.run_id.not_in(kept)))


def stored_rings(
    run_id: int, report: RingReport, rows: LinkRows, bad: set[str]
) -> list[StoredRing]:
    """Every ring of the report as rows: what the list shows, the export and the drawing."""
    from autolease.fraud.ringgraph import KeyIndex, elements
    from autolease.fraud.ringscore import ring_json

    index = KeyIndex.of(rows)
    out = []
    for rank, ring in enumerate(report.rings):
        members = [str(rows.app_ids[a]) for a in ring.members]
        known = {a: str(rows.app_ids[a]) in bad for a in ring.members}
        out.append(
            StoredRing(
                run_id=run_id, ring_id=ring.ring_id, rank=rank, score=ring.score,
                flagged=ring.flagged, size=ring.size, identities=ring.identities,
                sps=len(ring.sps), span_days=round(ring.span_days, 1),
                cross_kinds=", ".join(ring.cross_kinds)[:200], known_bad=ring.known_bad,
                members=members, export=ring_json(ring, rows, known),
                graph=elements(ring, rows, set(), index),
            )
        )  # fmt: skip
    return out


# ----------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class RingView:
    """A stored ring as shown: its export and drawing with today's labels."""

    run: RingRun
    export: dict[str, Any]
    graph: dict[str, list[dict[str, Any]]]


def listed(session: Session, run: RingRun, limit: int = LISTED) -> list[dict[str, Any]]:
    """The run's first rings by score, each with its members' labels of today counted."""
    rings = repository.stored_rings(session, run.id, limit)
    bad = repository.fraud_labelled(session, [m for r in rings for m in r.members])
    return [
        {
            "ring_id": r.ring_id,
            "score": r.score,
            "flagged": r.flagged,
            "size": r.size,
            "identities": r.identities,
            "sps": r.sps,
            "span_days": r.span_days,
            "kinds": r.cross_kinds,
            "known_bad": sum(m in bad for m in r.members),
        }
        for r in rings
    ]


def ring_view(session: Session, ring_id: str, run_id: int | None = None) -> RingView:
    """Ring `ring_id` of run `run_id` (default: the latest finished run)."""
    from autolease.fraud.ringgraph import with_known_bad

    run = (
        repository.latest_done_ring_run(session) if run_id is None else session.get(RingRun, run_id)
    )
    stored = None if run is None else repository.stored_ring(session, run.id, ring_id)
    if run is None or stored is None or run.status != "done":
        where = "the latest ring run" if run_id is None else f"ring run {run_id}"
        raise RingNotFound(f"no ring {ring_id!r} in {where}")
    bad = repository.fraud_labelled(session, stored.members)
    members = [{**m, "known_bad": m["application_id"] in bad} for m in stored.export["members"]]
    export = {
        **stored.export,
        "members": members,
        "known_bad": sum(m in bad for m in stored.members),
    }
    return RingView(run, export, with_known_bad(stored.graph, bad))
