"""Vehicles: catalogue draw, age and mileage, value and valuation, VIN, plate, history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from autolease.synth import calibration as cal
from autolease.synth import checkdigits as cd
from autolease.synth import text
from autolease.synth.fraud import BAD_ID_VIN, Plan
from autolease.synth.geo import Geo, Sps

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]

YEAR_CODES = b"ABCDEFGHJKLMNPRSTVWXY123456789"
PLATE_CHARSET = b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
DAMAGE_NAMES = ("none", "structural", "flood", "fire", "total_loss")
SELLER_TYPES = ("dealer", "individual", "lessee")
_CAT = cal.CATALOG
MSRP = np.array([row[4] for row in _CAT], dtype=np.float64)
LAUNCH = np.array([row[7] for row in _CAT], dtype=np.int64)
FUEL = np.array([cal.FUEL_TYPES.index(row[3]) for row in _CAT], dtype=np.int64)
RETENTION = np.array([cal.RETENTION[row[5]] for row in _CAT], dtype=np.float64)
BRAND = tuple(dict.fromkeys(row[0] for row in _CAT))
BRAND_OF = np.array([BRAND.index(row[0]) for row in _CAT], dtype=np.int64)
IS_NEV = np.array([row[3] in cal.NEV_FUELS for row in _CAT])
# Fixed per-model descriptor codes (VIN positions 4-7), independent of the run seed.
_VDS = cd.chars_from_codes(
    np.random.default_rng(20240101).integers(0, 33, (len(_CAT), 4)), cd.VIN_CHARSET
)
_WMI = np.array([[ord(c) for c in row[2]] for row in _CAT], dtype=np.uint8)


@dataclass
class Vehicles:
    """Vehicle facts per row (copied for double financing and re-applications)."""

    model: I64
    declared_model: I64
    reg_day: I64
    model_year: I64
    age: F64
    true_km: I64
    declared_km: I64
    damage: I64
    damage_known: B
    true_value: F64
    valuation: F64
    asking: F64
    invoice: F64
    vin: Any
    plate: Any
    plate_city: I64


def depreciation(age: F64, retention: F64) -> F64:
    """Value retained after ``age`` years: the docs/domain.md §5.1 shape scaled by brand retention.

    Parameters
    ----------
    age : ndarray of float64
        Years since first registration.
    retention : ndarray of float64
        Annual retention of the brand origin over the first three years.

    Returns
    -------
    ndarray of float64
        Multiplier of the new price.
    """
    scale = np.log(retention) / np.log(cal.DEPRECIATION_STEPS[0][1])
    log_value = np.zeros_like(age)
    lower = 0.0
    for upper, rate in cal.DEPRECIATION_STEPS:
        years = np.clip(age - lower, 0.0, upper - lower)
        log_value += years * np.log(rate)
        lower = upper
    return np.asarray(np.exp(scale * log_value), dtype=np.float64)


def mileage_factor(km: F64, age: F64) -> F64:
    """Value multiplier for mileage above or below the 15,000 km/year baseline.

    Parameters
    ----------
    km : ndarray of float64
    age : ndarray of float64

    Returns
    -------
    ndarray of float64
    """
    excess = (km - cal.KM_BASELINE_PER_YEAR * age) / 10_000.0
    return np.clip(1.0 + cal.MILEAGE_EFFECT_PER_10K * excess, 0.7, 1.1)


def _models(rng: np.random.Generator, plan: Plan) -> I64:
    weights = np.array([row[6] for row in _CAT], dtype=np.float64)
    base = rng.choice(len(_CAT), size=plan.n, p=weights / weights.sum())
    upscale = weights * (MSRP / 150_000.0) ** 1.2
    rich = rng.choice(len(_CAT), size=plan.n, p=upscale / upscale.sum())
    tilt = plan.is_type("gang_ring") | plan.is_type("bad_sp") | plan.is_type("straw_buyer")
    return np.where(tilt & (rng.random(plan.n) < 0.7), rich, base)


def _ages(rng: np.random.Generator, model: I64, app_day: I64) -> F64:
    weights = np.array(cal.AGE_BIN_WEIGHTS)
    bins = rng.choice(len(weights), size=len(model), p=weights / weights.sum())
    lo = np.array([b[0] for b in cal.AGE_BINS])[bins]
    hi = np.array([b[1] for b in cal.AGE_BINS])[bins]
    age = rng.uniform(lo, hi)
    app_year = 1970 + app_day.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)
    max_age = np.maximum(app_year - LAUNCH[model] + 0.5, 0.4)
    return np.where(age > max_age, rng.uniform(0.3, max_age), age)


def _declared_km(rng: np.random.Generator, plan: Plan, true_km: I64) -> I64:
    coarse = rng.random(plan.n) < 0.3
    declared = np.where(coarse, true_km // 1000 * 1000, true_km // 100 * 100)
    rolled = (true_km * rng.uniform(0.35, 0.75, plan.n)).astype(np.int64) // 100 * 100
    return np.where(plan.is_type("odometer_rollback"), rolled, declared)


def _damage(rng: np.random.Generator, n: int) -> I64:
    rates = np.array([cal.DAMAGE_RATES[name] for name in DAMAGE_NAMES[1:]])
    probs = np.concatenate([[1.0 - rates.sum()], rates])
    return rng.choice(len(probs), size=n, p=probs)


def _declared_models(rng: np.random.Generator, plan: Plan, model: I64) -> I64:
    """A dearer model of another brand for 30 % of inflated-price rows (WMI ≠ brand)."""
    declared = model.copy()
    rows = np.flatnonzero(plan.is_type("inflated_price") & (rng.random(plan.n) < 0.3))
    for row in rows:
        options = np.flatnonzero(
            (1.6 * MSRP[model[row]] <= MSRP) & (BRAND_OF[model[row]] != BRAND_OF)
        )
        if len(options):
            declared[row] = int(rng.choice(options))
    return declared


def _prices(rng: np.random.Generator, plan: Plan, v: Vehicles, seller: I64) -> tuple[F64, F64, F64]:
    n = plan.n
    haircut = np.array([1.0] + [cal.DAMAGE_HAIRCUT[d] for d in DAMAGE_NAMES[1:]])
    known = np.where(v.damage_known, haircut[v.damage], 1.0)
    seen = (
        MSRP[v.declared_model] * depreciation(v.age, RETENTION[v.declared_model])
        * mileage_factor(v.declared_km.astype(np.float64), v.age) * known
    )  # fmt: skip
    truth = v.true_value / (
        MSRP[v.model] * depreciation(v.age, RETENTION[v.model])
        * mileage_factor(v.true_km.astype(np.float64), v.age) * haircut[v.damage]
    )  # fmt: skip
    valuation = seen * truth * rng.lognormal(0.0, cal.VALUATION_ERROR_SD, n)
    markup = np.array([0.03, 0.0, 0.02])[seller]
    asking = v.true_value * np.exp(rng.normal(markup, 0.04, n))
    inflated = plan.is_type("inflated_price")
    misdeclared = v.declared_model != v.model
    asking = np.where(inflated, v.true_value * rng.uniform(1.2, 2.0, n), asking)
    asking = np.where(misdeclared, valuation * rng.uniform(1.0, 1.1, n), asking)
    asking = np.round(asking / 100) * 100
    has_invoice = rng.random(n) < np.array([0.95, 0.6, 0.0])[seller]
    invoice = np.round(asking * np.exp(rng.normal(0, 0.01, n)) / 100) * 100
    invoice = np.where(inflated, np.round(asking * rng.uniform(0.98, 1.0, n)), invoice)
    invoice = np.where(has_invoice | inflated, invoice, np.nan)
    return np.round(valuation / 100) * 100, asking, invoice


def generate_vehicles(
    rng: np.random.Generator,
    plan: Plan,
    app_day: I64,
    seller: I64,
    sps: Sps,
    geo: Geo,
    salt: int,
) -> Vehicles:
    """Vehicles of a chunk; double-financed and re-applied cars are copied from the source.

    Parameters
    ----------
    rng : numpy.random.Generator
    plan : Plan
    app_day : ndarray of int64
        Application dates (days since 1970-01-01).
    seller : ndarray of int64
        Seller type index (dealer, individual, lessee).
    sps : Sps
    geo : Geo
    salt : int

    Returns
    -------
    Vehicles
    """
    n = plan.n
    src = plan.vehicle_src
    model = _models(rng, plan)
    base_age = _ages(rng, model, app_day)
    per_year = rng.lognormal(np.log(cal.KM_PER_YEAR_MEDIAN), cal.KM_PER_YEAR_LOG_SD, n)
    reg_day = app_day - np.round(base_age * 365.25).astype(np.int64)
    model_year = _model_years(rng, reg_day)
    plate_city = np.where(seller == 2, plan.city, sps.city[plan.sp])
    moved = rng.random(n) < 0.15
    plate_city = np.where(moved, rng.choice(geo.n_cities, n, p=geo.weight), plate_city)
    glob = np.arange(n, dtype=np.int64) + plan.offset
    vin = make_vins(rng, model, model_year, glob, plan.bad_id == BAD_ID_VIN, salt)
    plate = make_plates(rng, plate_city, FUEL[model], glob, geo, salt)
    noise = rng.lognormal(0.0, cal.VALUE_NOISE_SD, n)
    damage = _damage(rng, n)
    known = rng.random(n) < 0.7
    # Copy the car's facts from the source application, then age it to this application.
    model, reg_day, model_year, plate_city = (
        model[src],
        reg_day[src],
        model_year[src],
        plate_city[src],
    )
    damage, known, noise, per_year = damage[src], known[src], noise[src], per_year[src]
    vin, plate = vin.take(pa.array(src)), plate.take(pa.array(src))
    age = np.maximum((app_day - reg_day) / 365.25, 0.05)
    true_km = np.round(per_year * age).astype(np.int64)
    haircut = np.array([1.0] + [cal.DAMAGE_HAIRCUT[d] for d in DAMAGE_NAMES[1:]])
    true_value = (
        MSRP[model] * depreciation(age, RETENTION[model])
        * mileage_factor(true_km.astype(np.float64), age) * haircut[damage] * noise
    )  # fmt: skip
    v = Vehicles(
        model=model,
        declared_model=_declared_models(rng, plan, model),
        reg_day=reg_day,
        model_year=model_year,
        age=age,
        true_km=true_km,
        declared_km=_declared_km(rng, plan, true_km),
        damage=damage,
        damage_known=known,
        true_value=np.round(true_value / 100) * 100,
        valuation=np.zeros(n),
        asking=np.zeros(n),
        invoice=np.zeros(n),
        vin=vin,
        plate=plate,
        plate_city=plate_city,
    )
    v.valuation, v.asking, v.invoice = _prices(rng, plan, v, seller)
    return v


def _model_years(rng: np.random.Generator, reg_day: I64) -> I64:
    day = reg_day.astype("datetime64[D]")
    year = day.astype("datetime64[Y]").astype(np.int64) + 1970
    month = (day.astype("datetime64[M]") - day.astype("datetime64[Y]")).astype(np.int64) + 1
    draw = rng.random(len(reg_day))
    shift = np.where(draw < 0.15, -1, np.where((draw > 0.85) & (month >= 7), 1, 0))
    return np.asarray(year + shift, dtype=np.int64)


def make_vins(
    rng: np.random.Generator, model: I64, model_year: I64, index: I64, bad: B, salt: int
) -> Any:
    """VINs with the catalogue WMI, a model code, check digit, year code and unique serial.

    Parameters
    ----------
    rng : numpy.random.Generator
    model : ndarray of int64
        Catalogue index.
    model_year : ndarray of int64
    index : ndarray of int64
        Unique global vehicle indices (below 10**7).
    bad : ndarray of bool
        Rows that get a wrong check digit (fictitious VINs).
    salt : int

    Returns
    -------
    pyarrow.StringArray
    """
    n = len(model)
    body = np.empty((n, 17), dtype=np.uint8)
    body[:, 0:3] = _WMI[model]
    body[:, 3:7] = _VDS[model]
    body[:, 7] = cd.chars_from_codes(rng.integers(0, 33, n), cd.VIN_CHARSET)
    body[:, 8] = ord("0")
    body[:, 9] = cd.chars_from_codes((model_year - 1980) % 30, YEAR_CODES)
    body[:, 10:17] = cd.digits_to_ascii(cd.shuffle_decimal(index, 7, salt + 2), 7)
    check = cd.vin_check_digits(body)
    wrong = np.where(check == ord("0"), ord("1"), ord("0")).astype(np.uint8)
    body[:, 8] = np.where(bad, wrong, check)
    return text.ascii_matrix_to_arrow(body)


def make_plates(
    rng: np.random.Generator, city: I64, fuel: I64, index: I64, geo: Geo, salt: int
) -> Any:
    """Ordinary (5-character) or small new-energy (D/F + 5) plates of each row's city.

    Parameters
    ----------
    rng : numpy.random.Generator
    city : ndarray of int64
    fuel : ndarray of int64
        Index into ``calibration.FUEL_TYPES``.
    index : ndarray of int64
        Unique global vehicle indices.
    geo : Geo
    salt : int

    Returns
    -------
    pyarrow.StringArray
    """
    n = len(city)
    letters = tuple(geo.plate_letters)
    sizes = np.array([len(s) for s in letters])
    flat = "".join(letters)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    office = starts[city] + (rng.random(n) * sizes[city]).astype(np.int64)
    ordinary_code = cd.scramble(index % 3_930_400, 3_930_400, 104_729, salt)
    head = cd.chars_from_codes(cd.base_digits(ordinary_code // 100, 34, 3), PLATE_CHARSET)
    ordinary = np.concatenate([head, cd.digits_to_ascii(ordinary_code % 100, 2)], axis=1)
    nev_code = cd.scramble(index % 340_000, 340_000, 130_363, salt)
    power = np.where(fuel == cal.FUEL_TYPES.index("bev"), ord("D"), ord("F")).astype(np.uint8)
    nev = np.concatenate(
        [
            power[:, None],
            cd.chars_from_codes(nev_code // 10_000, PLATE_CHARSET)[:, None],
            cd.digits_to_ascii(nev_code % 10_000, 4),
        ],
        axis=1,
    )
    is_nev = np.isin(fuel, [cal.FUEL_TYPES.index(f) for f in cal.NEV_FUELS])
    serial = text.where(
        is_nev, text.ascii_matrix_to_arrow(nev), text.ascii_matrix_to_arrow(ordinary)
    )
    return text.join(text.take(geo.plate_char, city), text.take(tuple(flat), office), serial)
