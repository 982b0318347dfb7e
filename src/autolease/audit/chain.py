"""The audit hash chain (pure).

Each record's hash is ``HMAC-SHA256(chain_key, prev_hash || canonical JSON of its content)``.
Keying the hash means someone with write access to the database alone cannot forge a
consistent chain. `verify_chain` walks records in sequence order and reports the first
record that was changed, inserted or deleted.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class ChainRecord:
    seq: int
    occurred_at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    kind: Literal["changed", "inserted", "deleted"]
    detail: str


def chain_key(secret: bytes) -> bytes:
    return hmac.new(secret, b"autolease-audit-chain-v1", hashlib.sha256).digest()


def record_hash(key: bytes, prev_hash: str, content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(key, (prev_hash + canonical).encode(), hashlib.sha256).hexdigest()


def content_of(record: ChainRecord) -> dict[str, Any]:
    return {
        "seq": record.seq,
        "occurred_at": record.occurred_at.isoformat(),
        "actor": record.actor,
        "action": record.action,
        "entity_type": record.entity_type,
        "entity_id": record.entity_id,
        "payload": record.payload,
    }


def _is_authentic(key: bytes, record: ChainRecord) -> bool:
    expected = record_hash(key, record.prev_hash, content_of(record))
    return hmac.compare_digest(expected, record.hash)


def verify_chain(
    key: bytes, records: Iterable[ChainRecord], head: tuple[int, str] | None
) -> ChainProblem | None:
    """Return the first problem in the chain, or None when it is intact.

    `head` is the stored tip ``(seq, hash)``; it reveals deletions at the end of the chain.
    """
    ordered: Sequence[ChainRecord] = sorted(records, key=lambda r: r.seq)
    prev_hash, prev_seq = GENESIS_HASH, 0
    for i, record in enumerate(ordered):
        problem = _check_link(key, ordered, i, prev_hash, prev_seq)
        if problem is not None:
            return problem
        prev_hash, prev_seq = record.hash, record.seq
    return _check_tip(head, prev_seq, prev_hash)


def _check_link(
    key: bytes, ordered: Sequence[ChainRecord], i: int, prev_hash: str, prev_seq: int
) -> ChainProblem | None:
    record = ordered[i]
    if not _is_authentic(key, record):
        nxt = ordered[i + 1] if i + 1 < len(ordered) else None
        if nxt is not None and nxt.prev_hash == prev_hash:
            return ChainProblem(record.seq, "inserted", "record is not part of the chain")
        return ChainProblem(record.seq, "changed", "content does not match its hash")
    if record.prev_hash != prev_hash or record.seq != prev_seq + 1:
        missing = f"records {prev_seq + 1}..{record.seq - 1}" if record.seq > prev_seq + 1 else ""
        return ChainProblem(record.seq, "deleted", f"predecessor missing {missing}".strip())
    return None


def _check_tip(head: tuple[int, str] | None, last_seq: int, last_hash: str) -> ChainProblem | None:
    if head is None:
        return None
    head_seq, head_hash = head
    if head_seq > last_seq:
        return ChainProblem(last_seq + 1, "deleted", f"records {last_seq + 1}..{head_seq} missing")
    if head_seq < last_seq or head_hash != last_hash:
        return ChainProblem(head_seq + 1, "inserted", "records beyond the recorded tip")
    return None
