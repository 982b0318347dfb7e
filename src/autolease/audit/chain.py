"""The audit hash chain (pure).

Each record's hash is ``HMAC-SHA256(chain_key, prev_hash || canonical JSON of its content)``.
Keying the hash means someone with write access to the database alone cannot forge a
consistent chain. `verify_chain` walks records in sequence order and reports the first
record that was changed, inserted or deleted.

The tip (``audit_head``) reveals deletions at the end of the chain, but someone with write
access to the database can delete the last records and roll the tip back with them. Signed
checkpoints kept outside the database (`checkpoint.py`) close that gap: each is an *anchor*
``(seq, hash)`` the chain must still contain.
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
    key: bytes,
    records: Iterable[ChainRecord],
    head: tuple[int, str] | None,
    anchors: Iterable[tuple[int, str]] = (),
) -> ChainProblem | None:
    """Return the first problem in the chain, or None when it is intact.

    `head` is the stored tip ``(seq, hash)``; it reveals deletions at the end of the chain.
    `anchors` are checkpointed ``(seq, hash)`` pairs the chain must still contain; they reveal
    deletions at the end that rolled the tip back too. Of several problems the one at the
    lowest seq is reported (a broken link first, then an anchor, then the tip).
    """
    ordered: Sequence[ChainRecord] = sorted(records, key=lambda r: r.seq)
    link, (last_seq, last_hash) = _walk(key, ordered)
    found = [
        link,
        _check_anchors(ordered, anchors, last_seq),
        _check_tip(head, last_seq, last_hash),
    ]
    problems = [p for p in found if p is not None]
    return min(problems, key=lambda p: p.seq) if problems else None


def _walk(
    key: bytes, ordered: Sequence[ChainRecord]
) -> tuple[ChainProblem | None, tuple[int, str]]:
    """The first broken link, and the last record's (seq, hash) (or genesis)."""
    prev_hash, prev_seq = GENESIS_HASH, 0
    for i, record in enumerate(ordered):
        problem = _check_link(key, ordered, i, prev_hash, prev_seq)
        if problem is not None:
            return problem, (ordered[-1].seq, ordered[-1].hash)
        prev_hash, prev_seq = record.hash, record.seq
    return None, (prev_seq, prev_hash)


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


def _check_anchors(
    ordered: Sequence[ChainRecord], anchors: Iterable[tuple[int, str]], last_seq: int
) -> ChainProblem | None:
    wanted = dict(anchors)
    if not wanted:
        return None
    hashes = {r.seq: r.hash for r in ordered if r.seq in wanted}
    problems = []
    for seq, digest in wanted.items():
        if seq > last_seq:
            detail = f"records {last_seq + 1}..{seq} missing (checkpointed tip: seq {seq})"
            problems.append(ChainProblem(last_seq + 1, "deleted", detail))
        elif seq > 0 and hashes.get(seq) != digest:
            detail = "record does not match the checkpoint" if seq in hashes else "record missing"
            kind: Literal["changed", "deleted"] = "changed" if seq in hashes else "deleted"
            problems.append(ChainProblem(seq, kind, f"{detail} (checkpointed tip: seq {seq})"))
    return min(problems, key=lambda p: p.seq) if problems else None


def _check_tip(head: tuple[int, str] | None, last_seq: int, last_hash: str) -> ChainProblem | None:
    if head is None:
        return None
    head_seq, head_hash = head
    if head_seq > last_seq:
        return ChainProblem(last_seq + 1, "deleted", f"records {last_seq + 1}..{head_seq} missing")
    if head_seq == 0 and last_seq > 0:
        # The tip is written with the first record and never goes back to genesis: a missing
        # or reset tip means the end of the chain was cut off with it.
        detail = f"the recorded tip is missing; records after {last_seq} may have been deleted"
        return ChainProblem(last_seq + 1, "deleted", detail)
    if head_seq < last_seq or head_hash != last_hash:
        return ChainProblem(head_seq + 1, "inserted", "records beyond the recorded tip")
    return None
