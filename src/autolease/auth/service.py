"""Staff users, logins and SP API keys. Never commits."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from autolease.audit import service as audit_service
from autolease.audit.service import Actor
from autolease.auth import repository, secrets, throttle
from autolease.auth.exceptions import (
    InvalidCredentials,
    LoginThrottled,
    SelfDisableRefused,
    SpNotActive,
    UsernameTaken,
)
from autolease.auth.models import AccessToken, ApiKey, LoginThrottle, StaffUser
from autolease.auth.principal import Principal, Role
from autolease.config import LoginThrottleSettings
from autolease.dealer import service as dealer_service
from autolease.dealer.models import ServiceProvider
from autolease.dealer.schemas import SpStatus
from autolease.exceptions import FieldError, NotFound


def create_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    role: Role,
    password: str,
    sp_code: str | None,
    at: datetime,
) -> StaffUser:
    if repository.user_by_username(session, username) is not None:
        raise UsernameTaken(f"username {username!r} is taken")
    sp_id = dealer_service.get_by_code(session, code=sp_code).id if sp_code else None
    user = StaffUser(
        username=username,
        display_name=display_name,
        role=role.value,
        sp_id=sp_id,
        password_hash=secrets.hash_password(password),
        active=True,
        created_at=at,
    )
    session.add(user)
    session.flush()
    return user


def set_user_active(
    session: Session, *, user_id: int, active: bool, acting_user_id: int | None, actor: Actor
) -> StaffUser:
    """Disable or re-enable a user, audited `user.disabled` or `user.enabled`; no change, no
    event.

    A disabled user cannot log in (`check_login`) and every request of a live token or browser
    session is refused (`principal_of_user`); the live ones are revoked as well, so that
    re-enabling the user does not bring them back.

    Raises
    ------
    NotFound
        No user has this id.
    SelfDisableRefused
        The acting admin is the user to disable.
    """
    user = session.get(StaffUser, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    if not active and user.id == acting_user_id:
        raise SelfDisableRefused("you cannot disable your own account", errors=[_NOT_SELF])
    if user.active == active:
        return user
    user.active = active
    revoked = 0 if active else _revoke_logins(session, user.id, actor.at)
    session.flush()
    audit_service.log(
        session,
        actor,
        "user.enabled" if active else "user.disabled",
        entity_type="staff_user",
        entity_id=user.username,
        payload={"user_id": user.id, "logins_revoked": revoked},
    )
    return user


def _revoke_logins(session: Session, user_id: int, at: datetime) -> int:
    """Revoke the user's live access tokens and browser sessions; how many."""
    # Imported here: the browser sessions (`web.sessions`) build on this module.
    from autolease.web import sessions as web_sessions

    tokens = repository.revoke_tokens_of(session, user_id, at)
    return tokens + web_sessions.end_all(session, user_id=user_id, now=at)


_NOT_SELF = FieldError(
    field="user_id",
    rule="not_self",
    message_en="an administrator cannot disable their own account; ask another administrator",
    message_zh="管理员不能停用自己的账号，请由另一位管理员操作",
)


@dataclass(frozen=True)
class LoginAttempt:
    username: str
    password: str
    client_ip: str | None
    at: datetime


@dataclass(frozen=True)
class Issued:
    token: str
    row: AccessToken
    user: StaffUser


def login(
    session: Session,
    *,
    attempt: LoginAttempt,
    ttl: timedelta,
    token_hex: Callable[[int], str],
    key_of: Callable[[str, str], str],
    limits: LoginThrottleSettings,
) -> Issued | None:
    """A new access token, or None for a wrong username or password once the failure is
    counted (the boundary commits the count, then answers 401).

    Raises
    ------
    LoginThrottled
        The username or the client IP is locked out; no password is checked.
    SpNotActive
        The password is right but the user's SP is suspended or terminated.
    """
    user = check_login(session, attempt=attempt, key_of=key_of, limits=limits)
    if user is None:
        return None
    token = secrets.new_access_token(token_hex)
    row = AccessToken(
        user_id=user.id,
        token_hash=secrets.sha256_hex(token),
        created_at=attempt.at,
        expires_at=attempt.at + ttl,
    )
    session.add(row)
    session.flush()
    return Issued(token, row, user)


def check_login(
    session: Session,
    *,
    attempt: LoginAttempt,
    key_of: Callable[[str, str], str],
    limits: LoginThrottleSettings,
) -> StaffUser | None:
    """The user whose username and password these are, or None once the failure is counted.

    Every login (the API's token, the browser pages' session) goes through here: the
    throttle, Argon2 (a dummy hash for unknown users, so both cost the same) and the SP's
    status. Raises `LoginThrottled` or `SpNotActive` as `login` documents.
    """
    rules = _throttle_rules(attempt, key_of, limits)
    locked = repository.login_throttles(session, list(rules))
    wait = max((throttle.retry_after_s(_count(r), attempt.at) for r in locked.values()), default=0)
    if wait:
        raise LoginThrottled(f"too many failed logins; try again in {wait} s", retry_after_s=wait)
    user = repository.user_by_username(session, attempt.username)
    stored = user.password_hash if user is not None else secrets.dummy_password_hash()
    if not secrets.verify_password(attempt.password, stored) or user is None or not user.active:
        _count_failure(session, rules, attempt.at)
        return None
    if user.sp_id is not None:
        _require_active(dealer_service.get(session, sp_id=user.sp_id))
    repository.clear_login_throttle(session, next(iter(rules)))  # the user's own count
    return user


def _throttle_rules(
    attempt: LoginAttempt, key_of: Callable[[str, str], str], limits: LoginThrottleSettings
) -> dict[repository.ThrottleKey, throttle.ThrottleRule]:
    """The counters an attempt is checked against (keyed hashes), the username's first."""
    window = timedelta(seconds=limits.window_seconds)
    lockout = timedelta(seconds=limits.lockout_seconds)
    given = {throttle.Scope.USER: attempt.username, throttle.Scope.IP: attempt.client_ip}
    maximum = {
        throttle.Scope.USER: limits.max_failures_per_user,
        throttle.Scope.IP: limits.max_failures_per_ip,
    }
    return {
        (scope.value, key_of(f"login_{scope}", value)): throttle.ThrottleRule(
            maximum[scope], window, lockout
        )
        for scope, value in given.items()
        if value
    }


def _count(row: LoginThrottle) -> throttle.Count:
    return throttle.Count(row.failures, row.window_started_at, row.locked_until)


def _count_failure(
    session: Session, rules: dict[repository.ThrottleKey, throttle.ThrottleRule], at: datetime
) -> None:
    repository.ensure_login_throttles(session, list(rules), at)
    rows = repository.login_throttles(session, list(rules), lock=True)
    for key, rule in rules.items():
        row = rows[key]
        after = throttle.after_failure(_count(row), at, rule)
        row.failures, row.window_started_at = after.failures, after.window_started_at
        row.locked_until = after.locked_until
    session.flush()


def authenticate(session: Session, *, bearer: str, at: datetime) -> Principal:
    """Resolve a bearer credential (API key or staff token) to a principal."""
    if bearer.startswith(secrets.API_KEY_PREFIX):
        return _authenticate_api_key(session, bearer)
    if bearer.startswith(secrets.TOKEN_PREFIX):
        return _authenticate_token(session, bearer, at)
    raise InvalidCredentials("unrecognised credential")


def _authenticate_api_key(session: Session, key: str) -> Principal:
    prefix = secrets.parse_api_key_prefix(key)
    found = repository.api_key_with_sp(session, prefix) if prefix else None
    if found is None:
        raise InvalidCredentials("invalid or revoked API key")
    row, sp = found
    if row.revoked_at is not None or not secrets.api_key_matches(key, row.key_hash):
        raise InvalidCredentials("invalid or revoked API key")
    _require_active(sp)
    return Principal(
        "api_key", f"apikey:{row.prefix}", Role.SP_USER, sp.id, sp.code, sp_grade=sp.grade
    )


def _authenticate_token(session: Session, token: str, at: datetime) -> Principal:
    row = repository.token_by_hash(session, secrets.sha256_hex(token))
    if row is None or row.revoked_at is not None or row.expires_at <= at:
        raise InvalidCredentials("invalid or expired token")
    return principal_of_user(session, session.get(StaffUser, row.user_id))


def principal_of_user(session: Session, user: StaffUser | None) -> Principal:
    """The principal of a logged-in user, checked on every request (tokens and browser
    sessions): a disabled user or a suspended or terminated SP stops it at once.

    Raises `InvalidCredentials` (user missing or disabled) or `SpNotActive`.
    """
    if user is None or not user.active:
        raise InvalidCredentials("user is disabled")
    sp = dealer_service.get(session, sp_id=user.sp_id) if user.sp_id else None
    if sp is not None:
        _require_active(sp)  # checked on every request: a suspension stops live tokens at once
    return Principal(
        "staff",
        f"user:{user.username}",
        Role(user.role),
        user.sp_id,
        sp.code if sp else None,
        user.id,
        sp_grade=sp.grade if sp else None,
    )


WORKING_STATUSES = frozenset({SpStatus.ACTIVE, SpStatus.WATCH})  # watch: monitored, still works


def _require_active(sp: ServiceProvider) -> None:
    if sp.status not in WORKING_STATUSES:
        raise SpNotActive(f"SP {sp.code!r} is {sp.status}")


def issue_api_key(
    session: Session, *, sp_code: str, label: str, at: datetime, token_hex: Callable[[int], str]
) -> tuple[secrets.NewApiKey, ApiKey]:
    sp = dealer_service.get_by_code(session, code=sp_code)
    new = secrets.new_api_key(token_hex)
    row = ApiKey(sp_id=sp.id, prefix=new.prefix, key_hash=new.key_hash, label=label, created_at=at)
    session.add(row)
    session.flush()
    return new, row


def list_api_keys(session: Session, *, sp_code: str) -> Sequence[ApiKey]:
    sp = dealer_service.get_by_code(session, code=sp_code)
    return repository.api_keys_of(session, sp.id)


def revoke_key_by_prefix(session: Session, *, prefix: str, at: datetime) -> ApiKey:
    """Revoke the key with this prefix, whichever SP holds it (operators' CLI); idempotent."""
    row = repository.api_key_by_prefix(session, prefix)
    if row is None:
        raise NotFound(f"no API key {prefix!r}")
    if row.revoked_at is None:
        row.revoked_at = at
    return row


def revoke_api_key(session: Session, *, sp_code: str, prefix: str, at: datetime) -> ApiKey:
    sp = dealer_service.get_by_code(session, code=sp_code)
    row = repository.api_key_by_prefix(session, prefix)
    if row is None or row.sp_id != sp.id:
        raise NotFound(f"no API key {prefix!r} for SP {sp_code!r}")
    if row.revoked_at is None:
        row.revoked_at = at
    return row
