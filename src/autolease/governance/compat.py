"""The compatibility gate (pure): can the origination facts supply a model's inputs?

A model's manifest states its inputs (name, dtype and, for a category, the values it knows).
The origination pipeline supplies a fixed set per kind of model: the declared credit
features, the declared fraud features, the valuation inputs. A model whose input is not
supplied, has another type, or knows none of the supplied categories is incompatible, and
`check` names each such input.

>>> from autolease.ml.registry import Feature
>>> [m.field for m in check("credit", [Feature("VALUE", "float"), Feature("LOAN", "float")])]
['VALUE', 'LOAN']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from autolease.ml.registry import Feature

Kind = Literal["credit", "fraud", "valuation"]
KINDS: tuple[Kind, ...] = ("credit", "fraud", "valuation")
_NUMERIC = frozenset({"float", "int", "bool"})
# The file that only a model of each kind has (see each domain's `to_files`).
_MARKER_FILES: dict[str, Kind] = {
    "model.json": "credit",
    "fraud_model.json": "fraud",
    "encoding.json": "valuation",
}


@dataclass(frozen=True)
class Supplied:
    dtype: str
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mismatch:
    field: str
    rule: Literal["missing", "dtype", "categories"]
    message_en: str
    message_zh: str


def kind_of(files: Iterable[str]) -> Kind | None:
    """The kind of a model from its file names, or None for an unknown layout."""
    names = set(files)
    for marker, kind in _MARKER_FILES.items():
        if marker in names:
            return kind
    return None


def supplied(kind: Kind) -> dict[str, Supplied]:
    """What the origination pipeline supplies to a model of `kind`, by input name."""
    if kind == "credit":
        from autolease.credit import features as credit

        return {f.name: Supplied(f.dtype, f.categories) for f in credit.FEATURES}
    if kind == "fraud":
        from autolease.fraud import features as fraud

        return {f.name: Supplied(f.dtype, f.categories) for f in fraud.FEATURES}
    from autolease.vehicle.features import CATEGORICAL, NUMERIC

    return {
        **{name: Supplied("category") for name in CATEGORICAL},
        **{name: Supplied("float") for name in NUMERIC},
    }


def check(kind: Kind, inputs: Sequence[Feature]) -> list[Mismatch]:
    """Every input of a model of `kind` that the origination facts cannot supply."""
    offered = supplied(kind)
    problems = []
    for feature in inputs:
        found = offered.get(feature.name)
        problem = _missing(feature) if found is None else _mismatch(feature, found)
        if problem is not None:
            problems.append(problem)
    return problems


def _missing(feature: Feature) -> Mismatch:
    return Mismatch(
        feature.name,
        "missing",
        f"the origination facts have no input {feature.name}",
        f"进件数据不提供模型输入 {feature.name}",
    )


def _mismatch(feature: Feature, found: Supplied) -> Mismatch | None:
    if _family(feature.dtype) != _family(found.dtype):
        return Mismatch(
            feature.name,
            "dtype",
            f"{feature.name} is {found.dtype} in the origination facts, "
            f"{feature.dtype} in the model",
            f"{feature.name} 类型不一致：进件为 {found.dtype}，模型为 {feature.dtype}",
        )
    known = feature.domain.get("categories") or []
    if found.categories and known and not set(known) & set(found.categories):
        return Mismatch(
            feature.name,
            "categories",
            f"{feature.name}: none of the model's values occur in the origination facts",
            f"{feature.name}：模型的取值在进件数据中均不存在",
        )
    return None


def _family(dtype: str) -> str:
    return "numeric" if dtype in _NUMERIC else dtype
