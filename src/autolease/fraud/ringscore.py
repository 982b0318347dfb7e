"""Ring scoring and the reviewer's export (pure).

A group of linked applications is a ring, rather than one customer re-applying or an SP's
office, when many identities share several kinds of rare values across SPs, in a burst.
`score_ring` weighs exactly that; `build_ring` computes a group's statistics; `ring_json`
exports one ring for a reviewer (values masked or hashed, never plaintext).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

from autolease.fraud.links import DAY, I64, LinkRows

STRONG = frozenset({"id_number", "phone", "bank_card", "device", "vin", "uscc"})


@dataclass(frozen=True)
class RingScoring:
    """Coefficients of the ring score ``sigmoid(z)``; see `score_ring`."""

    intercept: float = -7.0
    log_identities: float = 1.0
    multi_sp: float = 1.0
    per_extra_cross_kind: float = 2.0
    strong_cross: float = 0.5
    burst_share: float = 4.0
    known_bad_share: float = 4.0


@dataclass(frozen=True)
class SharedValue:
    kind: str
    key: int
    members: int
    identities: int
    label: str


@dataclass(frozen=True)
class Ring:
    ring_id: str
    members: tuple[int, ...]
    identities: int
    sps: tuple[int, ...]
    top_sp_share: float
    first_at: int
    last_at: int
    kinds: tuple[str, ...]
    cross_kinds: tuple[str, ...]
    burst_share: float
    shared: tuple[SharedValue, ...]
    weight: float
    known_bad: int
    score: float
    flagged: bool

    @property
    def size(self) -> int:
        return len(self.members)

    @property
    def span_days(self) -> float:
        return (self.last_at - self.first_at) / DAY


def score_ring(
    *,
    identities: int,
    sps: int,
    cross_kinds: int,
    strong_cross: bool,
    burst_share: float,
    known_bad_share: float,
    scoring: RingScoring,
) -> float:
    """The ring score in (0, 1).

    ``z = intercept + a·ln(identities) + b·[SPs ≥ 2] + c·(cross kinds − 1) + d·[a phone,
    device, card, ID or VIN shared across identities] + e·burst share + f·known-bad share``,
    score ``1 / (1 + e^-z)``. *Cross kinds* are the kinds of values shared by at least two
    distinct identities (a customer re-applying shares everything with themself: that is not
    evidence); the *burst share* is the largest share of members submitted within 30 days.

    >>> round(score_ring(identities=6, sps=3, cross_kinds=3, strong_cross=True,
    ...                  burst_share=1.0, known_bad_share=0.0, scoring=RingScoring()), 3)
    0.962
    """
    z = (
        scoring.intercept
        + scoring.log_identities * math.log(max(1, identities))
        + scoring.multi_sp * (sps >= 2)
        + scoring.per_extra_cross_kind * max(0, cross_kinds - 1)
        + scoring.strong_cross * strong_cross
        + scoring.burst_share * burst_share
        + scoring.known_bad_share * known_bad_share
    )
    return 1 / (1 + math.exp(-z))


def _burst_share(times: I64, window: int = 30 * DAY) -> float:
    ordered = np.sort(times)
    inside = np.searchsorted(ordered, ordered + window, side="right") - np.arange(len(ordered))
    return float(inside.max() / len(ordered))


def build_ring(
    ring_id: str,
    members: I64,
    rows: LinkRows,
    identity: I64,
    shared: list[SharedValue],
    weight: float,
    known_bad: int,
    scoring: RingScoring,
    flag_score: float,
    min_identities: int,
) -> Ring:
    ids = identity[members]
    n_ids = len(set(ids[ids >= 0].tolist())) + int((ids < 0).sum())
    sps, counts = np.unique(rows.app_sp[members], return_counts=True)
    times = rows.app_time[members]
    kinds = tuple(sorted({s.kind for s in shared}))
    cross = tuple(sorted({s.kind for s in shared if s.identities >= 2}))
    burst = _burst_share(times)
    score = score_ring(
        identities=n_ids,
        sps=len(sps),
        cross_kinds=len(cross),
        strong_cross=bool(STRONG & set(cross)),
        burst_share=burst,
        known_bad_share=known_bad / len(members),
        scoring=scoring,
    )
    return Ring(
        ring_id=ring_id,
        members=tuple(members.tolist()),
        identities=n_ids,
        sps=tuple(sps.tolist()),
        top_sp_share=round(float(counts.max() / len(members)), 4),
        first_at=int(times.min()),
        last_at=int(times.max()),
        kinds=kinds,
        cross_kinds=cross,
        burst_share=round(burst, 4),
        shared=tuple(sorted(shared, key=lambda s: (-s.members, s.kind, s.key))),
        weight=round(weight, 4),
        known_bad=known_bad,
        score=round(score, 4),
        flagged=score >= flag_score and n_ids >= min_identities,
    )


def _iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat()


def ring_json(
    ring: Ring, rows: LinkRows, known_bad: Mapping[int, bool] | None = None
) -> dict[str, Any]:
    """A reviewer's view of one ring: statistics, members, shared values (masked or hashed).

    Parameters
    ----------
    ring : Ring
    rows : LinkRows
        The rows the ring was found in (for ids, times and SPs).
    known_bad : mapping of int to bool, optional

    Returns
    -------
    dict
        JSON-serialisable.
    """
    bad = known_bad or {}
    members = [
        {
            "application_id": rows.app_ids[a],
            "submitted_at": _iso(int(rows.app_time[a])),
            "sp_id": int(rows.app_sp[a]),
            "known_bad": bool(bad.get(a, False)),
        }
        for a in sorted(ring.members, key=lambda a: (int(rows.app_time[a]), a))
    ]
    return {
        "ring_id": ring.ring_id,
        "score": ring.score,
        "flagged": ring.flagged,
        "size": ring.size,
        "identities": ring.identities,
        "sps": list(ring.sps),
        "top_sp_share": ring.top_sp_share,
        "first_submitted_at": _iso(ring.first_at),
        "last_submitted_at": _iso(ring.last_at),
        "span_days": round(ring.span_days, 2),
        "kinds": list(ring.kinds),
        "cross_identity_kinds": list(ring.cross_kinds),
        "burst_share": ring.burst_share,
        "weight": ring.weight,
        "known_bad": ring.known_bad,
        "members": members,
        "shared_values": [
            {
                "kind": s.kind,
                "value": s.label,
                "applications": s.members,
                "identities": s.identities,
            }
            for s in ring.shared
        ],
    }
