"""A token bucket per API key (pure): `requests_per_minute` sustained, `burst` at once.

Kept in memory, so the limit is **per worker process**: with N workers a key may make up to
N × the limit. Time comes from the caller (the runtime's clock), so tests step it. Only keys
that authenticated get a bucket, so the table is bounded by the number of issued keys.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class _Bucket:
    tokens: float
    at: float


@dataclass
class KeyRateLimiter:
    """`take(key, now)` spends one token: 0 if allowed, else the seconds to wait (≥ 1)."""

    requests_per_minute: int
    burst: int
    _buckets: dict[str, _Bucket] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def take(self, key: str, now: datetime) -> int:
        rate = self.requests_per_minute / 60.0
        t = now.timestamp()
        with self._lock:
            bucket = self._buckets.setdefault(key, _Bucket(float(self.burst), t))
            elapsed = max(0.0, t - bucket.at)
            bucket.tokens = min(float(self.burst), bucket.tokens + elapsed * rate)
            bucket.at = t
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0
            # the epsilon keeps float noise (10.000000001 s) from adding a whole second
            return max(1, math.ceil((1.0 - bucket.tokens) / rate - 1e-9))
