"""Champion against challenger on the same applications (pure): the shadow report.

Each pair is one decision: the champion's PD (which decided) and the challenger's PD (scored
in shadow, never used). The report gives both PD distributions, their rank correlation
(Spearman), the grade cross-table and, at each of the champion's grade cut-offs, the swap set:
applications the challenger would move across the cut-off, in (champion above, challenger at
or below) and out (the reverse).

>>> r = compare([ShadowPair(0.02, 0.04, "A", "B"), ShadowPair(0.2, 0.1, "D", "C"),
...              ShadowPair(0.05, 0.06, "B", "B")], cutoffs=(0.03, 0.08))
>>> r.n, r.rank_correlation, [(s.cutoff, s.swap_in, s.swap_out) for s in r.swaps]
(3, 1.0, [(0.03, 0, 1), (0.08, 0, 0)])
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd  # type: ignore[import-untyped]

QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)


@dataclass(frozen=True)
class ShadowPair:
    champion_pd: float
    challenger_pd: float
    champion_grade: str
    challenger_grade: str


@dataclass(frozen=True)
class Swap:
    cutoff: float
    swap_in: int
    swap_out: int


@dataclass(frozen=True)
class ShadowReport:
    n: int
    champion_pd: dict[str, float]
    challenger_pd: dict[str, float]
    rank_correlation: float | None
    grades: dict[str, dict[str, int]]
    swaps: tuple[Swap, ...]


def compare(pairs: Sequence[ShadowPair], *, cutoffs: Sequence[float]) -> ShadowReport:
    champion = np.array([p.champion_pd for p in pairs], dtype=float)
    challenger = np.array([p.challenger_pd for p in pairs], dtype=float)
    return ShadowReport(
        n=len(pairs),
        champion_pd=_distribution(champion),
        challenger_pd=_distribution(challenger),
        rank_correlation=_spearman(champion, challenger),
        grades=_cross(pairs),
        swaps=tuple(_swap(champion, challenger, c) for c in cutoffs),
    )


def _distribution(values: np.ndarray) -> dict[str, float]:
    if not len(values):
        return {}
    out = {f"p{round(q * 100)}": round(float(np.quantile(values, q)), 6) for q in QUANTILES}
    out["mean"] = round(float(values.mean()), 6)
    return out


def _spearman(a: np.ndarray, b: np.ndarray) -> float | None:
    if len(a) < 2 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return None
    return round(float(pd.Series(a).corr(pd.Series(b), method="spearman")), 6)


def _cross(pairs: Sequence[ShadowPair]) -> dict[str, dict[str, int]]:
    counts = Counter((p.champion_grade, p.challenger_grade) for p in pairs)
    table: dict[str, dict[str, int]] = {}
    for (row, col), count in sorted(counts.items()):
        table.setdefault(row, {})[col] = count
    return table


def _swap(champion: np.ndarray, challenger: np.ndarray, cutoff: float) -> Swap:
    swap_in = int(((champion > cutoff) & (challenger <= cutoff)).sum())
    swap_out = int(((champion <= cutoff) & (challenger > cutoff)).sum())
    return Swap(cutoff, swap_in, swap_out)
