"""Vintage curves: the cumulative share of a cohort that has gone bad, by month on book (pure).

Bad is M3+ (61 or more days past due) or written off, at any month up to the one shown. A
cohort is the contracts paid out in one month, optionally split by a segment (product, SP
grade, region). Only contracts observed through a month on book count at that month, so a young
cohort's curve stops where its data stops.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from autolease.portfolio.panel import Panel


def vintage_curves(panel: Panel, segment: str | None = None) -> pd.DataFrame:
    """Columns: cohort, segment, mob, contracts (observed at that MOB), bad, bad_rate."""
    ever_bad = panel.ever_bad_by()
    observed = panel.observed()
    seg_codes = (
        panel.segments[segment].codes if segment else np.zeros(panel.contracts, dtype=np.int32)
    )
    labels = panel.segments[segment].labels if segment else ("all",)
    n_seg = len(labels)
    group = panel.origination.astype(np.int64) * n_seg + seg_codes
    n_groups = len(panel.months) * n_seg
    frames = []
    for mob in range(panel.max_mob):
        seen = observed[:, mob]
        if not seen.any():
            break
        counts = np.bincount(group[seen], minlength=n_groups)
        bads = np.bincount(group[seen], weights=ever_bad[seen, mob], minlength=n_groups)
        present = np.flatnonzero(counts)
        frames.append(
            pd.DataFrame(
                {
                    "cohort": [panel.months[g // n_seg] for g in present],
                    "segment": [labels[g % n_seg] for g in present],
                    "mob": mob,
                    "contracts": counts[present],
                    "bad": bads[present].astype(np.int64),
                }
            )
        )
    out = pd.concat(frames, ignore_index=True) if frames else _empty()
    out["bad_rate"] = out["bad"] / out["contracts"]
    return out


def _empty() -> pd.DataFrame:
    return pd.DataFrame({"cohort": [], "segment": [], "mob": [], "contracts": [], "bad": []})
