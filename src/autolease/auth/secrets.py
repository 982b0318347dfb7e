"""Secrets for API keys, passwords and access tokens (pure: randomness is passed in).

API keys look like ``ak_<prefix>_<secret>``; only SHA-256 of the whole key is stored, and the
prefix finds the row. Staff access tokens look like ``st_<secret>``. Passwords use Argon2id.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

API_KEY_PREFIX = "ak_"
TOKEN_PREFIX = "st_"

_hasher = PasswordHasher()


@dataclass(frozen=True)
class NewApiKey:
    plaintext: str
    prefix: str
    key_hash: str


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def new_api_key(token_hex: Callable[[int], str]) -> NewApiKey:
    prefix = token_hex(4)
    plaintext = f"{API_KEY_PREFIX}{prefix}_{token_hex(24)}"
    return NewApiKey(plaintext, prefix, sha256_hex(plaintext))


def parse_api_key_prefix(key: str) -> str | None:
    if not key.startswith(API_KEY_PREFIX):
        return None
    prefix, sep, secret = key[len(API_KEY_PREFIX) :].partition("_")
    return prefix if sep and prefix and secret else None


def api_key_matches(key: str, stored_hash: str) -> bool:
    return hmac.compare_digest(sha256_hex(key), stored_hash)


def new_access_token(token_hex: Callable[[int], str]) -> str:
    return f"{TOKEN_PREFIX}{token_hex(32)}"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def dummy_password_hash() -> str:
    """A hash made with the same parameters as real ones, verified when a login names no
    user, so an unknown username costs the same work as a wrong password."""
    return _hasher.hash("no password matches an unknown user")
