"""The fraud model: a LightGBM booster over `features.FEATURES`, with its thresholds (pure).

Saved as two native files (no pickle): ``model.txt`` (LightGBM's text format) and
``fraud_model.json`` (input names, dtypes and categories, the refer threshold and the
training metrics). `FraudModel.from_files` rebuilds it; the registry
(`autolease.ml.registry`) verifies both files' sha256 before they are read.

Categorical inputs are encoded as the index of their category (unknown or missing → NaN,
LightGBM's missing value); ordinal inputs (dtype ``ordinal``: text values in a known order,
see `tabular`) the same way, but the booster treats the index as a number; booleans as 0/1.
An input may appear twice (as ``category`` and ``ordinal``); `explain` adds up its parts.
``fraud_model.json`` carries ``format`` (2 since ordinal inputs; files without it are 1 and
load as before); a newer format or an unknown dtype is refused rather than mis-scored.
`explain` gives each input's contribution to the log-odds (LightGBM's TreeSHAP,
``pred_contrib``) for the reason codes.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from autolease.fraud.features import FEATURE_SET, FeatureSpec

F64 = npt.NDArray[np.float64]
MODEL_FILE = "model.txt"
META_FILE = "fraud_model.json"
FORMAT = 2
DTYPES = frozenset({"float", "bool", "category", "ordinal"})
INDEXED = frozenset({"category", "ordinal"})


def _lgb() -> Any:
    import lightgbm

    return lightgbm


@dataclass(frozen=True)
class Contribution:
    feature: str
    value: float  # contribution to the log-odds


def _number(value: Any) -> float:
    if value is None or isinstance(value, str):
        return math.nan
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def category_index(spec: FeatureSpec) -> dict[str, float]:
    """Value → position in ``spec.categories`` (the encoding of categorical and ordinal inputs)."""
    return {c: float(i) for i, c in enumerate(spec.categories)}


def encode(specs: Sequence[FeatureSpec], records: Sequence[Mapping[str, Any]]) -> F64:
    """Records (dicts of inputs) → a float64 matrix in `specs` order.

    >>> from autolease.fraud.features import FeatureSpec
    >>> specs = (FeatureSpec("x", "float", "t", ""), FeatureSpec("c", "category", "t", "",
    ...          ("a", "b")))
    >>> encode(specs, [{"x": True, "c": "b"}, {"c": "z"}]).tolist()
    [[1.0, 1.0], [nan, nan]]
    """
    out = np.full((len(records), len(specs)), np.nan)
    for j, spec in enumerate(specs):
        if spec.dtype in INDEXED:
            index = category_index(spec)
            out[:, j] = [index.get(r.get(spec.name), math.nan) for r in records]  # type: ignore[arg-type]
        else:
            out[:, j] = [_number(r.get(spec.name)) for r in records]
    return out


@dataclass
class FraudModel:
    """A trained fraud booster with its inputs and refer threshold."""

    booster: Any
    specs: tuple[FeatureSpec, ...]
    refer_threshold: float
    metrics: dict[str, Any] = field(default_factory=dict)
    name: str = "fraud_gbm"
    version: str = "0"
    num_threads: int = 1

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.specs)

    def categorical_positions(self) -> list[int]:
        return [j for j, s in enumerate(self.specs) if s.dtype == "category"]

    def score_matrix(self, x: F64) -> F64:
        """Probabilities of fraud for an encoded matrix."""
        return np.asarray(self.booster.predict(x, num_threads=self.num_threads), dtype=np.float64)

    def score(self, records: Sequence[Mapping[str, Any]]) -> F64:
        """Probabilities of fraud for records (dicts of inputs)."""
        return self.score_matrix(encode(self.specs, records))

    def explain(self, record: Mapping[str, Any], top: int = 3) -> list[Contribution]:
        """The `top` inputs that raise the log-odds most (positive contributions only).

        Parts of one input (its categorical and ordinal encodings) are added up.
        """
        x = encode(self.specs, [record])
        contrib = np.asarray(
            self.booster.predict(x, pred_contrib=True, num_threads=self.num_threads)
        )[0, :-1]
        by_input: dict[str, float] = {}
        for spec, value in zip(self.specs, contrib.tolist(), strict=True):
            by_input[spec.name] = by_input.get(spec.name, 0.0) + value
        ranked = sorted(by_input.items(), key=lambda item: -item[1])[:top]
        return [Contribution(name, value) for name, value in ranked if value > 0]

    # ---- files ------------------------------------------------------------------------------

    def to_files(self) -> dict[str, bytes]:
        meta = {
            "format": FORMAT,
            "feature_set": FEATURE_SET,
            "features": [
                {"name": s.name, "dtype": s.dtype, "source": s.source,
                 "description": s.description, "categories": list(s.categories)}
                for s in self.specs
            ],
            "refer_threshold": self.refer_threshold,
            "metrics": self.metrics,
        }  # fmt: skip
        text = str(self.booster.model_to_string())
        return {
            MODEL_FILE: text.encode(),
            META_FILE: (
                json.dumps(meta, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
            ).encode(),
        }

    @classmethod
    def from_files(
        cls, files: Mapping[str, bytes], *, name: str, version: str, num_threads: int = 1
    ) -> FraudModel:
        """Rebuild from `to_files` output (raises KeyError/ValueError when malformed)."""
        meta = json.loads(files[META_FILE].decode())
        if int(meta.get("format", 1)) > FORMAT:
            raise ValueError(
                f"fraud model format {meta['format']} is newer than this code ({FORMAT})"
            )
        specs = tuple(
            FeatureSpec(f["name"], f["dtype"], f["source"], f["description"],
                        tuple(f.get("categories", ())))
            for f in meta["features"]
        )  # fmt: skip
        unknown = sorted({s.dtype for s in specs} - DTYPES)
        if unknown:
            raise ValueError(f"unknown input dtypes {unknown}")
        booster = _lgb().Booster(model_str=files[MODEL_FILE].decode())
        if booster.num_feature() != len(specs):
            raise ValueError("the booster and the feature list disagree on the number of inputs")
        return cls(
            booster=booster,
            specs=specs,
            refer_threshold=float(meta["refer_threshold"]),
            metrics=dict(meta.get("metrics", {})),
            name=name,
            version=version,
            num_threads=num_threads,
        )
