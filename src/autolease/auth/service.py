"""Staff users, logins and SP API keys. Never commits."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from autolease.auth import repository, secrets
from autolease.auth.exceptions import InvalidCredentials, UsernameTaken
from autolease.auth.models import AccessToken, ApiKey, StaffUser
from autolease.auth.principal import Principal, Role
from autolease.dealer import service as dealer_service
from autolease.exceptions import NotFound


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


def login(
    session: Session,
    *,
    username: str,
    password: str,
    at: datetime,
    ttl: timedelta,
    token_hex: Callable[[int], str],
) -> tuple[str, AccessToken, StaffUser]:
    user = repository.user_by_username(session, username)
    if user is None or not user.active or not secrets.verify_password(password, user.password_hash):
        raise InvalidCredentials("unknown user or wrong password")
    token = secrets.new_access_token(token_hex)
    row = AccessToken(
        user_id=user.id, token_hash=secrets.sha256_hex(token), created_at=at, expires_at=at + ttl
    )
    session.add(row)
    session.flush()
    return token, row, user


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
    if sp.status != "active":
        raise InvalidCredentials("the SP is not active")
    return Principal(
        "api_key", f"apikey:{row.prefix}", Role.SP_USER, sp.id, sp.code, sp_grade=sp.grade
    )


def _authenticate_token(session: Session, token: str, at: datetime) -> Principal:
    row = repository.token_by_hash(session, secrets.sha256_hex(token))
    if row is None or row.revoked_at is not None or row.expires_at <= at:
        raise InvalidCredentials("invalid or expired token")
    user = session.get(StaffUser, row.user_id)
    if user is None or not user.active:
        raise InvalidCredentials("user is disabled")
    sp = dealer_service.get(session, sp_id=user.sp_id) if user.sp_id else None
    return Principal(
        "staff",
        f"user:{user.username}",
        Role(user.role),
        user.sp_id,
        sp.code if sp else None,
        user.id,
        sp_grade=sp.grade if sp else None,
    )


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


def revoke_api_key(session: Session, *, sp_code: str, prefix: str, at: datetime) -> ApiKey:
    sp = dealer_service.get_by_code(session, code=sp_code)
    row = repository.api_key_by_prefix(session, prefix)
    if row is None or row.sp_id != sp.id:
        raise NotFound(f"no API key {prefix!r} for SP {sp_code!r}")
    if row.revoked_at is None:
        row.revoked_at = at
    return row
