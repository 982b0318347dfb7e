"""Lease products, schedules, APR, risk-based pricing, matching and the offers stage."""

from autolease.product.catalogue import Catalogue, CatalogueBox, LeaseProduct
from autolease.product.matching import MatchResult, match
from autolease.product.schedule import LeaseTerms, build_schedule
from autolease.product.stage import OffersStage

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
