"""Signing and verifying webhook requests (pure; receivers may copy this module).

A request carries three headers:

- ``Autolease-Event-Id``: the event's UUID (the same on every retry and redelivery);
- ``Autolease-Timestamp``: Unix seconds when this attempt was signed;
- ``Autolease-Signature``: ``v1=`` and the hex HMAC-SHA256, keyed with the endpoint's
  secret, of ``f"{timestamp}.{body}"`` (the raw body bytes).

A receiver recomputes the HMAC over the raw body, compares in constant time, and refuses a
timestamp older (or newer) than its replay window; then it processes each event id once.
"""

from __future__ import annotations

import hashlib
import hmac

EVENT_ID_HEADER = "Autolease-Event-Id"
TIMESTAMP_HEADER = "Autolease-Timestamp"
SIGNATURE_HEADER = "Autolease-Signature"
EVENT_TYPE_HEADER = "Autolease-Event-Type"
SCHEME = "v1"
DEFAULT_REPLAY_WINDOW_S = 300


class SignatureInvalid(ValueError):
    """The request is not signed with the secret, or is outside the replay window."""


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Autolease-Signature`` value of `body` signed at `timestamp`."""
    message = str(timestamp).encode("ascii") + b"." + body
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
    return f"{SCHEME}={digest}"


def signed_headers(secret: str, timestamp: int, body: bytes, event_id: str) -> dict[str, str]:
    return {
        EVENT_ID_HEADER: event_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }


def verify(
    secret: str,
    *,
    body: bytes,
    timestamp: str | None,
    signature_header: str | None,
    now: float,
    window_s: int = DEFAULT_REPLAY_WINDOW_S,
) -> int:
    """Check a received request; return its timestamp, or raise `SignatureInvalid`.

    `now` is the receiver's Unix time in seconds. The header may list several signatures
    separated by commas (``v1=…,v1=…``, as during a secret rotation); one match is enough.
    """
    if not timestamp or not signature_header:
        raise SignatureInvalid("missing timestamp or signature header")
    try:
        signed_at = int(timestamp)
    except ValueError:
        raise SignatureInvalid("the timestamp is not an integer") from None
    if abs(now - signed_at) > window_s:
        raise SignatureInvalid("the timestamp is outside the replay window")
    expected = signature(secret, signed_at, body)
    offered = [part.strip() for part in signature_header.split(",")]
    if not any(hmac.compare_digest(expected, candidate) for candidate in offered):
        raise SignatureInvalid("the signature does not match")
    return signed_at
