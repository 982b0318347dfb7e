"""The GB/T 2260 administrative-division table, read from python-stdnum's packaged copy."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from stdnum import numdb

_PLACEHOLDER_NAMES = frozenset({"市辖区", "县"})
_NAME_RE = re.compile(r"(?:\[(?P<start>[0-9]*)-(?P<end>[0-9]*)\])?(?P<name>.*)")


def _loc_db() -> numdb.NumDB:
    return numdb.get("cn/loc")


def _parse_names(raw: str) -> list[tuple[str, bool]]:
    """Split a ``cn/loc`` name field into ``(name, is_current)`` pairs.

    Fields look like ``"[-1991]东郊区,[1992-]东丽区"``; an entry is current
    when its validity range has no end year.
    """
    names: list[tuple[str, bool]] = []
    for entry in raw.split(","):
        match = _NAME_RE.fullmatch(entry.strip())
        if match is not None and match["name"]:
            names.append((match["name"], not match["end"]))
    return names


def _preferred_name(raw: str) -> str:
    names = _parse_names(raw)
    current = [name for name, is_current in names if is_current]
    if current:
        return current[-1]
    return names[-1][0] if names else ""


def _is_placeholder(name: str) -> bool:
    return name in _PLACEHOLDER_NAMES or "直辖县级" in name


def _county_field(code6: str) -> tuple[str, str] | None:
    """Return the raw ``(province, county)`` fields for a 6-digit code, if listed."""
    info = _loc_db().info(code6)
    if len(info) != 2:
        return None
    (_, province_props), (_, county_props) = info
    if "province" not in province_props or "county" not in county_props:
        return None
    return province_props["province"], county_props["county"]


@lru_cache(maxsize=8192)
def region_name(code6: str) -> str | None:
    """Human-readable name for a region code, or ``None`` if the code is unknown."""
    fields = _county_field(code6)
    if fields is None:
        return None
    province_raw, county_raw = fields
    # The xx0000 entry carries the province's current, simplified-Chinese name.
    province = _county_field(code6[:2] + "0000")
    parts = [_preferred_name(province[1] if province is not None else province_raw)]
    if code6[2:4] != "00" and code6[4:] != "00":
        prefecture = _county_field(code6[:4] + "00")
        if prefecture is not None:
            parts.append(_preferred_name(prefecture[1]))
    parts.append(_preferred_name(county_raw))
    kept: list[str] = []
    for part in parts:
        if part and not _is_placeholder(part) and part not in kept:
            kept.append(part)
    return "".join(kept)


def _expand(low: str, high: str) -> list[str]:
    return [f"{number:0{len(low)}d}" for number in range(int(low), int(high) + 1)]


def _iter_counties() -> Iterator[tuple[str, str]]:
    """Yield ``(code6, raw county field)`` for every entry of the region table."""
    for _, low, high, _props, children in _loc_db().prefixes:
        for province in _expand(low, high):
            for _, c_low, c_high, c_props, _children in children:
                for county in _expand(c_low, c_high):
                    yield province + county, c_props.get("county", "")


@lru_cache(maxsize=1)
def current_region_codes() -> tuple[str, ...]:
    """County-level region codes that are in use today.

    Intended for synthetic data generators. Codes ending in ``00``
    (province and prefecture level), historic-only codes and grouping
    placeholders such as ``市辖区`` are excluded.

    Returns
    -------
    tuple of str
        Sorted, unique 6-digit codes.
    """
    codes = {
        code
        for code, raw in _iter_counties()
        if not code.endswith("00")
        and any(is_current and not _is_placeholder(name) for name, is_current in _parse_names(raw))
    }
    return tuple(sorted(codes))
