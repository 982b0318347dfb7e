"""Vehicle history before the (first) application: odometer readings, transfers, claims."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from autolease.synth import calibration as cal
from autolease.synth.fraud import Plan
from autolease.synth.vehicles import Vehicles

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
EVENT_TYPES = ("odometer_reading", "transfer", "insurance_claim")
CLAIM_TYPES = ("accident", "flood", "fire", "total_loss")


def _expand(rng: np.random.Generator, counts: I64, lo: I64, hi: I64) -> tuple[I64, I64]:
    """Owner row and a uniform day in ``[lo, hi]`` for each of ``counts[i]`` events."""
    owner = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    span = np.maximum(hi - lo, 0)[owner]
    return owner, lo[owner] + (rng.random(len(owner)) * (span + 1)).astype(np.int64)


def _readings(
    rng: np.random.Generator, rows: I64, v: Vehicles, app_day: I64, hide: npt.NDArray[np.bool_]
) -> tuple[I64, I64, I64]:
    age = v.age[rows]
    counts = np.minimum(rng.poisson(cal.ODOMETER_READINGS_PER_YEAR * age), 15)
    reg, app = v.reg_day[rows], app_day[rows]
    owner, day = _expand(rng, counts, reg + 20, app - 3)
    share = (day - reg[owner]) / np.maximum(app[owner] - reg[owner], 1)
    km = np.round(v.true_km[rows][owner] * share * rng.lognormal(0, 0.03, len(owner)))
    order = np.lexsort((day, owner))
    owner, day, km = owner[order], day[order], km[order].astype(np.int64)
    km = np.maximum.accumulate(km + owner * 10**8) - owner * 10**8
    keep = ~(hide[rows][owner] & (km > v.declared_km[rows][owner]))
    return owner[keep], day[keep], km[keep]


def _claims(
    rng: np.random.Generator, rows: I64, v: Vehicles, app_day: I64
) -> tuple[I64, I64, I64, F64]:
    age = v.age[rows]
    reg, app = v.reg_day[rows], app_day[rows]
    minor = rng.poisson(cal.MINOR_CLAIMS_PER_YEAR * age)
    owner, day = _expand(rng, minor, reg + 10, app - 3)
    kind = np.zeros(len(owner), dtype=np.int64)
    amount = rng.lognormal(np.log(3_000.0), 0.8, len(owner))
    major = np.flatnonzero((v.damage[rows] > 0) & v.damage_known[rows])
    m_day = reg[major] + (rng.random(len(major)) * np.maximum(app[major] - reg[major] - 30, 1))
    m_kind = v.damage[rows][major] - 1  # structural -> accident, flood, fire, total_loss
    share = np.array([0.25, 0.4, 0.5, 0.8])[m_kind]
    m_amount = v.true_value[rows][major] / np.array([0.8, 0.65, 0.6, 0.5])[m_kind] * share
    return (
        np.concatenate([owner, major]),
        np.concatenate([day, m_day.astype(np.int64)]),
        np.concatenate([kind, m_kind]),
        np.concatenate([amount, m_amount]),
    )


def _transfers(
    rng: np.random.Generator, plan: Plan, rows: I64, v: Vehicles, app_day: I64, seller: I64
) -> tuple[I64, I64]:
    reg, app = v.reg_day[rows], app_day[rows]
    counts = rng.poisson(cal.TRANSFERS_PER_YEAR * v.age[rows])
    owner, day = _expand(rng, counts, reg + 30, app - 5)
    packaged = (plan.is_type("straw_buyer") | plan.is_type("bad_sp"))[rows] & (seller[rows] == 2)
    recent = np.flatnonzero(packaged & (rng.random(len(rows)) < 0.4))
    r_day = app[recent] - rng.integers(3, 30, len(recent))
    return np.concatenate([owner, recent]), np.concatenate([day, r_day])


def vehicle_history(
    rng: np.random.Generator,
    plan: Plan,
    v: Vehicles,
    app_day: I64,
    seller: I64,
) -> Any:
    """History events of the chunk's vehicles, all dated before the first application.

    Parameters
    ----------
    rng : numpy.random.Generator
    plan : Plan
    v : Vehicles
    app_day : ndarray of int64
    seller : ndarray of int64

    Returns
    -------
    pyarrow.Table
        Columns ``vehicle_id, vin, event_date, event_type, claim_type, claim_amount_fen,
        odometer_km``, sorted by vehicle and date.
    """
    rows = np.flatnonzero(plan.vehicle_src == np.arange(plan.n))
    hide = plan.is_type("odometer_rollback") & (rng.random(plan.n) < 0.25)
    r_owner, r_day, r_km = _readings(rng, rows, v, app_day, hide)
    t_owner, t_day = _transfers(rng, plan, rows, v, app_day, seller)
    c_owner, c_day, c_kind, c_amount = _claims(rng, rows, v, app_day)
    owner = np.concatenate([r_owner, t_owner, c_owner])
    day = np.concatenate([r_day, t_day, c_day])
    day = np.minimum(np.maximum(day, v.reg_day[rows][owner]), app_day[rows][owner] - 1)
    etype = np.repeat(np.arange(3), [len(r_owner), len(t_owner), len(c_owner)])
    order = np.lexsort((etype, day, owner))
    n_r, n_t = len(r_owner), len(t_owner)
    is_claim = etype == 2
    claim_kind = np.concatenate([np.zeros(n_r + n_t, dtype=np.int64), c_kind])
    amount = np.concatenate([np.zeros(n_r + n_t), np.round(c_amount * 100)]).astype(np.int64)
    km = np.concatenate([r_km, np.zeros(n_t + len(c_owner), dtype=np.int64)])
    vehicle_row = rows[owner][order]
    return pa.table(
        {
            "vehicle_id": pa.array(vehicle_row + plan.offset),
            "vin": v.vin.take(pa.array(vehicle_row)),
            "event_date": pa.array(day[order].astype("datetime64[D]")),
            "event_type": pa.DictionaryArray.from_arrays(
                pa.array(etype[order].astype(np.int8)), pa.array(EVENT_TYPES)
            ),
            "claim_type": pa.DictionaryArray.from_arrays(
                pa.array(claim_kind[order].astype(np.int8), mask=~is_claim[order]),
                pa.array(CLAIM_TYPES),
            ),
            "claim_amount_fen": pa.array(amount[order], mask=~is_claim[order]),
            "odometer_km": pa.array(km[order], mask=etype[order] != 0),
        }
    )
