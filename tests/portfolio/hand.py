"""A hand-built panel: seven contracts over four origination months, reported at the fourth.

contract  cohort   product  MOB 0..3          (-1: not yet observed)
c0        2025-01  a        current M1 M2 M3+
c1        2025-01  b        current current current current
c2        2025-01  a        current M1 current current
c3        2025-01  b        current M1 written-off written-off
c4        2025-02  a        current M1 M2 -
c5        2025-02  b        current current current -
c6        2025-03  a        current current - -
"""

from __future__ import annotations

import numpy as np

from autolease.portfolio.panel import Panel, Segment

MONTHS = ("2025-01", "2025-02", "2025-03", "2025-04")
STATES = [
    [0, 1, 2, 3],
    [0, 0, 0, 0],
    [0, 1, 0, 0],
    [0, 1, 5, 5],
    [0, 1, 2, -1],
    [0, 0, 0, -1],
    [0, 0, -1, -1],
]
ORIGINATION = [0, 0, 0, 0, 1, 1, 2]
PRODUCT = [0, 1, 0, 1, 0, 1, 0]


def hand_panel() -> Panel:
    return Panel(
        np.asarray(STATES, dtype=np.int8),
        np.asarray(ORIGINATION, dtype=np.int32),
        MONTHS,
        {"product": Segment(np.asarray(PRODUCT, dtype=np.int32), ("a", "b"))},
    )
