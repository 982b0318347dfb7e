"""VIN decoding (pure): check digit and model year, then manufacturer, country and brands.

The check digit and the model year come from ``identity.identifiers.validate_vin`` (docs/domain.md
§3.3: the check digit is mandatory for Chinese and North-American VINs; the registration date
picks the 30-year model-year cycle). The WMI table adds manufacturer, country and brands.

>>> from datetime import date
>>> d = decode_vin("LSVAU218XN2183294", registered=date(2022, 5, 1))
>>> d.manufacturer, d.country, d.model_year, brand_agreement("大众", d)
('SAIC Volkswagen', 'CN', 2022, 'match')
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

from autolease.identity.identifiers import validate_vin
from autolease.vehicle.wmi import brand, brand_key, lookup_wmi

Agreement = Literal["match", "mismatch", "unknown"]

# First VIN character → region/country when the WMI itself is not in the table (ISO 3780).
_REGION_BY_FIRST = {
    **dict.fromkeys("12345", "north_america"),
    **dict.fromkeys("6", "oceania"),
    **dict.fromkeys("7", "oceania"),
    **dict.fromkeys("89", "south_america"),
    **dict.fromkeys("ABCDEFGH", "africa"),
    **dict.fromkeys("JKLMNPR", "asia"),
    **dict.fromkeys("STUVWXYZ", "europe"),
}
_COUNTRY_BY_FIRST = {"L": "CN", "J": "JP", "K": "KR", "W": "DE", "1": "US", "4": "US", "5": "US"}


@dataclass(frozen=True)
class VinDecoded:
    vin: str
    wmi: str
    vds: str
    vis: str
    check_digit_ok: bool
    model_year: int | None
    warnings: tuple[str, ...]
    manufacturer: str | None
    country: str | None
    region: str | None
    brands: tuple[str, ...]
    wmi_source: str | None

    @property
    def wmi_known(self) -> bool:
        return self.manufacturer is not None

    def brand_names(self) -> tuple[str, ...]:
        names = []
        for key in self.brands:
            b = brand(key)
            names.append(b.name_en if b else key)
        return tuple(names)


def decode_vin(value: str, *, registered: date | None = None) -> VinDecoded:
    """Validate and decode a VIN; raises ``IdentifierError`` as ``validate_vin`` does."""
    v = validate_vin(value, registration_date=registered)
    manufacturer, country, region, brands, source = _wmi_facts(v.wmi)
    return VinDecoded(
        vin=v.vin,
        wmi=v.wmi,
        vds=v.vds,
        vis=v.vis,
        check_digit_ok=v.check_digit_ok,
        model_year=v.model_year,
        warnings=v.warnings,
        manufacturer=manufacturer,
        country=country,
        region=region,
        brands=brands,
        wmi_source=source,
    )


@lru_cache(maxsize=4096)
def _wmi_facts(
    wmi: str,
) -> tuple[str | None, str | None, str | None, tuple[str, ...], str | None]:
    """Manufacturer, country, region, brands and table source of a WMI (once per WMI)."""
    entry = lookup_wmi(wmi)
    first = wmi[0]
    if entry is None:
        return None, _COUNTRY_BY_FIRST.get(first), _REGION_BY_FIRST.get(first), (), None
    return (
        entry.manufacturer,
        entry.country,
        _REGION_BY_FIRST.get(first),
        entry.brands,
        entry.source,
    )


def brand_agreement(declared: str | None, decoded: VinDecoded) -> Agreement:
    """Does the declared brand agree with the brands the WMI's manufacturer builds?

    ``unknown`` when the WMI is not in the table, it lists no brands (buses, trucks), or the
    declared brand is not one we know: a gap in our table is not evidence against the car.
    """
    key = brand_key(declared)
    if not decoded.brands or key is None:
        return "unknown"
    return "match" if key in decoded.brands else "mismatch"
