"""CSRF tokens (pure).

A logged-in page carries its session's token (`web_session.csrf_token`) in a form field or
the `X-CSRF-Token` header. The login form, before any session, uses a signed double-submit
cookie: the cookie holds `token.signature` (HMAC-SHA256 under a key of the process), the form
holds `token`; both must agree and the signature must be ours.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

LOGIN_COOKIE = "autolease_login_csrf"


def tokens_match(given: str | None, expected: str | None) -> bool:
    """Constant-time equality of two tokens; False when either is missing."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def login_key(process_key: bytes) -> bytes:
    return hmac.new(process_key, b"autolease web login csrf", hashlib.sha256).digest()


def _signature(key: bytes, token: str) -> str:
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def new_login_pair(key: bytes) -> tuple[str, str]:
    """(form token, cookie value) for a login form."""
    token = secrets.token_urlsafe(24)
    return token, f"{token}.{_signature(key, token)}"


def login_pair_valid(key: bytes, form_token: str | None, cookie_value: str | None) -> bool:
    if not form_token or not cookie_value or len(cookie_value) > 200:
        return False
    token, _, signature = cookie_value.rpartition(".")
    return tokens_match(signature, _signature(key, token)) and tokens_match(form_token, token)
