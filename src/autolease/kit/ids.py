"""Identifiers: time-ordered, prefixed, random part from an injected source.

`new_id("app", clock, rng)` -> `app_0192f3a1b2c3d4e5f6a7b8c9d0e1f2a3` (12 hex ms + 20 hex random).
"""

from __future__ import annotations

import secrets
from typing import Protocol

from autolease.kit.clock import Clock

# The key of a session's ``info`` under which the runtime puts its random source, for writes
# that need randomness deep inside a use case (the webhook outbox's event ids).
SESSION_RANDOM_KEY = "autolease.random"


class RandomSource(Protocol):
    def getrandbits(self, k: int, /) -> int: ...


class SystemRandom:
    def getrandbits(self, k: int, /) -> int:
        return secrets.randbits(k)


class IdFactory:
    def __init__(self, clock: Clock, rng: RandomSource | None = None) -> None:
        self._clock = clock
        self._rng = rng or SystemRandom()

    @property
    def rng(self) -> RandomSource:
        """The injected random source (event ids and retry jitter draw from it too)."""
        return self._rng

    def new(self, prefix: str) -> str:
        ms = int(self._clock.now().timestamp() * 1000)
        return f"{prefix}_{ms:012x}{self._rng.getrandbits(80):020x}"


def id_pattern(prefix: str) -> str:
    """The regular expression every id made with `prefix` matches."""
    return rf"^{prefix}_[0-9a-f]{{32}}$"


# The largest integer key a 32-bit INTEGER column holds (PostgreSQL refuses a larger one with an
# error, SQLite does not): integer path parameters are bounded by it, so both stores answer 404.
MAX_ID = 2**31 - 1
