from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from autolease.audit import service
from autolease.audit.models import AuditEvent
from autolease.audit.service import Actor
from autolease.runtime import Runtime


def write_events(runtime: Runtime, n: int) -> None:
    with runtime.sessions.begin() as session:
        for i in range(n):
            at = runtime.clock.now() + timedelta(seconds=i)
            actor = Actor(runtime.audit_key, "user:test", at)
            service.log(
                session,
                actor,
                "thing.done",
                entity_type="thing",
                entity_id=f"t{i}",
                payload={"i": i, "text": "中文"},
            )


def verify(runtime: Runtime) -> tuple[int, object]:
    with runtime.sessions() as session:
        return service.verify(session, key=runtime.audit_key)


class TestAuditTrail:
    def test_chain_of_events_verifies(self, runtime: Runtime) -> None:
        write_events(runtime, 5)
        checked, problem = verify(runtime)
        assert (checked, problem) == (5, None)

    def test_changed_record_is_reported(self, runtime: Runtime) -> None:
        write_events(runtime, 5)
        with runtime.sessions.begin() as session:
            session.execute(update(AuditEvent).where(AuditEvent.seq == 3).values(actor="user:evil"))
        _, problem = verify(runtime)
        assert problem is not None
        assert (problem.seq, problem.kind) == (3, "changed")  # type: ignore[attr-defined]

    def test_deleted_record_is_reported(self, runtime: Runtime) -> None:
        write_events(runtime, 5)
        with runtime.sessions.begin() as session:
            session.execute(delete(AuditEvent).where(AuditEvent.seq == 2))
        _, problem = verify(runtime)
        assert (problem.seq, problem.kind) == (3, "deleted")  # type: ignore[attr-defined]

    def test_deleted_tail_is_reported(self, runtime: Runtime) -> None:
        write_events(runtime, 5)
        with runtime.sessions.begin() as session:
            session.execute(delete(AuditEvent).where(AuditEvent.seq == 5))
        _, problem = verify(runtime)
        assert problem.kind == "deleted"  # type: ignore[attr-defined]

    def test_inserted_record_is_reported(self, runtime: Runtime, session: Session) -> None:
        write_events(runtime, 4)
        with runtime.sessions.begin() as s:
            s.execute(update(AuditEvent).where(AuditEvent.seq >= 3).values(seq=AuditEvent.seq + 10))
            s.execute(update(AuditEvent).where(AuditEvent.seq == 13).values(seq=4 + 0))
            s.execute(update(AuditEvent).where(AuditEvent.seq == 14).values(seq=5))
            forged = AuditEvent(
                seq=3,
                occurred_at=runtime.clock.now(),
                actor="user:evil",
                action="thing.done",
                entity_type="thing",
                entity_id="x",
                payload={},
                prev_hash="0" * 64,
                hash="f" * 64,
            )
            s.add(forged)
        _, problem = verify(runtime)
        assert (problem.seq, problem.kind) == (3, "inserted")  # type: ignore[attr-defined]
