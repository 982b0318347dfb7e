"""The WMI table and brand aliases shipped in ``wmi.json`` (pure: reads package data once).

``wmi.json`` maps a World Manufacturer Identifier (VIN positions 1-3) to the manufacturer, its
country and the brands it builds, and lists every brand with its English and Chinese names,
aliases, country of origin and market tier. Its ``_sources`` block cites where each entry
comes from (docs/domain.md §3.3, the Wikipedia WMI list as mirrored by plastbox/vin-decode, and
well-known manufacturer/NHTSA codes we are confident of).

>>> lookup_wmi("LSV").manufacturer
'SAIC Volkswagen'
>>> brand_key("大众"), brand_key("Volkswagen"), brand_key(" VW ")
('volkswagen', 'volkswagen', 'volkswagen')
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

TIERS = ("budget", "mainstream", "premium", "luxury")
"""Ordered passenger-car tiers; the valuation uses the index as a numeric feature."""

_STRIP = re.compile(r"[\s\-_·.&'’()（）/]+")


@dataclass(frozen=True)
class Brand:
    key: str
    name_en: str
    names_zh: tuple[str, ...]
    origin: str
    tier: str

    @property
    def tier_rank(self) -> float | None:
        """0 budget … 3 luxury; None for commercial vehicles and motorcycles."""
        return float(TIERS.index(self.tier)) if self.tier in TIERS else None


@dataclass(frozen=True)
class WmiEntry:
    wmi: str
    manufacturer: str
    country: str
    brands: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class _Table:
    brands: dict[str, Brand]
    aliases: dict[str, str]
    wmi: dict[str, WmiEntry]
    sources: dict[str, str]


def _norm(text: str) -> str:
    return _STRIP.sub("", text.strip().lower())


@lru_cache(maxsize=1)
def _table() -> _Table:
    raw: dict[str, Any] = json.loads(
        resources.files("autolease.vehicle").joinpath("wmi.json").read_text(encoding="utf-8")
    )
    brands: dict[str, Brand] = {}
    aliases: dict[str, str] = {}
    for key, b in raw["brands"].items():
        brands[key] = Brand(key, b["en"], tuple(b["zh"]), b["origin"], b["tier"])
        for alias in (key, b["en"], *b["zh"], *b["aliases"]):
            aliases.setdefault(_norm(alias), key)
    wmi = {
        code: WmiEntry(code, e["manufacturer"], e["country"], tuple(e["brands"]), e["source"])
        for code, e in raw["wmi"].items()
    }
    return _Table(brands, aliases, wmi, dict(raw["_sources"]))


def wmi_count() -> int:
    return len(_table().wmi)


def sources() -> dict[str, str]:
    return dict(_table().sources)


def lookup_wmi(wmi: str) -> WmiEntry | None:
    return _table().wmi.get(wmi.strip().upper())


def brand(key: str) -> Brand | None:
    return _table().brands.get(key)


@lru_cache(maxsize=4096)
def brand_key(text: str | None) -> str | None:
    """The brand key for a declared brand in English or Chinese, or None when unknown.

    An exact alias wins; otherwise the longest alias (of at least two characters) contained
    in the text, so "广汽丰田凯美瑞" and "Mercedes-Benz C-Class" still resolve.
    """
    if not text:
        return None
    table = _table()
    norm = _norm(text)
    if not norm:
        return None
    exact = table.aliases.get(norm)
    if exact is not None:
        return exact
    best: tuple[int, str] | None = None
    for alias, key in table.aliases.items():
        if len(alias) >= 2 and alias in norm and (best is None or len(alias) > best[0]):
            best = (len(alias), key)
    if best is None or (best[0] < 3 and norm.isascii()):
        return None  # "ds" inside an English word is not a brand
    return best[1]
