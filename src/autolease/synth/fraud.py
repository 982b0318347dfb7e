"""Fraud plan of a chunk: who is fraudulent, which ring, which SP, what is shared or copied.

Patterns (docs/domain.md §4.4), each with its own signature and none with a give-away column:

* ``gang_ring``: 3-30 applications over 1-8 weeks through 2-5 SPs that share devices,
  applicant or emergency-contact phones, addresses and shell employers (partially: each
  member shares some links, not all); thin files, out-of-province IDs, packaged income.
* ``identity_theft``: the applicant is not the ID holder: new phone, ID region far from
  residence, lower face-match score, older or vulnerable ID holders.
* ``straw_buyer``: thin file, packaged income, often referred by a bad intermediary.
* ``inflated_price``: invoice ÷ true value 1.2-2.0 with a colluding SP; some declare a
  dearer model than the VIN's maker (WMI ≠ brand); a few carry a fictitious VIN.
* ``double_financing``: a car already financed here is financed again (same VIN).
* ``odometer_rollback``: declared mileage 35-75 % of the true one; history may show it.
* ``bad_sp``: packaged business at a bad SP with high first-payment default.

Legitimate look-alikes keep each signal ambiguous: SP staff devices shared by many honest
applicants, migrants whose ID region differs from residence, honest thin files, honest
re-applications with the same car, valuation noise around the invoice ratio.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from autolease.synth.config import FRAUD_TYPES, SynthConfig
from autolease.synth.geo import Geo, Sps

I64 = npt.NDArray[np.int64]
I8 = npt.NDArray[np.int8]
B = npt.NDArray[np.bool_]

CODE = {name: index + 1 for index, name in enumerate(FRAUD_TYPES)}
PHONE_SLOTS = 6  # per row: 0 applicant, 1-3 contacts, 4 company, 5 ring-shared
DEVICE_SLOTS = 4  # per row: 0 personal, 1 ring-shared
SP_DEVICE_BASE = 1 << 40
DAY = 86_400
BAD_ID_NONE, BAD_ID_NUMBER, BAD_ID_VIN = 0, 1, 2


@dataclass
class Plan:
    """Per-row plan of a chunk; ``*_src`` are local row indices to copy from."""

    n: int
    offset: int
    ftype: I8
    ring: I64
    sp: I64
    city: I64
    colluding: B
    person_src: I64
    vehicle_src: I64
    address_src: I64
    employer_src: I64
    phone_idx: I64
    contact_idx: I64
    device_key: I64
    shared_phone: B
    reapply_of: I64
    double_of: I64
    bad_id: I8
    force_booked: B
    force_unbooked: B

    def is_type(self, name: str) -> B:
        """Rows of fraud type ``name``."""
        return np.asarray(self.ftype == CODE[name], dtype=bool)

    @property
    def is_fraud(self) -> B:
        """Rows that are fraudulent."""
        return self.ftype > 0


def new_plan(rng: np.random.Generator, n: int, offset: int, sps: Sps, geo: Geo) -> Plan:
    """A plan with every row legitimate: SP by size, residence mostly in the SP's city.

    Parameters
    ----------
    rng : numpy.random.Generator
    n : int
        Rows in the chunk.
    offset : int
        Global index of the chunk's first row.
    sps : Sps
    geo : Geo

    Returns
    -------
    Plan
    """
    rows = np.arange(n, dtype=np.int64)
    glob = rows + offset
    sp = rng.choice(sps.n, size=n, p=sps.weight)
    elsewhere = rng.random(n) < 0.12
    city = np.where(elsewhere, rng.choice(geo.n_cities, size=n, p=geo.weight), sps.city[sp])
    staff_device = rng.random(n) < 0.35
    device_key = np.where(
        staff_device,
        SP_DEVICE_BASE + sp * 16 + rng.integers(0, 6, n),
        glob * DEVICE_SLOTS,
    )
    return Plan(
        n=n,
        offset=offset,
        ftype=np.zeros(n, dtype=np.int8),
        ring=np.full(n, -1, dtype=np.int64),
        sp=sp,
        city=city,
        colluding=np.zeros(n, dtype=bool),
        person_src=rows.copy(),
        vehicle_src=rows.copy(),
        address_src=rows.copy(),
        employer_src=rows.copy(),
        phone_idx=glob * PHONE_SLOTS,
        contact_idx=glob[:, None] * PHONE_SLOTS + np.arange(1, 4)[None, :],
        device_key=device_key,
        shared_phone=np.zeros(n, dtype=bool),
        reapply_of=np.full(n, -1, dtype=np.int64),
        double_of=np.full(n, -1, dtype=np.int64),
        bad_id=np.zeros(n, dtype=np.int8),
        force_booked=np.zeros(n, dtype=bool),
        force_unbooked=np.zeros(n, dtype=bool),
    )


def make_plan(
    rng: np.random.Generator,
    cfg: SynthConfig,
    ts: I64,
    offset: int,
    chunk_index: int,
    sps: Sps,
    geo: Geo,
) -> Plan:
    """Plan a chunk: legitimate defaults, then fraud, then re-applications.

    Parameters
    ----------
    rng : numpy.random.Generator
    cfg : SynthConfig
    ts : ndarray of int64
        Sorted submission times (seconds) of the chunk's rows.
    offset : int
        Global index of the first row.
    chunk_index : int
        Index of the chunk (ring ids are ``chunk_index * 10000 + k``).
    sps : Sps
    geo : Geo

    Returns
    -------
    Plan
    """
    n = len(ts)
    plan = new_plan(rng, n, offset, sps, geo)
    counts = {
        name: int(rng.binomial(n, cfg.fraud_rate * share))
        for name, share in cfg.fraud_mix.shares().items()
    }
    _assign_rings(rng, plan, ts, counts["gang_ring"], chunk_index * 10_000, sps)
    _assign_double(rng, plan, ts, counts["double_financing"])
    for name in ("identity_theft", "straw_buyer", "inflated_price", "odometer_rollback"):
        _assign_simple(rng, plan, name, counts[name])
    _assign_bad_sp(rng, plan, counts["bad_sp"], sps)
    _assign_colluding(rng, plan, sps)
    _assign_bad_ids(rng, plan)
    _assign_reapply(rng, plan, ts, int(rng.binomial(n, cfg.reapply_rate)))
    _fraud_residence(rng, plan, sps, geo)
    return plan


def _free(plan: Plan) -> B:
    return np.asarray((plan.ftype == 0) & ~plan.force_booked & ~plan.force_unbooked, dtype=bool)


def _assign_simple(rng: np.random.Generator, plan: Plan, name: str, count: int) -> None:
    free = np.flatnonzero(_free(plan))
    rows = rng.choice(free, size=min(count, len(free)), replace=False)
    plan.ftype[rows] = CODE[name]


def _ring_size(rng: np.random.Generator, remaining: int) -> int:
    size = int(np.clip(round(rng.lognormal(np.log(7.0), 0.6)), 3, 30))
    size = min(size, remaining)
    return remaining if remaining - size < 3 and remaining <= 30 else size


def _assign_rings(
    rng: np.random.Generator, plan: Plan, ts: I64, total: int, ring_base: int, sps: Sps
) -> None:
    assigned, ring_no, attempts = 0, 0, 0
    while total - assigned >= 3 and attempts < 200 and ring_no < 10_000:
        size = _ring_size(rng, total - assigned)
        start = int(rng.integers(0, plan.n))
        stop = int(np.searchsorted(ts, ts[start] + int(rng.uniform(7, 56) * DAY), side="right"))
        candidates = np.flatnonzero(_free(plan)[start:stop]) + start
        if len(candidates) < 3:
            attempts += 1
            continue
        members = np.sort(rng.choice(candidates, size=min(size, len(candidates)), replace=False))
        _configure_ring(rng, plan, members, ring_base + ring_no, sps)
        assigned += len(members)
        ring_no += 1


def _ring_sps(rng: np.random.Generator, size: int, sps: Sps) -> I64:
    k = int(rng.integers(2, min(5, size) + 1))
    first = int(rng.choice(sps.n, p=sps.weight))
    nearby = np.flatnonzero(sps.city == sps.city[first])
    pool = nearby if len(nearby) >= k else np.arange(sps.n)
    chosen = rng.choice(pool[pool != first], size=k - 1, replace=False)
    return np.concatenate([[first], chosen]).astype(np.int64)


def _configure_ring(
    rng: np.random.Generator, plan: Plan, members: I64, ring_id: int, sps: Sps
) -> None:
    size = len(members)
    plan.ftype[members] = CODE["gang_ring"]
    plan.ring[members] = ring_id
    ring_sps = _ring_sps(rng, size, sps)
    order = rng.permutation(size)
    assignment = np.concatenate([ring_sps, rng.choice(ring_sps, size=size - len(ring_sps))])
    plan.sp[members[order]] = assignment[:size]
    plan.city[members] = sps.city[ring_sps[0]]
    glob = members + plan.offset
    # Shared devices (1-3), used by about 60 % of members.
    devices = glob[: int(rng.integers(1, 4))] * DEVICE_SLOTS + 1
    use = rng.random(size) < 0.6
    plan.device_key[members[use]] = rng.choice(devices, size=int(use.sum()))
    # Shared phones: slot 5 of the first members; some members use one as their own phone,
    # most carry one as an emergency contact.
    phones = glob[: min(size, 4)] * PHONE_SLOTS + 5
    own = rng.random(size) < 0.25
    plan.phone_idx[members[own]] = rng.choice(phones, size=int(own.sum()))
    plan.shared_phone[members[own]] = True
    for slot, share in ((0, 0.7), (1, 0.35)):
        use = rng.random(size) < share
        plan.contact_idx[members[use], slot] = rng.choice(phones, size=int(use.sum()))
    _share_rows(rng, plan.address_src, members, int(rng.integers(1, 4)), 0.5)
    _share_rows(rng, plan.employer_src, members, int(rng.integers(1, 3)), 0.6)


def _share_rows(
    rng: np.random.Generator, src: I64, members: I64, anchors: int, share: float
) -> None:
    use = rng.random(len(members)) < share
    src[members[use]] = rng.choice(members[:anchors], size=int(use.sum()))


def _assign_double(rng: np.random.Generator, plan: Plan, ts: I64, count: int) -> None:
    """Second financing of a car booked earlier in the chunk, 2-26 weeks later when possible."""
    free = np.flatnonzero(_free(plan))
    rows = np.sort(rng.choice(free, size=min(count, len(free)), replace=False))
    for row in rows:
        latest = int(np.searchsorted(ts, ts[row] - 14 * DAY, side="right"))
        earliest = int(np.searchsorted(ts, ts[row] - 182 * DAY))
        pool = np.flatnonzero(_free(plan)[earliest:latest]) + earliest
        if len(pool) == 0 or not _free(plan)[row]:
            continue
        source = int(rng.choice(pool))
        plan.ftype[row] = CODE["double_financing"]
        plan.double_of[row] = source
        plan.vehicle_src[row] = source
        plan.force_booked[source] = True
        if rng.random() < 0.4:
            plan.person_src[row] = source
            plan.address_src[row] = source
            plan.employer_src[row] = source
            plan.phone_idx[row] = plan.phone_idx[source]
            plan.city[row] = plan.city[source]


def _assign_bad_sp(rng: np.random.Generator, plan: Plan, count: int, sps: Sps) -> None:
    free = np.flatnonzero(_free(plan))
    rows = rng.choice(free, size=min(count, len(free)), replace=False)
    bad = np.flatnonzero(sps.is_bad)
    plan.ftype[rows] = CODE["bad_sp"]
    plan.sp[rows] = rng.choice(bad, size=len(rows))
    plan.colluding[rows] = True


def _assign_colluding(rng: np.random.Generator, plan: Plan, sps: Sps) -> None:
    colluding = np.flatnonzero(sps.is_colluding)
    inflated = np.flatnonzero(plan.is_type("inflated_price") & (rng.random(plan.n) < 0.8))
    rollback = np.flatnonzero(plan.is_type("odometer_rollback") & (rng.random(plan.n) < 0.5))
    for rows in (inflated, rollback):
        plan.sp[rows] = rng.choice(colluding, size=len(rows))
        plan.colluding[rows] = True
    plan.colluding |= plan.is_type("inflated_price") & sps.is_colluding[plan.sp]


def _assign_bad_ids(rng: np.random.Generator, plan: Plan) -> None:
    """Forged ID numbers (typed from a fake card) and fictitious VINs on a few fraud rows."""
    draw = rng.random(plan.n)
    forged = (plan.is_type("gang_ring") & (draw < 0.05)) | (
        plan.is_type("identity_theft") & (draw < 0.10)
    )
    fictitious = plan.is_type("inflated_price") & (draw < 0.10)
    plan.bad_id[forged] = BAD_ID_NUMBER
    plan.bad_id[fictitious] = BAD_ID_VIN
    plan.force_unbooked |= plan.bad_id > 0


def _assign_reapply(rng: np.random.Generator, plan: Plan, ts: I64, count: int) -> None:
    """Honest re-applications: same applicant and car 1-21 days after a withdrawn one."""
    candidates = np.flatnonzero(_free(plan))
    rows = np.sort(rng.choice(candidates, size=min(count, len(candidates)), replace=False))
    lo = np.searchsorted(ts, ts[rows] - 21 * DAY)
    hi = np.searchsorted(ts, ts[rows] - DAY, side="right")
    ok = hi > lo
    rows, lo, hi = rows[ok], lo[ok], hi[ok]
    source = lo + (rng.random(len(rows)) * (hi - lo)).astype(np.int64)
    free = _free(plan)
    keep = free[source] & free[rows] & (source != rows)
    rows, source = rows[keep], source[keep]
    _, first = np.unique(source, return_index=True)
    rows, source = rows[first], source[first]
    keep = ~np.isin(source, rows)
    rows, source = rows[keep], source[keep]
    plan.reapply_of[rows] = source
    plan.force_unbooked[source] = True
    for src in (plan.person_src, plan.vehicle_src, plan.address_src, plan.employer_src):
        src[rows] = source
    plan.phone_idx[rows] = plan.phone_idx[source]
    plan.contact_idx[rows] = plan.contact_idx[source]
    plan.city[rows] = plan.city[source]
    same_sp = rng.random(len(rows)) < 0.6
    plan.sp[rows] = np.where(same_sp, plan.sp[source], plan.sp[rows])


def _fraud_residence(rng: np.random.Generator, plan: Plan, sps: Sps, geo: Geo) -> None:
    """Bad-SP and colluding-SP rows live near that SP, or come from out of town."""
    rows = np.flatnonzero(plan.is_type("bad_sp") | plan.colluding)
    away = rng.random(len(rows)) < 0.35
    plan.city[rows] = np.where(
        away, rng.choice(geo.n_cities, size=len(rows), p=geo.weight), sps.city[plan.sp[rows]]
    )
