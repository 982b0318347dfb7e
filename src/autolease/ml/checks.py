"""A generic contract suite every registered model passes (architecture §5.12), pure.

Each model class supplies a `ModelCase`: how to fit it on small data with a fixed seed, how
to score records (dicts of inputs), how to save it to files and load it back, and which
inputs are declared monotone. `yield_checks` lists the checks and `check_model` runs them:

- determinism: a second fit gives the same files and the same scores;
- feature-order invariance: shuffling a record's keys does not change its score;
- missing inputs: a record with any input (or every input) missing still scores, in [0, 1];
- monotonicity: along each declared input, scores move only in the declared direction;
- round trip: saved files hold no pickle, and the loaded model scores identically.

>>> case = ModelCase("const", fit=lambda: 0.5, predict=lambda m, rs: np.full(len(rs), m),
...                  records=[{"x": 1.0}], save=lambda m: {"m.json": b"0.5"},
...                  load=lambda files: float(files["m.json"]))
>>> check_model(case)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
Record = Mapping[str, Any]
_PICKLE_MAGIC = (b"\x80\x02", b"\x80\x03", b"\x80\x04", b"\x80\x05")


class ContractViolation(AssertionError):
    """A model broke one of the contract checks."""


@dataclass(frozen=True)
class ModelCase:
    """What the suite needs to know about one model class."""

    name: str
    fit: Callable[[], Any]
    predict: Callable[[Any, Sequence[Record]], Any]
    records: Sequence[Record]
    save: Callable[[Any], Mapping[str, bytes]]
    load: Callable[[Mapping[str, bytes]], Any]
    monotone: Mapping[str, int] = field(default_factory=dict)
    monotone_grid: Mapping[str, Sequence[float]] = field(default_factory=dict)
    tolerance: float = 1e-9


def _scores(case: ModelCase, model: Any, records: Sequence[Record]) -> F64:
    return np.asarray(case.predict(model, records), dtype=np.float64)


def check_determinism(case: ModelCase, model: Any) -> None:
    first, second = model, case.fit()
    if dict(case.save(first)) != dict(case.save(second)):
        raise ContractViolation(f"{case.name}: two fits with the same seed saved different files")
    a, b = _scores(case, first, case.records), _scores(case, second, case.records)
    if not np.array_equal(a, b):
        raise ContractViolation(f"{case.name}: two fits with the same seed score differently")


def check_feature_order_invariance(case: ModelCase, model: Any) -> None:
    shuffled = [dict(reversed(list(r.items()))) for r in case.records]
    if not np.allclose(_scores(case, model, case.records), _scores(case, model, shuffled)):
        raise ContractViolation(f"{case.name}: the order of a record's inputs changed its score")


def check_missing_features(case: ModelCase, model: Any) -> None:
    names = sorted({k for r in case.records for k in r})
    variants: list[Record] = [{}]
    for name in names:
        variants += [{k: v for k, v in r.items() if k != name} for r in case.records[:3]]
        variants += [{**r, name: None} for r in case.records[:3]]
    scores = _scores(case, model, variants)
    if not np.all(np.isfinite(scores)) or scores.min() < 0 or scores.max() > 1:
        raise ContractViolation(f"{case.name}: a record with missing inputs did not score in [0,1]")


def check_monotonicity(case: ModelCase, model: Any) -> None:
    for name, direction in case.monotone.items():
        grid = list(case.monotone_grid.get(name, ()))
        if not grid or direction == 0:
            continue
        for record in case.records[:5]:
            scores = _scores(case, model, [{**record, name: v} for v in grid])
            steps = np.diff(scores) * np.sign(direction)
            if steps.min() < -case.tolerance:
                raise ContractViolation(
                    f"{case.name}: score moves against the declared direction of {name}"
                )


def check_round_trip(case: ModelCase, model: Any) -> None:
    files = case.save(model)
    for filename, data in files.items():
        if data.startswith(_PICKLE_MAGIC):
            raise ContractViolation(f"{case.name}: {filename} looks like a pickle")
    loaded = case.load(files)
    if not np.allclose(_scores(case, model, case.records), _scores(case, loaded, case.records)):
        raise ContractViolation(f"{case.name}: the loaded model scores differently")


Check = Callable[[ModelCase, Any], None]
CHECKS: tuple[Check, ...] = (
    check_determinism,
    check_feature_order_invariance,
    check_missing_features,
    check_monotonicity,
    check_round_trip,
)


def yield_checks(case: ModelCase) -> Iterator[Check]:
    """The checks that apply to `case` (monotonicity only when something is declared)."""
    for check in CHECKS:
        if check is check_monotonicity and not case.monotone:
            continue
        yield check


def check_model(case: ModelCase) -> None:
    """Fit once, then run every applicable check (determinism fits a second time).

    Raises
    ------
    ContractViolation
        On the first check that fails.
    """
    model = case.fit()
    for check in yield_checks(case):
        check(case, model)
