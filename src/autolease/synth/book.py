"""Orchestration: the whole book, chunk by chunk, as Arrow tables.

Determinism: ``SeedSequence(seed)`` spawns child 0 for the book-level draws (SP network,
submission times) and child ``1 + c`` for chunk ``c``; identifier uniqueness comes from
bijective scrambles of global row indices, so chunks never need each other's random state.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from autolease.synth import calibration as cal
from autolease.synth import text
from autolease.synth.bureau import Bureau, bureau_table, generate_bureau
from autolease.synth.config import FRAUD_TYPES, SynthConfig
from autolease.synth.deal import Deal, choose_products, make_deal
from autolease.synth.device import Device, generate_device
from autolease.synth.fraud import BAD_ID_NUMBER, Plan, make_plan
from autolease.synth.geo import Geo, Sps, load_geo, make_sps, sps_tables
from autolease.synth.history import vehicle_history
from autolease.synth.outcomes import Outcome, build_schedule, decide, payment_history
from autolease.synth.people import IdAllocator, People, generate_people
from autolease.synth.vehicles import (
    BRAND,
    BRAND_OF,
    FUEL,
    MSRP,
    SELLER_TYPES,
    Vehicles,
    generate_vehicles,
)

I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]
TABLES = (
    "sps",
    "sp_truth",
    "applicants",
    "vehicles",
    "applications",
    "bureau",
    "vehicle_history",
    "contracts",
    "schedules",
    "payments",
    "truth",
)
CHINA_OFFSET = 8 * 3600
EPOCH = np.datetime64("1970-01-01", "D")
MODEL_NAMES = tuple(row[1] for row in cal.CATALOG)


def _day(value: Any) -> int:
    days: Any = np.datetime64(value, "D") - EPOCH
    return int(days.astype(np.int64))


@dataclass(frozen=True)
class Context:
    """Book-level state shared by all chunks."""

    cfg: SynthConfig
    geo: Geo
    sps: Sps
    ts: I64
    salt: int
    chunk_seeds: tuple[np.random.SeedSequence, ...]


def submission_times(rng: np.random.Generator, cfg: SynthConfig) -> I64:
    """Sorted local submission times (seconds since 1970, China time) with seasonality.

    Parameters
    ----------
    rng : numpy.random.Generator
    cfg : SynthConfig

    Returns
    -------
    ndarray of int64
    """
    days = np.arange(_day(cfg.start), _day(cfg.end()), dtype=np.int64)
    dates = days.astype("datetime64[D]")
    month = (dates.astype("datetime64[M]").astype(np.int64)) % 12
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday
    weight = np.array(cal.MONTH_WEIGHTS)[month] * np.array(cal.WEEKDAY_WEIGHTS)[weekday]
    counts = rng.multinomial(cfg.n_applications, weight / weight.sum())
    day = np.repeat(days, counts)
    hours = np.array(cal.HOUR_WEIGHTS)
    hour = rng.choice(24, size=len(day), p=hours / hours.sum())
    seconds = day * 86_400 + hour * 3600 + rng.integers(0, 3600, len(day))
    return np.sort(seconds)


def make_context(cfg: SynthConfig) -> Context:
    """Draw the book-level state.

    Parameters
    ----------
    cfg : SynthConfig

    Returns
    -------
    Context
    """
    root = np.random.SeedSequence(cfg.seed)
    children = root.spawn(cfg.n_chunks + 1)
    rng = np.random.Generator(np.random.PCG64(children[0]))
    geo = load_geo()
    sps = make_sps(rng, cfg.sp_count, cfg.start, geo)
    ts = submission_times(rng, cfg)
    salt = int(root.generate_state(1, np.uint64)[0] % np.uint64(2**62))
    return Context(cfg, geo, sps, ts, salt, tuple(children[1:]))


def sp_tables(ctx: Context) -> dict[str, Any]:
    """The ``sps`` and ``sp_truth`` tables.

    Parameters
    ----------
    ctx : Context

    Returns
    -------
    dict of str to pyarrow.Table
    """
    rng = np.random.Generator(np.random.PCG64(ctx.chunk_seeds[0].spawn(1)[0]))
    observable, truth = sps_tables(ctx.sps, ctx.geo, rng)
    return {"sps": observable, "sp_truth": truth}


def iter_chunks(ctx: Context) -> Iterator[dict[str, Any]]:
    """Generate the chunk tables in order.

    Parameters
    ----------
    ctx : Context

    Yields
    ------
    dict of str to pyarrow.Table
        The per-application tables of one chunk.
    """
    allocator = IdAllocator(ctx.salt)
    size = ctx.cfg.chunk_size
    for index, seed in enumerate(ctx.chunk_seeds):
        lo = index * size
        hi = min(lo + size, ctx.cfg.n_applications)
        rng = np.random.Generator(np.random.PCG64(seed))
        yield generate_chunk(ctx, rng, index, lo, ctx.ts[lo:hi], allocator)


def generate_tables(cfg: SynthConfig) -> dict[str, Any]:
    """The whole book in memory (for tests and small books).

    Parameters
    ----------
    cfg : SynthConfig

    Returns
    -------
    dict of str to pyarrow.Table
    """
    ctx = make_context(cfg)
    parts: dict[str, list[Any]] = {}
    for chunk in iter_chunks(ctx):
        for name, table in chunk.items():
            parts.setdefault(name, []).append(table)
    tables = {name: pa.concat_tables(p) for name, p in parts.items()}
    return {**sp_tables(ctx), **tables}


@dataclass
class Rows:
    """Everything generated for a chunk."""

    plan: Plan
    ts: I64
    app_day: I64
    people: People
    vehicles: Vehicles
    deal: Deal
    bureau: Bureau
    device: Device
    outcome: Outcome


def generate_chunk(
    ctx: Context, rng: np.random.Generator, index: int, offset: int, ts: I64, allocator: IdAllocator
) -> dict[str, Any]:
    """All per-application tables of one chunk.

    Parameters
    ----------
    ctx : Context
    rng : numpy.random.Generator
    index : int
    offset : int
    ts : ndarray of int64
    allocator : IdAllocator

    Returns
    -------
    dict of str to pyarrow.Table
    """
    cfg, geo, sps = ctx.cfg, ctx.geo, ctx.sps
    app_day = ts // 86_400
    plan = make_plan(rng, cfg, ts, offset, index, sps, geo)
    people = generate_people(rng, plan, app_day, geo, cfg.corporate_share, allocator, ctx.salt)
    product, seller = choose_products(rng, plan)
    vehicles = generate_vehicles(rng, plan, app_day, seller, sps, geo, ctx.salt)
    deal = make_deal(rng, plan, product, seller, vehicles.age, vehicles.asking, vehicles.valuation)
    bureau = generate_bureau(rng, plan, people, app_day)
    device = generate_device(rng, plan, sps, geo, ctx.salt)
    outcome = decide(
        rng, plan, people, bureau, deal, vehicles.age, vehicles.valuation, sps, app_day
    )
    r = Rows(plan, ts, app_day, people, vehicles, deal, bureau, device, outcome)
    ids = plan.offset + 1 + np.arange(plan.n, dtype=np.int64)
    tables = {
        "applicants": applicants_table(r, geo),
        "vehicles": vehicles_table(r),
        "applications": applications_table(r, sps, geo, ids),
        "bureau": bureau_table(bureau, ids, plan.offset + 1 + plan.person_src),
        "vehicle_history": _shift_ids(vehicle_history(rng, plan, vehicles, app_day, seller)),
        "truth": truth_table(r, sps, ids),
    }
    tables.update(contract_tables(rng, r, ids, _day(cfg.observation_date())))
    return tables


def _shift_ids(table: Any) -> Any:
    column = table.column("vehicle_id")
    shifted = pa.array(column.to_numpy() + 1)
    return table.set_column(0, "vehicle_id", shifted)


def _money(values: Any) -> Any:
    array = np.asarray(values, dtype=np.float64)
    valid = ~np.isnan(array)
    return pa.array(np.round(np.where(valid, array, 0) * 100).astype(np.int64), mask=~valid)


def _dates(days: I64, mask: B | None = None) -> Any:
    return pa.array(days.astype("datetime64[D]"), mask=mask)


def _dict(values: Any, vocabulary: tuple[str, ...]) -> Any:
    return pa.DictionaryArray.from_arrays(
        pa.array(np.asarray(values, dtype=np.int8)), pa.array(vocabulary)
    )


def applicants_table(r: Rows, geo: Geo) -> Any:
    """One row per applicant (first application that introduced them).

    Parameters
    ----------
    r : Rows
    geo : Geo

    Returns
    -------
    pyarrow.Table
    """
    p, plan = r.people, r.plan
    rows = np.flatnonzero(plan.person_src == np.arange(plan.n))
    sel = pa.array(rows)
    corp = p.corporate[rows]
    person_name, company = p.name.take(sel), p.company_name.take(sel)
    return pa.table(
        {
            "applicant_id": pa.array(rows + plan.offset + 1),
            "kind": _dict(corp, ("individual", "corporate")),
            "name": text.where(corp, company, person_name),
            "id_number": text.where(~corp, p.id_number.take(sel)),
            "uscc": p.uscc.take(sel),
            "legal_rep_name": text.where(corp, person_name),
            "legal_rep_id_number": text.where(corp, p.id_number.take(sel)),
            "legal_rep_phone": text.where(corp, p.phone.take(sel)),
            "phone": text.where(corp, p.company_phone.take(sel), p.phone.take(sel)),
            "gender": _dict(~p.male[rows], ("M", "F")),
            "birth_date": _dates(p.birth_day[rows]),
            "id_region_code": text.numbers(p.id_region[rows]),
            "province": text.take(geo.province, plan.city[rows]),
            "city": text.take(geo.city, plan.city[rows]),
            "address_line": p.address_line.take(sel),
            "employer": p.employer.take(sel),
            "monthly_income_fen": pa.array(p.income_fen[rows]),
            "first_seen_date": _dates(r.app_day[rows]),
        }
    )


def vehicles_table(r: Rows) -> Any:
    """One row per distinct vehicle (registry facts, not declarations).

    Parameters
    ----------
    r : Rows

    Returns
    -------
    pyarrow.Table
    """
    v, plan = r.vehicles, r.plan
    rows = np.flatnonzero(plan.vehicle_src == np.arange(plan.n))
    sel = pa.array(rows)
    model = v.model[rows]
    return pa.table(
        {
            "vehicle_id": pa.array(rows + plan.offset + 1),
            "vin": v.vin.take(sel),
            "plate": v.plate.take(sel),
            "brand": text.take(BRAND, BRAND_OF[model]),
            "model": text.take(MODEL_NAMES, model),
            "fuel_type": _dict(FUEL[model], cal.FUEL_TYPES),
            "first_registration_date": _dates(v.reg_day[rows]),
            "model_year": pa.array(v.model_year[rows].astype(np.int16)),
            "msrp_fen": pa.array((MSRP[model] * 100).astype(np.int64)),
        }
    )


def _contacts(p: People) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    for slot in range(3):
        columns[f"contact{slot + 1}_name"] = p.contact_name[slot]
        columns[f"contact{slot + 1}_phone"] = p.contact_phone[slot]
        columns[f"contact{slot + 1}_relation"] = p.contact_relation[slot]
    return columns


def _device_columns(d: Device) -> dict[str, Any]:
    return {
        "device_fingerprint": d.fingerprint,
        "ip": d.ip,
        "ip_province": d.ip_province,
        "user_agent": d.user_agent,
        "gps_lat": pa.array(d.gps_lat, mask=~d.gps_valid),
        "gps_lon": pa.array(d.gps_lon, mask=~d.gps_valid),
        "gps_province": d.gps_province,
        "device_timezone": d.timezone,
        "device_lang": d.lang,
        "device_emulator": pa.array(d.emulator),
        "device_rooted": pa.array(d.rooted),
    }


def _seller_names(r: Rows, geo: Geo, sps: Sps) -> Any:
    city = sps.city[r.plan.sp]
    short = tuple(c.removesuffix("市") for c in geo.city)
    names = text.join(
        text.take(short, city), text.take(cal.COMPANY_WORDS, r.plan.sp % 16), "二手车行"
    )
    return text.where(r.deal.seller == 0, names)


def applications_table(r: Rows, sps: Sps, geo: Geo, ids: I64) -> Any:
    """One row per application: declarations, deal, device and carrier signals.

    Parameters
    ----------
    r : Rows
    sps : Sps
    geo : Geo
    ids : ndarray of int64

    Returns
    -------
    pyarrow.Table
    """
    plan, v, d, o = r.plan, r.vehicles, r.deal, r.outcome
    utc = (r.ts - CHINA_OFFSET).astype("datetime64[s]")
    columns = {
        "application_id": pa.array(ids),
        "applicant_id": pa.array(plan.offset + 1 + plan.person_src),
        "vehicle_id": pa.array(plan.offset + 1 + plan.vehicle_src),
        "sp_code": pa.DictionaryArray.from_arrays(
            pa.array(plan.sp.astype(np.int32)), pa.array(sps.code)
        ),
        "submitted_at": pa.array(utc, type=pa.timestamp("s", tz="Asia/Shanghai")),
        "application_date": _dates(r.app_day),
        "lead_source": _dict(d.lead, cal.LEAD_SOURCES),
        "partner_name": d.partner,
        "product_type": _dict(d.product, cal.PRODUCTS),
        "term_months": pa.array(d.term.astype(np.int16)),
        "declared_brand": text.take(BRAND, BRAND_OF[v.declared_model]),
        "declared_model": text.take(MODEL_NAMES, v.declared_model),
        "fuel_type": _dict(FUEL[v.declared_model], cal.FUEL_TYPES),
        "declared_mileage_km": pa.array(v.declared_km.astype(np.int32)),
        "asking_price_fen": _money(v.asking),
        "invoice_price_fen": _money(v.invoice),
        "valuation_price_fen": _money(v.valuation),
        "seller_type": _dict(d.seller, SELLER_TYPES),
        "seller_name": _seller_names(r, geo, sps),
        "amount_fen": _money(d.amount),
        "down_payment_fen": _money(d.down),
        "monthly_budget_fen": _money(np.round(o.rent * 1.1, -1)),
        "monthly_income_fen": pa.array(r.people.income_fen),
        "quoted_annual_rate": pa.array(o.rate),
        "quoted_monthly_rent_fen": _money(o.rent),
        "bank_card": r.people.bank_card,
        "phone_tenure_months": pa.array(r.people.phone_tenure.astype(np.int16)),
        "face_match_score": pa.array(r.people.face_match),
        **_contacts(r.people),
        **_device_columns(r.device),
    }
    return pa.table(columns)


def _nullable_ids(values: I64, offset: int) -> Any:
    return pa.array(values + offset + 1, mask=values < 0)


def truth_table(r: Rows, sps: Sps, ids: I64) -> Any:
    """Ground truth per application (never an input to a model).

    Parameters
    ----------
    r : Rows
    sps : Sps
    ids : ndarray of int64

    Returns
    -------
    pyarrow.Table
    """
    plan, o, v = r.plan, r.outcome, r.vehicles
    ftype = plan.ftype.astype(np.int64)
    not_booked = ~o.booked
    return pa.table(
        {
            "application_id": pa.array(ids),
            "is_fraud": pa.array(plan.is_fraud),
            "fraud_type": pa.DictionaryArray.from_arrays(
                pa.array((ftype - 1).astype(np.int8), mask=ftype == 0), pa.array(FRAUD_TYPES)
            ),
            "ring_id": pa.array(plan.ring, mask=plan.ring < 0),
            "colluding_sp_code": text.where(plan.colluding, text.take(sps.code, plan.sp)),
            "bad_identifier": pa.DictionaryArray.from_arrays(
                pa.array((plan.bad_id - 1).astype(np.int8), mask=plan.bad_id == 0),
                pa.array(("id_number", "vin")),
            ),
            "identity_holder_is_applicant": pa.array(~plan.is_type("identity_theft")),
            "reapplication_of": _nullable_ids(plan.reapply_of, plan.offset),
            "double_financing_of": _nullable_ids(plan.double_of, plan.offset),
            "booked": pa.array(o.booked),
            "default_flag": pa.array(o.default, mask=not_booked),
            "default_month": pa.array(
                o.default_month.astype(np.int16), mask=not_booked | ~o.default
            ),
            "latent_default_flag": pa.array(o.default),
            "latent_default_month": pa.array(o.default_month.astype(np.int16), mask=~o.default),
            "latent_pd": pa.array(o.pd),
            "true_value_fen": _money(v.true_value),
            "true_mileage_km": pa.array(v.true_km.astype(np.int32)),
            "true_brand": text.take(BRAND, BRAND_OF[v.model]),
            "true_model": text.take(MODEL_NAMES, v.model),
        }
    )


STATUSES = ("active", "delinquent", "default", "settled_early", "matured")


def _segment_max(values: I64, owner: I64, n: int) -> I64:
    out = np.zeros(n, dtype=np.int64)
    if len(values) == 0:
        return out
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    out[owner[starts]] = np.maximum.reduceat(values, starts)
    return out


def _status(pay: dict[str, Any], s: Any, o: Outcome, rows: I64, term: I64, obs: int) -> I64:
    keep = pay["keep"]
    unpaid_dpd = np.where(keep & ~pay["paid"], pay["days_late"], 0)
    worst = _segment_max(unpaid_dpd, s.contract, len(rows))
    last_due = _segment_max(np.where(s.k == term[s.contract], s.due_day, 0), s.contract, len(rows))
    pm = o.prepay_month[rows]
    prepay_due = _segment_max(
        np.where((pm[s.contract] == s.k), s.due_day, 0), s.contract, len(rows)
    )
    status = np.zeros(len(rows), dtype=np.int64)
    status = np.where((last_due > 0) & (last_due <= obs), 4, status)
    status = np.where((pm > 0) & (prepay_due > 0) & (prepay_due <= obs), 3, status)
    status = np.where(worst >= 1, 1, status)
    return np.where(worst >= 90, 2, status)


def contract_tables(rng: np.random.Generator, r: Rows, ids: I64, obs: int) -> dict[str, Any]:
    """Contracts, schedules and payments of the booked applications.

    Parameters
    ----------
    rng : numpy.random.Generator
    r : Rows
    ids : ndarray of int64
    obs : int
        Observation date (days since 1970-01-01).

    Returns
    -------
    dict of str to pyarrow.Table
    """
    o, d = r.outcome, r.deal
    rows = np.flatnonzero(o.booked)
    term = d.term[rows]
    s = build_schedule(d.amount[rows], o.rate[rows], o.rent[rows], term, o.start_day[rows])
    pay = payment_history(rng, s, o, rows, obs)
    contract_id = ids[rows]
    keep = pay["keep"]
    first_due = s.due_day[s.k == 1]
    maturity = s.due_day[s.k == term[s.contract]]
    status = _status(pay, s, o, rows, term, obs)
    contracts = pa.table(
        {
            "contract_id": pa.array(contract_id),
            "application_id": pa.array(contract_id),
            "start_date": _dates(o.start_day[rows]),
            "product_type": _dict(d.product[rows], cal.PRODUCTS),
            "financed_amount_fen": _money(d.amount[rows]),
            "down_payment_fen": _money(d.down[rows]),
            "term_months": pa.array(term.astype(np.int16)),
            "annual_rate": pa.array(o.rate[rows]),
            "monthly_rent_fen": _money(o.rent[rows]),
            "first_due_date": _dates(first_due),
            "maturity_date": _dates(maturity),
            "observation_date": _dates(np.full(len(rows), obs, dtype=np.int64)),
            "status": _dict(status, STATUSES),
        }
    )
    schedules = pa.table(
        {
            "contract_id": pa.array(contract_id[s.contract]),
            "instalment_no": pa.array(s.k.astype(np.int16)),
            "due_date": _dates(s.due_day),
            "rent_fen": pa.array(s.rent_fen),
            "principal_fen": pa.array(s.principal_fen),
            "interest_fen": pa.array(s.interest_fen),
            "balance_after_fen": pa.array(s.balance_fen),
        }
    )
    paid = pay["paid"][keep]
    payments = pa.table(
        {
            "contract_id": pa.array(contract_id[s.contract[keep]]),
            "instalment_no": pa.array(s.k[keep].astype(np.int16)),
            "due_date": _dates(s.due_day[keep]),
            "amount_due_fen": pa.array(pay["amount_due"][keep]),
            "paid_date": _dates(pay["paid_day"][keep], mask=~paid),
            "amount_paid_fen": pa.array(pay["amount_paid"][keep]),
            "days_late": pa.array(pay["days_late"][keep].astype(np.int32)),
        }
    )
    return {"contracts": contracts, "schedules": schedules, "payments": payments}


_ = BAD_ID_NUMBER
