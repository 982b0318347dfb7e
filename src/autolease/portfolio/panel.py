"""The performance panel: each contract's state at each month on book (pure, numpy).

``states[i, m]`` is contract i's state at the end of its m-th month on book (MOB m, m = 0 is
the month of payout): one of `State`, or ``NOT_OBSERVED`` once the month lies beyond the
reporting date. A closed contract keeps its closing state (good or written off) afterwards.
Segments are small integer codes per contract with their labels (product, SP grade, region).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np
import numpy.typing as npt

I8 = npt.NDArray[np.int8]
I32 = npt.NDArray[np.int32]
NOT_OBSERVED = -1


class State(IntEnum):
    CURRENT = 0
    M1 = 1
    M2 = 2
    M3_PLUS = 3
    CLOSED_GOOD = 4  # matured or settled early
    WRITTEN_OFF = 5


STATE_LABELS = ("current", "M1", "M2", "M3+", "closed", "written off")
BAD = frozenset({State.M3_PLUS, State.WRITTEN_OFF})


@dataclass(frozen=True)
class Segment:
    codes: I32
    labels: tuple[str, ...]

    def label(self, code: int) -> str:
        return self.labels[code]


@dataclass(frozen=True)
class Panel:
    """`states` (contracts × months on book), origination month index per contract, segments.

    ``months`` names the origination-month indices (``months[k]`` is e.g. ``"2025-06"``).
    """

    states: I8
    origination: I32
    months: tuple[str, ...]
    segments: Mapping[str, Segment] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n = self.states.shape[0]
        if self.origination.shape != (n,):
            raise ValueError("one origination month per contract")
        for name, seg in self.segments.items():
            if seg.codes.shape != (n,):
                raise ValueError(f"segment {name!r} needs one code per contract")

    @property
    def contracts(self) -> int:
        return int(self.states.shape[0])

    @property
    def max_mob(self) -> int:
        return int(self.states.shape[1])

    def observed(self) -> npt.NDArray[np.bool_]:
        seen: npt.NDArray[np.bool_] = self.states != NOT_OBSERVED
        return seen

    def ever_bad_by(self) -> npt.NDArray[np.bool_]:
        """``[i, m]``: contract i has been M3+ or written off at some MOB ≤ m."""
        bad = (self.states == State.M3_PLUS) | (self.states == State.WRITTEN_OFF)
        ever: npt.NDArray[np.bool_] = np.logical_or.accumulate(bad, axis=1)
        return ever

    def cut_at(self, month_index: int) -> Panel:
        """The panel as it was known at the end of origination-month index `month_index`."""
        mob_seen = month_index - self.origination.astype(np.int64)
        visible = np.arange(self.max_mob)[None, :] <= mob_seen[:, None]
        states = np.where(visible, self.states, NOT_OBSERVED).astype(np.int8)
        keep = mob_seen >= 0
        segments = {k: Segment(v.codes[keep], v.labels) for k, v in self.segments.items()}
        return Panel(states[keep], self.origination[keep], self.months, segments)
