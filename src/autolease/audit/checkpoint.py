"""Signed checkpoints of the audit chain's tip (pure).

A checkpoint is the tip ``(seq, hash)`` at a time, signed with HMAC-SHA256 under a key derived
from the chain key (itself derived from the blind-index key), and kept by operations outside
the database. Someone who can write the database but holds neither the key nor the checkpoint
store cannot cut records off the end of the chain unnoticed: `verify_chain` takes each
checkpoint as an anchor the chain must still contain.

HMAC rather than Ed25519: verifying the chain already needs the secret chain key, so a public
verification key would let nobody verify anything more, and a derived key adds no secret to
manage. Deriving (instead of reusing the chain key) keeps a checkpoint signature from ever
being valid as a record hash. The ``key_id`` names the key without revealing it, so a
checkpoint signed under another key is told apart from a forged one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

FORMAT = "autolease-audit-checkpoint/1"
_HEX64 = re.compile(r"[0-9a-f]{64}")


class CheckpointInvalid(ValueError):
    """A checkpoint that cannot be trusted: unreadable, malformed, foreign key or bad signature."""


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: datetime
    key_id: str
    signature: str

    @property
    def anchor(self) -> tuple[int, str]:
        return self.seq, self.hash


def checkpoint_key(chain_key: bytes) -> bytes:
    return hmac.new(chain_key, b"autolease-audit-checkpoint-v1", hashlib.sha256).digest()


def key_id(key: bytes) -> str:
    return "hmac-sha256:" + hmac.new(key, b"key-id", hashlib.sha256).hexdigest()[:16]


def _signed_text(seq: int, digest: str, at: datetime, kid: str) -> bytes:
    fields = {"format": FORMAT, "seq": seq, "hash": digest, "at": at.isoformat(), "key_id": kid}
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def _signature(key: bytes, seq: int, digest: str, at: datetime, kid: str) -> str:
    return hmac.new(key, _signed_text(seq, digest, at, kid), hashlib.sha256).hexdigest()


def sign(key: bytes, *, seq: int, digest: str, at: datetime) -> Checkpoint:
    """A checkpoint of the tip ``(seq, digest)`` taken at `at` (an aware time)."""
    kid = key_id(key)
    return Checkpoint(seq, digest, at, kid, _signature(key, seq, digest, at, kid))


def dumps(checkpoint: Checkpoint) -> str:
    fields = {
        "format": FORMAT,
        "seq": checkpoint.seq,
        "hash": checkpoint.hash,
        "at": checkpoint.at.isoformat(),
        "key_id": checkpoint.key_id,
        "signature": checkpoint.signature,
    }
    return json.dumps(fields, indent=2) + "\n"


def loads(text: str, key: bytes) -> Checkpoint:
    """Parse and authenticate a checkpoint; `CheckpointInvalid` says why one is refused."""
    fields = _fields(text)
    seq, digest, at = fields["seq"], fields["hash"], _time(fields["at"])
    kid, signature = fields["key_id"], fields["signature"]
    if kid != key_id(key):
        raise CheckpointInvalid(f"signed under another key ({kid}; this key is {key_id(key)})")
    expected = _signature(key, seq, digest, at, kid)
    if not hmac.compare_digest(expected, signature):
        raise CheckpointInvalid("the signature does not match (forged or altered)")
    return Checkpoint(seq, digest, at, kid, signature)


def _fields(text: str) -> dict[str, Any]:
    try:
        fields = json.loads(text)
    except ValueError as err:
        raise CheckpointInvalid("not JSON") from err
    if not isinstance(fields, dict) or fields.get("format") != FORMAT:
        raise CheckpointInvalid(f"not a checkpoint (format is not {FORMAT})")
    seq, digest = fields.get("seq"), fields.get("hash")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise CheckpointInvalid("seq is not a non-negative integer")
    if not isinstance(digest, str) or not _HEX64.fullmatch(digest):
        raise CheckpointInvalid("hash is not 64 lower-case hex digits")
    for name in ("at", "key_id", "signature"):
        if not isinstance(fields.get(name), str):
            raise CheckpointInvalid(f"{name} is missing")
    return fields


def _time(text: str) -> datetime:
    try:
        at = datetime.fromisoformat(text)
    except ValueError as err:
        raise CheckpointInvalid("at is not an ISO 8601 time") from err
    if at.tzinfo is None:
        raise CheckpointInvalid("at has no time zone")
    return at
