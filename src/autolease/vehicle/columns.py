"""Price tables → one canonical frame (pure: takes and returns pandas frames).

Any used-car price table can train the valuation once its columns are named. Common names are
recognised without help (``price``, ``selling_price``, ``year``, ``mileage``, ``km``,
``km_driven``, ``make``/``brand``, ``model``, ``fuel``/``fuelType``, ``transmission``/
``gearbox``, ``engine``/``engineSize``, ``regDate``/``creatDate`` …); anything else is given
as a mapping ``canonical=source`` — a string ``price=selling_price,mileage_km=kilometer*10000``
or a JSON/YAML object. ``*factor`` scales a numeric source (miles → km: ``*1.609344``;
Tianchi's 10,000-km unit: ``*10000``). ``extra=tax+mpg`` (or a list in JSON/YAML) adds further
numeric columns as model features. ``name=name`` splits a "Brand Model Trim" text.

Canonical columns (all optional except ``price`` and an age source):

=================  ==========================================================================
price              target, in the table's currency
brand, model       text; brand is normalised to the WMI table's brand key when known
fuel, transmission text, lower-cased (``petrol``, ``diesel``, ``hybrid``, ``bev`` …)
body, region       text
seller_type        text
registration_date  first registration (date, ``YYYYMMDD`` or ISO text)
sale_date          listing/sale date; with ``registration_date`` it gives the exact age
year               registration (or model) year; age = reference year − year
age_years          given directly
mileage_km         odometer in km
engine_l           displacement in litres (values above 50 are taken as cc)
power              power (kW or hp: the unit only needs to be consistent in one table)
condition          condition grade (0 best … 4)
transfers          previous owners / transfers (``First Owner`` → 0 …)
accident_grade     0 none, 1 structural, 2 flood, 3 fire
damage             unrepaired damage flag (0/1; ``-`` is unknown)
=================  ==========================================================================
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd  # type: ignore[import-untyped]
import yaml

from autolease.vehicle.features import normalise_fuel, normalise_region
from autolease.vehicle.wmi import brand_key

TEXT = ("brand", "model", "fuel", "transmission", "body", "region", "seller_type")
NUMBER = (
    "price",
    "year",
    "age_years",
    "mileage_km",
    "engine_l",
    "power",
    "condition",
    "transfers",
    "accident_grade",
    "damage",
)
DATES = ("registration_date", "sale_date")
CANONICAL = (*TEXT, *NUMBER, *DATES, "name")

# Recognised source names (compared lower-case with spaces, dashes and underscores removed).
_ALIASES: dict[str, tuple[str, ...]] = {
    "price": ("price", "sellingprice", "saleprice", "pricecny", "listprice"),
    "brand": ("brand", "make", "manufacturer", "marque", "declaredbrand"),
    "model": ("model", "modelname", "series", "declaredmodel"),
    "fuel": ("fuel", "fueltype"),
    "transmission": ("transmission", "gearbox", "trans"),
    "body": ("body", "bodytype"),
    "region": ("region", "regioncode", "city", "province", "location"),
    "seller_type": ("sellertype",),
    "year": ("year", "regyear", "registrationyear", "modelyear", "manufactureyear"),
    "age_years": ("age", "ageyears", "vehicleage"),
    "registration_date": ("regdate", "registrationdate", "firstregistrationdate"),
    "sale_date": ("creatdate", "saledate", "listingdate", "applicationdate"),
    "mileage_km": (
        "km",
        "kms",
        "kmdriven",
        "kmsdriven",
        "kilometer",
        "kilometre",
        "kilometers",
        "kilometres",
        "mileagekm",
        "odometer",
        "odometerkm",
        "declaredmileagekm",
        "mileage",
    ),
    "engine_l": ("engine", "enginesize", "enginel", "displacement"),
    "power": ("power", "maxpower", "powerkw", "hp", "bhp"),
    "condition": ("condition", "conditiongrade"),
    "transfers": ("transfers", "transfercount", "owner", "owners", "previousowners"),
    "accident_grade": ("accidentgrade",),
    "damage": ("notrepaireddamage", "damage", "unrepaireddamage"),
    "name": ("name", "title"),
}
_OWNER_WORDS = {"first": 0, "second": 1, "third": 2, "fourth": 3, "testdrive": 0}
_SCALED = re.compile(r"^(?P<col>.+?)\s*\*\s*(?P<factor>[0-9.eE+-]+)$")


class ColumnError(ValueError):
    """A mapping names a column the table lacks, or the table has no price or age source."""


@dataclass(frozen=True)
class ColumnMapping:
    """canonical → (source column, scale factor); ``extra`` are further numeric features."""

    columns: dict[str, tuple[str, float]] = field(default_factory=dict)
    extra: tuple[str, ...] = ()


def _key(name: str) -> str:
    return re.sub(r"[\s_\-()（）£$]+", "", str(name).lower())


def _raw_mapping(spec: str) -> Mapping[str, Any]:
    path = Path(spec)
    if path.suffix.lower() in (".json", ".yaml", ".yml") and path.is_file():
        text = path.read_text(encoding="utf-8")
        loaded = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
        if not isinstance(loaded, Mapping):
            raise ColumnError("a column-mapping file must hold an object")
        return loaded
    raw: dict[str, str] = {}
    for pair in (p for p in spec.split(",") if p.strip()):
        target, sep, source = pair.partition("=")
        if not sep:
            raise ColumnError(f"mapping entry {pair.strip()!r} is not canonical=source")
        raw[target.strip()] = source.strip()
    return raw


def parse_mapping(spec: str | Mapping[str, Any] | None) -> ColumnMapping:
    """Parse ``a=b,c=d*10`` text, a JSON/YAML file path, or an already-loaded mapping."""
    if spec is None or spec == "":
        return ColumnMapping()
    raw = _raw_mapping(spec) if isinstance(spec, str) else spec
    columns: dict[str, tuple[str, float]] = {}
    extra: tuple[str, ...] = ()
    for target, source in raw.items():
        if target == "extra":
            items = source if isinstance(source, list) else re.split(r"[+;|]", str(source))
            extra = tuple(str(s).strip() for s in items if str(s).strip())
            continue
        if target not in CANONICAL:
            raise ColumnError(f"unknown canonical column {target!r}; one of {', '.join(CANONICAL)}")
        match = _SCALED.match(str(source))
        if match:
            columns[target] = (match["col"].strip(), float(match["factor"]))
        else:
            columns[target] = (str(source).strip(), 1.0)
    return ColumnMapping(columns, extra)


def resolve(table_columns: list[str], mapping: ColumnMapping) -> ColumnMapping:
    """Fill the mapping with recognised names for every canonical column not mapped yet."""
    by_key = {_key(c): c for c in table_columns}
    used = {source for source, _ in mapping.columns.values()}
    columns = dict(mapping.columns)
    for target, aliases in _ALIASES.items():
        if target in columns:
            continue
        for alias in aliases:
            source = by_key.get(alias)
            if source is not None and source not in used:
                columns[target] = (source, 1.0)
                used.add(source)
                break
    for target, (source, _) in columns.items():
        if source not in table_columns:
            raise ColumnError(f"column {source!r} (for {target}) is not in the table")
    for source in mapping.extra:
        if source not in table_columns:
            raise ColumnError(f"extra column {source!r} is not in the table")
    return ColumnMapping(columns, mapping.extra)


def _dates(series: Any) -> Any:
    """Dates from ``YYYYMMDD`` integers (month 00 → January) or any parseable text."""
    text = series.astype("string").str.strip().str.replace(r"\.0$", "", regex=True)
    compact = text.str.fullmatch(r"\d{8}").fillna(False)
    out = pd.to_datetime(text.where(~compact), errors="coerce", format="mixed")
    if compact.any():
        c = text[compact]
        month = c.str[4:6].astype(int).clip(1, 12)
        day = c.str[6:8].astype(int).clip(1, 28)
        fixed = c.str[:4] + month.map("{:02d}".format) + day.map("{:02d}".format)
        out.loc[compact] = pd.to_datetime(fixed, format="%Y%m%d", errors="coerce")
    return out


def _numbers(series: Any, factor: float = 1.0) -> Any:
    if not pd.api.types.is_numeric_dtype(series):
        series = series.astype("string").str.extract(r"([-+]?[0-9]*\.?[0-9]+)")[0]
    values = pd.to_numeric(series, errors="coerce").astype(float)
    return values * factor


def _transfers(series: Any) -> Any:
    if pd.api.types.is_numeric_dtype(series):
        return pd.to_numeric(series, errors="coerce").astype(float)
    keys = series.astype("string").map(lambda s: _key(str(s)))
    words = keys.map(lambda k: next((v for w, v in _OWNER_WORDS.items() if w in k), np.nan))
    return words.astype(float).fillna(_numbers(series))


def _text(series: Any) -> Any:
    if pd.api.types.is_float_dtype(series):  # numeric codes: 3.0 -> "3"
        series = series.astype("Int64")
    text = series.astype("string").str.strip().str.lower()
    return text.where(text != "", pd.NA).astype(object).where(text.notna(), None)


def canonical_frame(
    table: Any,
    mapping: ColumnMapping | None = None,
    *,
    reference_year: float | None = None,
    labelled: bool = True,
) -> tuple[Any, dict[str, Any]]:
    """Map a raw price table to the canonical frame; returns (frame, info).

    ``info`` records the resolved mapping, the reference year used for ``year`` → age, and how
    many rows were dropped (no price, no age, negative or implausible age). With
    ``labelled=False`` (scoring) no price is needed and every row is kept, one per input row;
    an implausible age is then left missing.
    """
    resolved = resolve(list(table.columns), mapping or ColumnMapping())
    cols = resolved.columns
    if labelled and "price" not in cols:
        raise ColumnError("no price column: map one with price=<column>")
    out = _text_columns(table, cols)
    for target in NUMBER:
        if target in cols and target != "transfers":
            source, factor = cols[target]
            out[target] = _numbers(table[source], factor)
    if "transfers" in cols:
        out["transfers"] = _transfers(table[cols["transfers"][0]])
    if "engine_l" in out:
        engine = out["engine_l"]
        out["engine_l"] = engine.where(engine <= 50, engine / 1000).where(engine > 0)
    info: dict[str, Any] = {"mapping": {k: f"{s}*{f:g}" for k, (s, f) in cols.items()}}
    out["age_years"] = _age(table, cols, out, info, reference_year)
    for source in resolved.extra:
        out[f"extra_{source}"] = _numbers(table[source])
    before = len(out)
    plausible = out["age_years"].between(0, 40)
    if labelled:
        out = out[out["price"].gt(0) & plausible]
    else:
        out["age_years"] = out["age_years"].where(plausible)
    out = out.drop(columns=[c for c in ("year",) if c in out]).reset_index(drop=True)
    info["rows_in"] = before
    info["rows_dropped"] = before - len(out)
    info["extra"] = list(resolved.extra)
    return out, info


def _text_columns(table: Any, cols: dict[str, tuple[str, float]]) -> Any:
    out = pd.DataFrame(index=table.index)
    for target in TEXT:
        if target in cols:
            out[target] = _text(table[cols[target][0]])
    if "name" in cols and ("brand" not in out or "model" not in out):
        parts = table[cols["name"][0]].astype("string").str.strip().str.split(r"\s+", n=2)
        if "brand" not in out:
            out["brand"] = _text(parts.str[0])
        if "model" not in out:
            out["model"] = _text(parts.str[1])
    if "fuel" in out:
        out["fuel"] = out["fuel"].map(normalise_fuel)
    if "region" in out:
        out["region"] = out["region"].map(normalise_region)
    if "brand" in out:
        out["brand"] = out["brand"].map(lambda b: brand_key(b) or b if b else None)
    return out


def _age(
    table: Any,
    cols: dict[str, tuple[str, float]],
    out: Any,
    info: dict[str, Any],
    reference_year: float | None,
) -> Any:
    if "age_years" in out:
        return out["age_years"]
    if "registration_date" in cols:
        registered = _dates(table[cols["registration_date"][0]])
        if "sale_date" in cols:
            sold = _dates(table[cols["sale_date"][0]])
        else:
            sold = pd.Series(pd.Timestamp(registered.max()), index=table.index)
        info["age_source"] = "registration_date/sale_date"
        return (sold - registered).dt.days / 365.25
    if "year" in out:
        year = out["year"]
        if reference_year is None:
            # A robust "data as of" year: typos such as 2060 do not move it.
            counts = year.dropna().value_counts()
            common = counts[counts >= max(1.0, 0.001 * len(year))]
            reference_year = float(common.index.max())
        info["age_source"] = "year"
        info["reference_year"] = reference_year
        return reference_year - year
    raise ColumnError("no age source: give year, registration_date or age_years")
