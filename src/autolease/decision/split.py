"""Champion/challenger traffic split, deterministic per unit (application id) and seed (pure).

The unit is hashed with the seed (SHA-256) into a point in [0, 1); the unit is in the
challenger arm when that point is below ``share``. The same unit and seed always land in the
same arm, in every process and after restarts; changing the seed reshuffles everyone;
raising the share only adds units (a unit never leaves the challenger arm when the share
grows).

>>> in_challenger("app_1", seed="s", share=0.0), in_challenger("app_1", seed="s", share=1.0)
(False, True)
"""

from __future__ import annotations

import hashlib

SCALE = float(1 << 64)


def bucket(unit: str, *, seed: str) -> float:
    """The unit's fixed point in [0, 1) for this seed.

    Parameters
    ----------
    unit : str
        The experimental unit (the application id).
    seed : str
        Split seed from settings.

    Returns
    -------
    float
    """
    digest = hashlib.sha256(f"{seed}\x1f{unit}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / SCALE


def in_challenger(unit: str, *, seed: str, share: float) -> bool:
    """Whether the unit falls in the challenger share (``0 <= share <= 1``)."""
    if not 0.0 <= share <= 1.0:
        raise ValueError("share must be between 0 and 1")
    return bucket(unit, seed=seed) < share
