"""The points table and its pure re-scoring (no optbinning, no scikit-learn).

A `PointsTable` is a plain structure of bins and points, saved as JSON (scored) and CSV
(reviewed). `CompiledScorecard` binds it to an input schema and scores encoded matrices with
numpy alone: each input's bin is found (``searchsorted`` for numbers, a lookup for
categories, the bin holding the "rare or unseen" level for a level training did not learn
when the column has one, the missing bin for anything absent) and the points are summed. The
score is ``base_points + Σ points``; the PD follows from the score scale, so the table alone
reproduces every figure. Training is in `credit.binning`.

A variable may be a **2-D characteristic** (an interaction of two numeric inputs, `columns`
names both): its bins are cells, each a box ``lower <= first < upper`` and
``lower_2 <= second < upper_2``, and its missing cell holds the rows where either input is
missing. A row scores the points of its cell; the points it loses there are shared equally
by the two inputs, so a reason names both. A table with such a variable is written as
format ``autolease.scorecard/2``; one without stays ``/1`` (older readers still read it).
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
FORMAT_2D = "autolease.scorecard/2"
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
    lower_2: float | None = None
    upper_2: float | None = None

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
        if not self.missing and (self.lower_2, self.upper_2) != (None, None):
            data["lower_2"], data["upper_2"] = self.lower_2, self.upper_2
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
            lower_2=_opt_float(data.get("lower_2")),
            upper_2=_opt_float(data.get("upper_2")),
        )


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class ScorecardVariable:
    """One characteristic of the scorecard: its bins (the missing bin last) and coefficient.

    ``columns`` is empty for a characteristic of one input (the input is ``name``) and names
    both inputs of a 2-D characteristic, whose bins are boxes (see the module note).
    """

    name: str
    kind: ColumnKind
    iv: float
    coefficient: float
    bins: tuple[ScorecardBin, ...]
    columns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.bins or not self.bins[-1].missing:
            raise ValueError(f"variable {self.name!r}: the last bin must be the missing bin")
        if self.columns and (len(self.columns) != 2 or self.kind != "numeric"):
            raise ValueError(f"variable {self.name!r}: a 2-D characteristic of two numbers")

    @property
    def inputs(self) -> tuple[str, ...]:
        """The model inputs this characteristic reads."""
        return self.columns or (self.name,)

    @property
    def splits(self) -> tuple[float, ...]:
        """Numeric cut points: bin ``i`` holds ``splits[i-1] <= x < splits[i]``."""
        return tuple(b.upper for b in self.bins[:-2] if b.upper is not None)

    @property
    def max_points(self) -> float:
        return max(b.points for b in self.bins)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "kind": self.kind,
            "iv": self.iv,
            "coefficient": self.coefficient,
            "bins": [b.to_json() for b in self.bins],
        }
        if self.columns:
            data["columns"] = list(self.columns)
        return data

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
            columns=tuple(str(c) for c in data.get("columns", ())),
        )


@dataclass(frozen=True)
class PointsTable:
    """The whole scorecard: scale, base points and the variables' bins and points."""

    scaling: ScoreScaling
    intercept: float
    base_points: float
    variables: tuple[ScorecardVariable, ...]

    def to_json(self) -> dict[str, Any]:
        two_d = any(v.columns for v in self.variables)
        return {
            "format": FORMAT_2D if two_d else FORMAT,
            "scaling": self.scaling.to_json(),
            "intercept": self.intercept,
            "base_points": self.base_points,
            "variables": [v.to_json() for v in self.variables],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PointsTable:
        if data.get("format") not in (FORMAT, FORMAT_2D):
            raise ValueError(f"not a points table of format {FORMAT} or {FORMAT_2D}")
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
    column_2: int = -1  # the second input of a 2-D characteristic
    boxes: F64 | None = None  # its cells: rows of (lower, upper, lower_2, upper_2)


class CompiledScorecard:
    """A `PointsTable` bound to an input schema, ready to score encoded matrices."""

    def __init__(self, table: PointsTable, schema: InputSchema) -> None:
        self.table = table
        self.schema = schema
        position = {name: j for j, name in enumerate(schema.names)}
        compiled = []
        for var in table.variables:
            absent = [name for name in var.inputs if name not in position]
            if absent:
                raise ValueError(f"scorecard variable {absent[0]!r} is not a model input")
            if var.columns:
                compiled.append(
                    _compile_2d(var, position[var.columns[0]], position[var.columns[1]])
                )
            else:
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
            if var.boxes is not None:
                out[:, k] = box_index(col, x[:, var.column_2], var.boxes)
                continue
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
        """`points_lost` from an already computed `points` matrix.

        A 2-D characteristic's lost points are shared equally by its two inputs; an input in
        several characteristics adds up what it loses in each.
        """
        out = np.zeros((pts.shape[0], width), dtype=np.float64)
        for k, var in enumerate(self._vars):
            lost = var.points.max() - pts[:, k]
            if var.column_2 < 0:
                out[:, var.column] += lost
            else:
                out[:, var.column] += lost / 2
                out[:, var.column_2] += lost / 2
        return out


def box_index(first: F64, second: F64, boxes: F64) -> I64:
    """The cell of every row among `boxes` (lower, upper, lower_2, upper_2; bounds inclusive
    below, exclusive above); rows with either value missing, or in no box, get the missing
    cell ``len(boxes)``."""
    out = np.full(len(first), len(boxes), dtype=np.int64)
    for cell in range(len(boxes) - 1, -1, -1):  # the first box holding a row wins
        lo, hi, lo_2, hi_2 = boxes[cell]
        inside = (first >= lo) & (first < hi) & (second >= lo_2) & (second < hi_2)
        out[inside] = cell
    return out


def _compile_2d(var: ScorecardVariable, column: int, column_2: int) -> _Compiled:
    regular = var.bins[:-1]
    boxes = np.array(
        [[_bound(b.lower, -np.inf), _bound(b.upper, np.inf),
          _bound(b.lower_2, -np.inf), _bound(b.upper_2, np.inf)] for b in regular],
        dtype=np.float64,
    ).reshape(len(regular), 4)  # fmt: skip
    points = np.array([b.points for b in var.bins], dtype=np.float64)
    empty = np.zeros(0)
    return _Compiled(
        column, True, empty, np.zeros(1, np.int64), points, len(regular), column_2, boxes
    )


def _bound(value: float | None, default: float) -> float:
    return default if value is None else value


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
