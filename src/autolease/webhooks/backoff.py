"""When a failed delivery is tried again (pure): exponential backoff with jitter."""

from __future__ import annotations

from datetime import timedelta

from autolease.kit.ids import RandomSource

JITTER_BITS = 32


def retry_delay(attempts: int, *, base_s: float, cap_s: float, rng: RandomSource) -> timedelta:
    """The wait after `attempts` failed attempts: ``min(cap, base * 2**(attempts-1))``, of
    which up to half is taken off at random ("equal jitter"), so retries of many deliveries
    that failed together spread out instead of arriving together."""
    if attempts < 1:
        raise ValueError("attempts counts from 1")
    ceiling = min(cap_s, base_s * 2 ** min(attempts - 1, 40))
    fraction = rng.getrandbits(JITTER_BITS) / 2**JITTER_BITS
    return timedelta(seconds=ceiling / 2 + fraction * ceiling / 2)
