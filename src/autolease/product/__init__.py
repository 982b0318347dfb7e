"""Lease products, schedules, APR, risk-based pricing, matching and the offers stage.

The names below are loaded on first use, so that importing `autolease.product.models` (as
the database layer does) does not import the matcher and NumPy.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from autolease.product.catalogue import Catalogue, CatalogueBox, LeaseProduct
    from autolease.product.matching import MatchResult, match
    from autolease.product.schedule import LeaseTerms, build_schedule
    from autolease.product.stage import OffersStage

_HOMES = {
    "Catalogue": "catalogue",
    "CatalogueBox": "catalogue",
    "LeaseProduct": "catalogue",
    "MatchResult": "matching",
    "match": "matching",
    "LeaseTerms": "schedule",
    "build_schedule": "schedule",
    "OffersStage": "stage",
}

__all__ = [
    "Catalogue",
    "CatalogueBox",
    "LeaseProduct",
    "LeaseTerms",
    "MatchResult",
    "OffersStage",
    "build_schedule",
    "match",
]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)
