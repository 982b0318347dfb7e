"""SP grades from the grade policy (`policies/channel/grade.json`) over credibility-weighted
figures (pure). The policy is a JDM graph evaluated by the decision engine like the
origination policy; its single reason code names the grade (``SP_GRADE_<G>[_<RULE>]``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from autolease.channel.collusion import CollusionFigures
from autolease.channel.credibility import shrunk_ratio
from autolease.channel.exceptions import GradePolicyInvalid
from autolease.channel.performance import METRICS, MonthFigures
from autolease.channel.settings import CREDIBILITY_K
from autolease.decision.engine import PolicyEngine, PolicyEvaluationError, PolicyOutputInvalid
from autolease.decision.files import load_one, policy_root
from autolease.decision.jdm import PolicyDocument

POLICY_KEY = "channel/grade"
GRADES = ("A", "B", "C", "D")


@dataclass(frozen=True)
class Approvals:
    """Decisions per SP over the grading window: applications decided, approved, referred."""

    decided: npt.NDArray[np.int64]
    approved: npt.NDArray[np.int64]
    referred: npt.NDArray[np.int64]
    document_defects: npt.NDArray[np.int64] | None = None
    """Applications on which a reviewer asked for a document (missing or unfit)."""


@dataclass(frozen=True)
class Graded:
    grade: str
    code: str
    inputs: dict[str, Any]


def load_policy(directory: Path | None = None) -> PolicyDocument:
    return load_one(policy_root(directory), POLICY_KEY).document


COLLUSION_INPUTS = (
    "applications",
    "cross_sp_share",
    "cross_sp_ratio",
    "ring_apps",
    "ring_share",
    "staff_linked",
    "staff_link_share",
    "staff_link_ratio",
    "confirmed_fraud",
    "confirmed_fraud_share",
)


def policy_inputs(
    figures: MonthFigures,
    approvals: Approvals | None = None,
    k: float = CREDIBILITY_K,
    collusion: CollusionFigures | None = None,
) -> list[dict[str, Any]]:
    """One policy input per SP: ratios to peers after credibility, and the raw sizes; with
    `collusion`, the graph signals too (null without it)."""
    columns: dict[str, npt.NDArray[np.float64] | None] = {}
    for metric in METRICS:
        hits, exposures = figures.hits[metric.name], figures.exposures[metric.name]
        columns[f"{metric.name}_ratio"] = shrunk_ratio(hits, exposures, k)
    columns["approval_ratio"] = (
        None if approvals is None else shrunk_ratio(approvals.approved, approvals.decided, k)
    )
    defects = None if approvals is None else approvals.document_defects
    columns["document_defect_ratio"] = (
        None
        if defects is None or approvals is None
        else shrunk_ratio(defects, approvals.decided, k)
    )
    rows = []
    for i in range(len(figures.volume)):
        row: dict[str, Any] = {
            name: None if col is None else round(float(col[i]), 4) for name, col in columns.items()
        }
        row["contracts"] = int(figures.contracts[i])
        row["volume"] = int(figures.volume[i])
        row["volume_ratio"] = _volume_ratio(figures, i)
        row["document_defect_share"] = _document_defect_share(approvals, i)
        rows.append(row)
    _add_collusion(rows, collusion, k)
    return rows


def _add_collusion(
    rows: list[dict[str, Any]], collusion: CollusionFigures | None, k: float
) -> None:
    """Counts and shares of each graph signal; cross-SP links and staff links also as a
    credibility-shrunk ratio to the peers (both occur, rarely, for honest reasons)."""
    if collusion is None:
        for row in rows:
            row.update(dict.fromkeys(COLLUSION_INPUTS))
        return
    apps, counts = collusion.applications, collusion.counts
    cross = shrunk_ratio(counts["cross_sp"], apps, k)
    staff = shrunk_ratio(counts["staff_linked"], apps, k)
    for i, row in enumerate(rows):
        n = int(apps[i])
        row["applications"] = n

        def share(signal: str, i: int = i, n: int = n) -> float | None:
            return None if n == 0 else round(int(counts[signal][i]) / n, 4)

        row["cross_sp_share"] = share("cross_sp")
        row["cross_sp_ratio"] = None if cross is None else round(float(cross[i]), 4)
        rings = "in_ring" in counts  # left out when igraph is not installed
        row["ring_apps"] = int(counts["in_ring"][i]) if rings else None
        row["ring_share"] = share("in_ring") if rings else None
        row["staff_linked"] = int(counts["staff_linked"][i])
        row["staff_link_share"] = share("staff_linked")
        row["staff_link_ratio"] = None if staff is None else round(float(staff[i]), 4)
        row["confirmed_fraud"] = int(counts["confirmed_fraud"][i])
        row["confirmed_fraud_share"] = share("confirmed_fraud")


def _document_defect_share(approvals: Approvals | None, i: int) -> float | None:
    """Share of the SP's decided applications on which a reviewer asked for a document."""
    if approvals is None or approvals.document_defects is None or approvals.decided[i] == 0:
        return None
    return round(int(approvals.document_defects[i]) / int(approvals.decided[i]), 4)


def _volume_ratio(figures: MonthFigures, i: int) -> float | None:
    """This month's volume over the mean of the months before (a sudden rise), when known."""
    if figures.volume_before is None or figures.volume_before[i] <= 0:
        return None
    return round(float(figures.volume[i] / figures.volume_before[i]), 4)


def grade_of(code: str) -> str:
    grade = code.removeprefix("SP_GRADE_")[:1]
    if not code.startswith("SP_GRADE_") or grade not in GRADES:
        raise GradePolicyInvalid(f"the grade policy gave {code!r}, not SP_GRADE_<A-D>…")
    return grade


def grade_all(
    engine: PolicyEngine, policy: PolicyDocument, inputs: Sequence[dict[str, Any]]
) -> list[Graded]:
    """Each input's grade, in order. A policy that fails or names no grade is a policy bug."""
    graded = []
    for row, decided in zip(inputs, engine.decide_many(policy, inputs), strict=True):
        if isinstance(decided, PolicyEvaluationError | PolicyOutputInvalid):
            raise GradePolicyInvalid(str(decided))
        _, codes = decided
        if len(codes) != 1:
            raise GradePolicyInvalid(f"the grade policy gave {len(codes)} reasons, not one")
        graded.append(Graded(grade_of(codes[0]), codes[0], row))
    return graded
