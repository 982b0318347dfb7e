"""A synthetic live book: contracts paid out over a window, their monthly delinquency states and
their application scores, with one planted deteriorating cohort (pure, numpy; seeded).

Each month a contract moves between states with probabilities that depend on its SP grade,
product and region: current rolls to M1 or settles early, M1 cures or rolls on, M2 cures or
becomes M3+, M3+ sometimes cures and is sometimes written off; a contract that reaches its term
closes. The planted cohort (one region, a few origination months) rolls `multiplier` times as
often from current and M1 and has higher LTVs, which is what the alerts should find. The rates
are [P]: plausible for a Chinese used-car lessor's book (M3+ by MOB 12 of a few per cent), not
calibrated to one lessor's data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from autolease.portfolio.panel import NOT_OBSERVED, Panel, Segment, State

PRODUCTS = ("direct_lease", "sale_leaseback", "operating_lease")
PRODUCT_SHARE = (0.5, 0.4, 0.1)
PRODUCT_RISK = (1.0, 1.3, 0.8)
GRADES = ("A", "B", "C", "D")
GRADE_SHARE = (0.25, 0.4, 0.25, 0.1)
GRADE_RISK = (0.6, 1.0, 1.6, 2.6)
REGIONS = ("上海", "江苏", "浙江", "广东", "河南", "四川", "湖北", "山东")
TERMS = (12, 24, 36)
TERM_SHARE = (0.2, 0.4, 0.4)
BASE_TO_M1 = 0.012
SETTLE_EARLY = 0.012
# Rows: from M1, M2, M3+: probabilities of (current, M1, M2, M3+, written off).
LATE_ROWS = np.array(
    [
        [0.55, 0.10, 0.35, 0.00, 0.00],
        [0.30, 0.10, 0.12, 0.48, 0.00],
        [0.06, 0.00, 0.02, 0.84, 0.08],
    ]
)


@dataclass(frozen=True)
class Planted:
    region: str = "河南"
    first_month: int = 18
    months: int = 3
    multiplier: float = 3.0
    ltv_shift: float = 0.08


@dataclass(frozen=True)
class SpPlan:
    """SPs for the `sp` segment: sizes vary; some turn bad (risk × `bad_multiplier` from a
    month on) and some collude (a share of their contracts never pay: first-payment fraud)."""

    count: int = 300
    bad_share: float = 0.06
    colluding_share: float = 0.04
    bad_multiplier: float = 2.5
    fraud_share: float = 0.25
    links: bool = False  # also draw each contract's identifiers and the SPs' staff phones


@dataclass(frozen=True)
class SpTruth:
    """Ground truth per SP: ``kind`` good | bad | colluding, and ``bad_from``, the first
    origination-month index whose contracts are affected (-1 for good SPs)."""

    labels: tuple[str, ...]
    kind: tuple[str, ...]
    bad_from: tuple[int, ...]


@dataclass(frozen=True)
class SimulatedBook:
    panel: Panel
    applications: pd.DataFrame  # one row per contract: month, scores and features
    planted: Planted | None
    sp_truth: SpTruth | None = None
    sp_links: SpLinks | None = None


@dataclass(frozen=True)
class SpLinks:
    """Identifiers of each contract's application, as link rows (one per contract, kind and
    value; kinds named by `LINK_KINDS`), and every SP's staff and seller phones.

    Values are integer ids; equal ids are the same value, and the phone namespace (applicant
    and emergency-contact phones, staff phones) shares ids. Ordinary applicants have their own
    values, with a little honest sharing: a relative's phone as emergency contact, a
    neighbour's address, an SP's office tablet, a seller's own phone given as contact. A
    colluding SP's never-pay contracts (`fraud`) draw devices, contact phones and addresses
    from a pool shared with the other SPs of its collusion group that month, and often give
    a staff phone of the SP as the emergency contact.
    """

    app: npt.NDArray[np.int64]
    kind: npt.NDArray[np.int8]
    key: npt.NDArray[np.int64]
    app_time: npt.NDArray[np.int64]  # epoch seconds of each application
    staff_keys: npt.NDArray[np.int64]  # phone value ids of staff and sellers
    staff_sp: npt.NDArray[np.int64]  # their SP index
    fraud: npt.NDArray[np.bool_]  # the never-pay contracts (ground truth)


LINK_KINDS = ("id_number", "phone", "contact_phone", "device", "address")
COLLUSION_GROUP = 3  # colluding SPs work in groups of this many
STAFF_PHONES = 2  # staff and seller phones per SP


def month_labels(first: str, count: int) -> tuple[str, ...]:
    return tuple(str(p) for p in pd.period_range(first, periods=count, freq="M"))


def simulate(
    contracts: int,
    *,
    origination_months: int = 36,
    first_month: str = "2023-01",
    seed: int = 11,
    planted: Planted | None = None,
    sps: SpPlan | None = None,
) -> SimulatedBook:
    """A book observed at the end of its last origination month.

    With `sps`, contracts also get an `sp` segment and the book its `sp_truth`; the SPs draw
    from their own random stream, so the rest of the book (and the planted cohort) is drawn
    as without them.
    """
    rng = np.random.default_rng(seed)
    orig = np.sort(rng.integers(0, origination_months, contracts)).astype(np.int32)
    product = rng.choice(len(PRODUCTS), contracts, p=PRODUCT_SHARE).astype(np.int32)
    grade = rng.choice(len(GRADES), contracts, p=GRADE_SHARE).astype(np.int32)
    region = rng.integers(0, len(REGIONS), contracts).astype(np.int32)
    term = np.asarray(TERMS)[rng.choice(len(TERMS), contracts, p=TERM_SHARE)]
    in_cohort = _planted_mask(planted, orig, region)
    risk = np.asarray(PRODUCT_RISK)[product] * np.asarray(GRADE_RISK)[grade]
    risk = risk * rng.lognormal(0.0, 0.5, contracts)
    multiplier = np.where(in_cohort, planted.multiplier if planted else 1.0, 1.0)
    last_mob = (origination_months - 1 - orig).astype(np.int64)
    sp_draw = _draw_sps(sps, seed, orig, origination_months) if sps else None
    if sp_draw is not None:
        risk = risk * sp_draw.risk
    states = _walk(rng, risk, multiplier, term, last_mob)
    months = month_labels(first_month, origination_months)
    segments = {
        "product": Segment(product, PRODUCTS),
        "sp_grade": Segment(grade, GRADES),
        "region": Segment(region, REGIONS),
    }
    if sp_draw is not None:
        _never_pay(states, sp_draw.fraud, last_mob)
        segments["sp"] = Segment(sp_draw.codes, sp_draw.truth.labels)
    panel = Panel(states, orig, months, segments)
    apps = _applications(rng, months, orig, risk, in_cohort, planted)
    links = None
    if sps is not None and sps.links and sp_draw is not None:
        links = _draw_links(seed, sp_draw, orig, first_month)
    return SimulatedBook(panel, apps, planted, sp_draw.truth if sp_draw else None, links)


@dataclass(frozen=True)
class _SpDraw:
    codes: npt.NDArray[np.int32]
    risk: npt.NDArray[np.float64]
    fraud: npt.NDArray[np.bool_]
    truth: SpTruth


def _draw_sps(plan: SpPlan, seed: int, orig: npt.NDArray[np.int32], months: int) -> _SpDraw:
    rng = np.random.default_rng([seed, 20])
    size = rng.lognormal(0.0, 0.8, plan.count)
    codes = rng.choice(plan.count, len(orig), p=size / size.sum()).astype(np.int32)
    kinds = np.full(plan.count, "good", dtype=object)
    picked = rng.permutation(plan.count)
    n_bad, n_coll = round(plan.count * plan.bad_share), round(plan.count * plan.colluding_share)
    kinds[picked[:n_bad]] = "bad"
    kinds[picked[n_bad : n_bad + n_coll]] = "colluding"
    bad_from = np.where(kinds == "good", -1, rng.integers(0, max(1, months * 2 // 3), plan.count))
    affected = (bad_from[codes] >= 0) & (orig >= bad_from[codes])
    risk = np.where(affected & (kinds[codes] == "bad"), plan.bad_multiplier, 1.0)
    fraud = affected & (kinds[codes] == "colluding") & (rng.random(len(orig)) < plan.fraud_share)
    labels = tuple(f"SP{i:04d}" for i in range(plan.count))
    truth = SpTruth(labels, tuple(str(k) for k in kinds), tuple(int(b) for b in bad_from))
    return _SpDraw(codes, risk, fraud, truth)


def _draw_links(seed: int, draw: _SpDraw, orig: npt.NDArray[np.int32], first: str) -> SpLinks:
    rng = np.random.default_rng([seed, 21])
    n, n_sp = len(orig), len(draw.truth.labels)
    ids = np.arange(n, dtype=np.int64)
    start = int(pd.Period(first, freq="M").start_time.timestamp())
    app_time = start + (orig.astype(np.int64) * 30 + rng.integers(0, 30, n)) * 86_400
    phone, contact = ids.copy(), n + ids
    device, address = 2 * n + ids, 3 * n + ids
    staff_keys = 4 * n + np.arange(n_sp * STAFF_PHONES, dtype=np.int64)
    staff_sp = np.repeat(np.arange(n_sp, dtype=np.int64), STAFF_PHONES)
    # honest sharing
    relative = rng.random(n) < 0.015
    contact[relative] = rng.integers(0, n, int(relative.sum()))
    neighbour = rng.random(n) < 0.01
    address[neighbour] = 3 * n + rng.integers(0, n, int(neighbour.sum()))
    office = rng.random(n) < 0.03
    device[office] = 5 * n + draw.codes[office]
    seller = rng.random(n) < 0.003
    contact[seller] = staff_keys[draw.codes[seller] * STAFF_PHONES]
    # collusion groups share pools of devices, contact phones and addresses each month
    kinds = np.asarray(draw.truth.kind)
    colluding = np.flatnonzero(kinds == "colluding")
    group = np.full(n_sp, -1, dtype=np.int64)
    group[colluding] = np.arange(len(colluding)) // COLLUSION_GROUP
    rows = np.flatnonzero(draw.fraud)
    cell = group[draw.codes[rows]] * 1000 + orig[rows]
    pool = 6 * n
    for value in np.unique(cell):
        members = rows[cell == value]
        size = max(1, len(members) // 4)
        device[members] = pool + rng.integers(0, size, len(members))
        address[members] = pool + size + rng.integers(0, size, len(members))
        mate = rng.random(len(members)) < 0.5
        contact[members[mate]] = phone[rng.choice(members, int(mate.sum()))]
        pool += 2 * size
    vouched = rows[rng.random(len(rows)) < 0.3]
    pick = rng.integers(0, STAFF_PHONES, len(vouched))
    contact[vouched] = staff_keys[draw.codes[vouched] * STAFF_PHONES + pick]
    identity = 8 * n + ids  # after every pool: ids never collide
    columns = (identity, phone, contact, device, address)
    return SpLinks(
        app=np.tile(ids, len(columns)),
        kind=np.repeat(np.arange(len(columns), dtype=np.int8), n),
        key=np.concatenate(columns),
        app_time=app_time,
        staff_keys=staff_keys,
        staff_sp=staff_sp,
        fraud=draw.fraud,
    )


def _never_pay(
    states: npt.NDArray[np.int8], fraud: npt.NDArray[np.bool_], last_mob: npt.NDArray[np.int64]
) -> None:
    """First-payment fraud: M1 at MOB 1, M2 at MOB 2, M3+ after, as far as observed."""
    path = np.array([State.CURRENT, State.M1, State.M2], dtype=np.int8)
    rows = np.flatnonzero(fraud)
    for mob in range(states.shape[1]):
        seen = rows[last_mob[rows] >= mob]
        states[seen, mob] = path[mob] if mob < len(path) else State.M3_PLUS


def _planted_mask(
    planted: Planted | None, orig: npt.NDArray[np.int32], region: npt.NDArray[np.int32]
) -> npt.NDArray[np.bool_]:
    if planted is None:
        return np.zeros(len(orig), dtype=bool)
    cohort = (orig >= planted.first_month) & (orig < planted.first_month + planted.months)
    mask: npt.NDArray[np.bool_] = cohort & (region == REGIONS.index(planted.region))
    return mask


def _walk(
    rng: np.random.Generator,
    risk: npt.NDArray[np.float64],
    multiplier: npt.NDArray[np.float64],
    term: npt.NDArray[np.int64],
    last_mob: npt.NDArray[np.int64],
) -> npt.NDArray[np.int8]:
    n, max_mob = len(risk), int(term.max())
    states = np.full((n, max_mob), NOT_OBSERVED, dtype=np.int8)
    now = np.zeros(n, dtype=np.int8)
    to_m1 = np.minimum(BASE_TO_M1 * risk * multiplier, 0.5)
    for mob in range(max_mob):
        if mob > 0:
            now = _step(rng, now, to_m1, multiplier)
            now[(mob >= term) & (now < State.M3_PLUS)] = State.CLOSED_GOOD
        visible = mob <= last_mob
        states[visible, mob] = now[visible]
    return states


def _step(
    rng: np.random.Generator,
    now: npt.NDArray[np.int8],
    to_m1: npt.NDArray[np.float64],
    multiplier: npt.NDArray[np.float64],
) -> npt.NDArray[np.int8]:
    u = rng.random(len(now))
    nxt = now.copy()
    current = now == State.CURRENT
    nxt[current & (u < to_m1)] = State.M1
    nxt[current & (u >= to_m1) & (u < to_m1 + SETTLE_EARLY)] = State.CLOSED_GOOD
    for offset, state in enumerate((State.M1, State.M2, State.M3_PLUS)):
        rows = now == state
        if not rows.any():
            continue
        probs = np.repeat(LATE_ROWS[offset][None, :], int(rows.sum()), axis=0)
        if state is not State.M3_PLUS:  # the planted cohort cures less and rolls more
            worse = 2 if state is State.M1 else 3
            shift = probs[:, 0] * (1 - 1 / multiplier[rows])
            probs[:, 0] -= shift
            probs[:, worse] += shift
        cum = np.cumsum(probs, axis=1)
        pick = (u[rows, None] > cum).sum(axis=1)
        nxt[rows] = np.asarray(
            [State.CURRENT, State.M1, State.M2, State.M3_PLUS, State.WRITTEN_OFF], dtype=np.int8
        )[np.minimum(pick, 4)]
    return nxt


def _applications(
    rng: np.random.Generator,
    months: tuple[str, ...],
    orig: npt.NDArray[np.int32],
    risk: npt.NDArray[np.float64],
    in_cohort: npt.NDArray[np.bool_],
    planted: Planted | None,
) -> pd.DataFrame:
    n = len(orig)
    ltv = np.clip(
        rng.normal(0.62, 0.08, n) + np.where(in_cohort, planted.ltv_shift if planted else 0, 0),
        0.2,
        0.95,
    )
    pd_score = np.clip(0.03 * risk * rng.lognormal(0, 0.3, n), 0.001, 0.9)
    return pd.DataFrame(
        {
            "month": np.asarray(months, dtype=object)[orig],
            "credit_pd": pd_score,
            "fraud_score": rng.beta(1.2, 30, n),
            "valuation_ratio": rng.normal(1.0, 0.06, n),
            "ltv": ltv,
            "applicant_age": rng.integers(22, 60, n),
            "monthly_income": np.round(rng.lognormal(9.2, 0.45, n), -2),
            "vehicle_age_years": rng.gamma(2.0, 1.6, n),
        }
    )
