"""The session service: idle timeout on the injected clock, absolute expiry, revoke, a
disabled user and a suspended SP."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from autolease.auth.models import StaffUser
from autolease.dealer.models import ServiceProvider
from autolease.kit.clock import FixedClock
from autolease.runtime import Runtime
from autolease.web import sessions
from autolease.web.models import WebSession

IDLE = timedelta(minutes=30)


def _user(session: Session, username: str) -> StaffUser:
    return session.scalars(select(StaffUser).where(StaffUser.username == username)).one()


def test_resolve_moves_last_seen_and_refuses_after_the_idle_timeout(
    seeded: Runtime, session: Session, clock: FixedClock
) -> None:
    cookie, csrf = sessions.start(session, user=_user(session, "reviewer"), now=clock.now())
    clock.advance(minutes=29)
    found = sessions.resolve(session, cookie, clock.now(), IDLE)
    assert found is not None
    assert found.csrf_token == csrf
    assert found.role.value == "reviewer"
    assert found.principal.actor == "user:reviewer"
    clock.advance(minutes=29)  # 29 min after the last request: still alive
    assert sessions.resolve(session, cookie, clock.now(), IDLE) is not None
    clock.advance(minutes=30)
    assert sessions.resolve(session, cookie, clock.now(), IDLE) is None


def test_absolute_expiry_holds_however_active_the_session(
    seeded: Runtime, session: Session, clock: FixedClock
) -> None:
    user = _user(session, "reviewer")
    cookie, _ = sessions.start(session, user=user, now=clock.now(), absolute=timedelta(hours=1))
    for _ in range(2):  # active every 25 min: never idle
        clock.advance(minutes=25)
        assert sessions.resolve(session, cookie, clock.now(), IDLE) is not None
    clock.advance(minutes=25)  # 75 min after login, 25 after the last request
    assert sessions.resolve(session, cookie, clock.now(), IDLE) is None


def test_end_revokes_and_only_a_hash_is_stored(
    seeded: Runtime, session: Session, clock: FixedClock
) -> None:
    cookie, _ = sessions.start(session, user=_user(session, "admin"), now=clock.now())
    row = session.scalars(select(WebSession)).one()
    assert cookie not in row.token_hash
    assert len(row.token_hash) == 64
    assert sessions.end(session, cookie_value=cookie, now=clock.now()) is not None
    assert sessions.resolve(session, cookie, clock.now(), IDLE) is None


def test_end_all_revokes_every_session_of_a_user(
    seeded: Runtime, session: Session, clock: FixedClock
) -> None:
    user = _user(session, "admin")
    first, _ = sessions.start(session, user=user, now=clock.now())
    second, _ = sessions.start(session, user=user, now=clock.now())
    assert sessions.end_all(session, user_id=user.id, now=clock.now()) == 2
    assert sessions.resolve(session, first, clock.now(), IDLE) is None
    assert sessions.resolve(session, second, clock.now(), IDLE) is None


def test_a_disabled_user_or_a_suspended_sp_stops_a_live_session(
    seeded: Runtime, session: Session, clock: FixedClock
) -> None:
    sp_user = _user(session, "sp001")
    cookie, _ = sessions.start(session, user=sp_user, now=clock.now())
    found = sessions.resolve(session, cookie, clock.now(), IDLE)
    assert found is not None
    assert found.sp_code == "SP-SH-001"
    sp = session.get(ServiceProvider, sp_user.sp_id)
    assert sp is not None
    sp.status = "suspended"
    session.flush()
    assert sessions.resolve(session, cookie, clock.now(), IDLE) is None
    sp.status = "active"
    sp_user.active = False
    session.flush()
    assert sessions.resolve(session, cookie, clock.now(), IDLE) is None


def test_unknown_or_malformed_cookies_resolve_to_nothing(
    seeded: Runtime, session: Session, clock: FixedClock
) -> None:
    for value in (None, "", "ws_unknown", "not-a-session", "ws_" + "x" * 500):
        assert sessions.resolve(session, value, clock.now(), IDLE) is None
