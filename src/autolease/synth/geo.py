"""Geography and the SP network: cities, region codes and service providers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from autolease.identity.identifiers import current_region_codes
from autolease.synth import calibration as cal
from autolease.synth import text

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]

PROVINCE_CODES = {
    "京": "BJ", "津": "TJ", "沪": "SH", "渝": "CQ", "冀": "HE", "晋": "SX", "蒙": "NM",
    "辽": "LN", "吉": "JL", "黑": "HL", "苏": "JS", "浙": "ZJ", "皖": "AH", "闽": "FJ",
    "赣": "JX", "鲁": "SD", "豫": "HA", "鄂": "HB", "湘": "HN", "粤": "GD", "桂": "GX",
    "琼": "HI", "川": "SC", "贵": "GZ", "云": "YN", "藏": "XZ", "陕": "SN", "甘": "GS",
    "青": "QH", "宁": "NX", "新": "XJ",
}  # fmt: skip


@dataclass(frozen=True)
class Geo:
    """City table as arrays plus GB/T 2260 county codes per city."""

    province: tuple[str, ...]
    plate_char: tuple[str, ...]
    city: tuple[str, ...]
    lat: F64
    lon: F64
    weight: F64
    income: F64
    plate_letters: tuple[str, ...]
    province_index: I64
    city_codes: tuple[I64, ...]
    migrant_codes: I64
    all_codes: I64

    @property
    def n_cities(self) -> int:
        """Number of cities."""
        return len(self.city)


@lru_cache(maxsize=1)
def load_geo() -> Geo:
    """Build the city table (cached).

    Returns
    -------
    Geo
    """
    rows = cal.CITIES
    codes = np.array([int(c) for c in current_region_codes()], dtype=np.int64)
    code_text = current_region_codes()
    provinces = tuple(dict.fromkeys(r[0] for r in rows))
    weight = np.array([r[6] for r in rows], dtype=np.float64)
    city_codes = tuple(
        np.array([int(c) for c in code_text if c.startswith(r[3])], dtype=np.int64) for r in rows
    )
    migrant = np.array(
        [int(c) for c in code_text if c[:2] in cal.MIGRANT_SOURCE_PREFIXES], dtype=np.int64
    )
    return Geo(
        province=tuple(r[0] for r in rows),
        plate_char=tuple(r[1] for r in rows),
        city=tuple(r[2] for r in rows),
        lat=np.array([r[4] for r in rows]),
        lon=np.array([r[5] for r in rows]),
        weight=weight / weight.sum(),
        income=np.array([float(r[7]) for r in rows]),
        plate_letters=tuple(r[8] for r in rows),
        province_index=np.array([provinces.index(r[0]) for r in rows], dtype=np.int64),
        city_codes=city_codes,
        migrant_codes=migrant,
        all_codes=codes,
    )


def region_codes_in_cities(rng: np.random.Generator, city: I64, geo: Geo) -> I64:
    """A random county code inside each row's city.

    Parameters
    ----------
    rng : numpy.random.Generator
    city : ndarray of int64
        City index per row.
    geo : Geo

    Returns
    -------
    ndarray of int64
        Six-digit region codes.
    """
    sizes = np.array([len(c) for c in geo.city_codes], dtype=np.int64)
    flat = np.concatenate(geo.city_codes)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    pick = (rng.random(len(city)) * sizes[city]).astype(np.int64)
    return flat[starts[city] + pick]


@dataclass(frozen=True)
class Sps:
    """The SP network (observable columns plus latent truth)."""

    code: tuple[str, ...]
    city: I64
    grade: I64
    quality: F64
    weight: F64
    is_bad: B
    is_colluding: B
    onboarded: npt.NDArray[np.int64]  # days since 1970-01-01

    @property
    def n(self) -> int:
        """Number of SPs."""
        return len(self.code)


def make_sps(rng: np.random.Generator, n: int, start: date, geo: Geo) -> Sps:
    """Draw the SP network.

    Parameters
    ----------
    rng : numpy.random.Generator
    n : int
        Number of SPs.
    start : date
        Start of the application window (SPs are onboarded before it, bad ones recently).
    geo : Geo

    Returns
    -------
    Sps
    """
    city = rng.choice(geo.n_cities, size=n, p=geo.weight)
    grade = rng.choice(4, size=n, p=np.array(cal.SP_GRADE_WEIGHTS))
    quality = np.array([1.0, 0.3, -0.3, -1.0])[grade] + rng.normal(0, 0.6, n)
    weight = rng.lognormal(0, 0.9, n)
    n_bad = max(1, round(n * cal.BAD_SP_SHARE))
    n_coll = max(1, round(n * cal.COLLUDING_SP_SHARE))
    order = rng.permutation(n)
    is_bad = np.zeros(n, dtype=bool)
    is_bad[order[:n_bad]] = True
    is_colluding = np.zeros(n, dtype=bool)
    is_colluding[order[n_bad : n_bad + n_coll]] = True
    grade = np.where(is_bad, rng.choice([1, 2], size=n), grade)
    weight = np.where(is_bad, weight * 0.3, weight)  # new, small SPs
    quality = np.where(is_bad, quality - 1.0, quality)
    start_day = (np.datetime64(start, "D") - np.datetime64("1970-01-01", "D")).astype(np.int64)
    onboarded = start_day - rng.integers(60, 2500, n)
    onboarded = np.where(is_bad, start_day - rng.integers(10, 200, n), onboarded)
    codes = tuple(f"SP-{PROVINCE_CODES[geo.plate_char[c]]}-{i + 1:05d}" for i, c in enumerate(city))
    return Sps(codes, city, grade, quality, weight / weight.sum(), is_bad, is_colluding, onboarded)


def sps_tables(sps: Sps, geo: Geo, rng: np.random.Generator) -> tuple[Any, Any]:
    """The ``sps`` table and the ``sp_truth`` table.

    Parameters
    ----------
    sps : Sps
    geo : Geo
    rng : numpy.random.Generator

    Returns
    -------
    tuple of pyarrow.Table
    """
    words = rng.integers(0, len(cal.COMPANY_WORDS), sps.n)
    kinds = rng.integers(0, 3, sps.n)
    names = text.join(
        text.take(geo.city, sps.city),
        text.take(cal.COMPANY_WORDS, words),
        text.take(("汽车服务有限公司", "二手车经纪有限公司", "汽车销售有限公司"), kinds),
    )
    deposit = (rng.integers(5, 60, sps.n) * 10_000 * 100).astype(np.int64)
    observable = pa.table(
        {
            "sp_code": pa.array(sps.code),
            "name": names,
            "province": text.take(geo.province, sps.city),
            "city": text.take(geo.city, sps.city),
            "grade": text.take(cal.SP_GRADES, sps.grade),
            "onboarded_on": pa.array(sps.onboarded.astype("datetime64[D]")),
            "deposit_balance_fen": pa.array(deposit),
        }
    )
    truth = pa.table(
        {
            "sp_code": pa.array(sps.code),
            "is_bad_sp": pa.array(sps.is_bad),
            "is_colluding_sp": pa.array(sps.is_colluding),
            "latent_quality": pa.array(np.round(sps.quality, 4)),
        }
    )
    return observable, truth
