"""The points table and its pure re-scoring (no optbinning, no scikit-learn).

A `PointsTable` is a plain structure of bins and points, saved as JSON (scored) and CSV
(reviewed). `CompiledScorecard` binds it to an input schema and scores encoded matrices with
numpy alone: each input's bin is found (``searchsorted`` for numbers, a lookup for
categories, the bin holding the "rare or unseen" level for a level training did not learn
when the column has one, the missing bin for anything absent) and the points are summed. The
score is ``base_points + Σ points``; the PD follows from the score scale, so the table alone
reproduces every figure. Training is in `credit.binning`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from autolease.credit.encoding import OTHER_LABEL, ColumnKind, InputSchema
from autolease.credit.scaling import ScoreScaling

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
FORMAT = "autolease.scorecard/1"
MISSING_LABEL = "Missing or unseen"


@dataclass(frozen=True)
class ScorecardBin:
    """One row of the points table."""

    label: str
    points: float
    woe: float
    count: int
    bads: int
    lower: float | None = None
    upper: float | None = None
    categories: tuple[str, ...] = ()
    missing: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "label": self.label,
            "points": self.points,
            "woe": self.woe,
            "count": self.count,
            "bads": self.bads,
        }
        if self.missing:
            data["missing"] = True
        elif self.categories:
            data["categories"] = list(self.categories)
        else:
            data["lower"], data["upper"] = self.lower, self.upper
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ScorecardBin:
        return cls(
            label=str(data["label"]),
            points=float(data["points"]),
            woe=float(data["woe"]),
            count=int(data["count"]),
            bads=int(data["bads"]),
            lower=_opt_float(data.get("lower")),
            upper=_opt_float(data.get("upper")),
            categories=tuple(str(c) for c in data.get("categories", ())),
            missing=bool(data.get("missing", False)),
        )


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class ScorecardVariable:
    """One input of the scorecard: its bins (the missing bin last) and coefficient."""

    name: str
    kind: ColumnKind
    iv: float
    coefficient: float
    bins: tuple[ScorecardBin, ...]

    def __post_init__(self) -> None:
        if not self.bins or not self.bins[-1].missing:
            raise ValueError(f"variable {self.name!r}: the last bin must be the missing bin")

    @property
    def splits(self) -> tuple[float, ...]:
        """Numeric cut points: bin ``i`` holds ``splits[i-1] <= x < splits[i]``."""
        return tuple(b.upper for b in self.bins[:-2] if b.upper is not None)

    @property
    def max_points(self) -> float:
        return max(b.points for b in self.bins)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "iv": self.iv,
            "coefficient": self.coefficient,
            "bins": [b.to_json() for b in self.bins],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ScorecardVariable:
        kind = data["kind"]
        if kind not in ("numeric", "categorical"):
            raise ValueError(f"variable {data.get('name')!r}: unknown kind {kind!r}")
        return cls(
            name=str(data["name"]),
            kind=kind,
            iv=float(data["iv"]),
            coefficient=float(data["coefficient"]),
            bins=tuple(ScorecardBin.from_json(b) for b in data["bins"]),
        )


@dataclass(frozen=True)
class PointsTable:
    """The whole scorecard: scale, base points and the variables' bins and points."""

    scaling: ScoreScaling
    intercept: float
    base_points: float
    variables: tuple[ScorecardVariable, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "scaling": self.scaling.to_json(),
            "intercept": self.intercept,
            "base_points": self.base_points,
            "variables": [v.to_json() for v in self.variables],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PointsTable:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a points table of format {FORMAT}")
        return cls(
            scaling=ScoreScaling.from_json(data["scaling"]),
            intercept=float(data["intercept"]),
            base_points=float(data["base_points"]),
            variables=tuple(ScorecardVariable.from_json(v) for v in data["variables"]),
        )

    def to_csv(self) -> str:
        """The table for review: one line per bin, plus the base points line.

        Returns
        -------
        str
            CSV with columns variable, bin, points, woe, count, bads, bad_rate, iv.
        """
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["variable", "bin", "points", "woe", "count", "bads", "bad_rate", "iv"])
        writer.writerow(["(base)", "", f"{self.base_points:.2f}", "", "", "", "", ""])
        for var in self.variables:
            for b in var.bins:
                rate = f"{b.bads / b.count:.4f}" if b.count else ""
                writer.writerow(
                    [
                        var.name,
                        b.label,
                        f"{b.points:.2f}",
                        f"{b.woe:.4f}",
                        b.count,
                        b.bads,
                        rate,
                        f"{var.iv:.4f}",
                    ]
                )
        return out.getvalue()


@dataclass(frozen=True)
class _Compiled:
    column: int
    numeric: bool
    splits: F64
    lookup: I64
    points: F64
    missing_bin: int


class CompiledScorecard:
    """A `PointsTable` bound to an input schema, ready to score encoded matrices."""

    def __init__(self, table: PointsTable, schema: InputSchema) -> None:
        self.table = table
        self.schema = schema
        position = {name: j for j, name in enumerate(schema.names)}
        compiled = []
        for var in table.variables:
            if var.name not in position:
                raise ValueError(f"scorecard variable {var.name!r} is not a model input")
            compiled.append(_compile(var, position[var.name], schema))
        self._vars = tuple(compiled)

    def bin_index(self, x: F64) -> I64:
        """The bin of every variable for every row, shape (n, n_variables).

        Parameters
        ----------
        x : ndarray of float64, shape (n, p)
            Encoded inputs (`tabular.encode`).

        Returns
        -------
        ndarray of int64
        """
        out = np.empty((x.shape[0], len(self._vars)), dtype=np.int64)
        for k, var in enumerate(self._vars):
            col = x[:, var.column]
            missing = np.isnan(col)
            if var.numeric:
                idx = np.searchsorted(var.splits, col, side="right")
            else:
                idx = var.lookup[np.where(missing, 0, col).astype(np.int64)]
            out[:, k] = np.where(missing, var.missing_bin, idx)
        return out

    def points(self, x: F64) -> F64:
        """Points of every variable for every row, shape (n, n_variables).

        Parameters
        ----------
        x : ndarray of float64, shape (n, p)

        Returns
        -------
        ndarray of float64
        """
        bins = self.bin_index(x)
        out = np.empty(bins.shape, dtype=np.float64)
        for k, var in enumerate(self._vars):
            out[:, k] = var.points[bins[:, k]]
        return out

    def score(self, x: F64) -> F64:
        """``base_points + Σ points`` per row.

        Parameters
        ----------
        x : ndarray of float64, shape (n, p)

        Returns
        -------
        ndarray of float64
        """
        return np.asarray(self.table.base_points + self.points(x).sum(axis=1), dtype=np.float64)

    def points_lost(self, x: F64) -> F64:
        """Points below each variable's best bin, aligned to the schema columns (n, p).

        Parameters
        ----------
        x : ndarray of float64, shape (n, p)

        Returns
        -------
        ndarray of float64
            Zero for inputs the scorecard does not use.
        """
        return self.lost_from_points(self.points(x), x.shape[1])

    def lost_from_points(self, pts: F64, width: int) -> F64:
        """`points_lost` from an already computed `points` matrix."""
        out = np.zeros((pts.shape[0], width), dtype=np.float64)
        for k, var in enumerate(self._vars):
            out[:, var.column] = var.points.max() - pts[:, k]
        return out


def _compile(var: ScorecardVariable, column: int, schema: InputSchema) -> _Compiled:
    missing_bin = len(var.bins) - 1
    points = np.array([b.points for b in var.bins], dtype=np.float64)
    if var.kind == "numeric":
        return _Compiled(
            column, True, np.array(var.splits), np.zeros(1, np.int64), points, missing_bin
        )
    index = dict(schema.category_index(var.name))
    other = schema.column(var.name).other_code
    if other is not None:
        index[OTHER_LABEL] = other
    lookup = np.full(max(len(index), 1), missing_bin, dtype=np.int64)
    for b, bin_ in enumerate(var.bins[:-1]):
        for category in bin_.categories:
            if category in index:
                lookup[index[category]] = b
    return _Compiled(column, False, np.zeros(0), lookup, points, missing_bin)
