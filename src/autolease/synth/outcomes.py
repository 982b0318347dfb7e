"""Latent risk → approval, default and payments; contracts, schedules and payment history.

Default (90+ days past due within the term, dated by the first missed instalment that never
cures) is drawn from a logistic model of *observable* drivers (payment-to-income, income,
bureau delinquencies and court records, multi-lending, LTV, vehicle age, product, term) plus
the SP's latent quality and hidden noise, so a plain logistic regression on the observable
features lands in the documented AUC range (calibration.AUC_RANGE) and not at 0.99. Fraud
rows default with the type's own probability, mostly at the first instalments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from autolease.synth import calibration as cal
from autolease.synth.bureau import Bureau
from autolease.synth.config import FRAUD_TYPES
from autolease.synth.deal import LEASEBACK, OPERATING, Deal
from autolease.synth.fraud import Plan
from autolease.synth.geo import Sps
from autolease.synth.people import People

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]

HIDDEN_SD = 0.55  # latent risk not visible in any column (life events, true affordability)
INTERCEPT = -4.2


@dataclass
class Outcome:
    """Pricing, decision and latent outcome per row."""

    rate: F64
    rent: F64
    pti: F64
    ltv: F64
    pd: F64
    booked: B
    default: B
    default_month: I64
    prepay_month: I64
    start_day: I64


def _sigmoid(x: F64) -> F64:
    return np.asarray(1.0 / (1.0 + np.exp(-x)), dtype=np.float64)


def level_payment(principal: F64, annual_rate: F64, term: I64) -> F64:
    """等额本息 monthly payment ``P r (1+r)^n / ((1+r)^n - 1)`` (docs/domain.md §1.5).

    Parameters
    ----------
    principal : ndarray of float64
    annual_rate : ndarray of float64
    term : ndarray of int64

    Returns
    -------
    ndarray of float64

    Examples
    --------
    >>> float(level_payment(np.array([100_000.0]), np.array([0.08]), np.array([36]))[0])
    3133.64
    """
    r = annual_rate / 12.0
    growth = (1.0 + r) ** term
    return np.asarray(np.round(principal * r * growth / (growth - 1.0), 2), dtype=np.float64)


def _pricing(rng: np.random.Generator, deal: Deal, bureau: Bureau, grade: I64) -> F64:
    rate = 0.09 + np.array([0.0, 0.01, 0.02, 0.035])[grade]
    rate = rate + np.where(deal.product == LEASEBACK, 0.015, 0.0)
    rate = rate + 0.003 * np.minimum(bureau.hard_queries_90d, 10)
    rate = rate + 0.01 * (bureau.delinquencies_24m > 0) + rng.uniform(-0.005, 0.005, len(grade))
    return np.asarray(np.round(rate, 4), dtype=np.float64)


def _affordability(people: People, rent: F64) -> F64:
    income = people.income_fen / 100.0
    capacity = np.where(people.corporate, income * 0.15, income)
    return np.asarray(rent / np.maximum(capacity, 1_000.0), dtype=np.float64)


def _credit_logit(
    rng: np.random.Generator,
    people: People,
    bureau: Bureau,
    deal: Deal,
    o: Outcome,
    age: F64,
    quality: F64,
) -> F64:
    logit = (
        INTERCEPT
        - 0.25 * people.credit
        + 0.25 * bureau.multi
        + 0.45 * np.log(np.maximum(bureau.delinquencies_24m, 0) + 1)
        + 0.9 * bureau.court_enforced
        + 3.2 * (np.minimum(o.pti, 1.5) - 0.35)
        - 0.25 * np.log(people.income_fen / 1e6)
        + 2.8 * (np.minimum(o.ltv, 1.5) - 0.6)
        + 0.07 * age
        - 0.5 * quality
        + np.where(deal.product == LEASEBACK, 0.35, np.where(deal.product == OPERATING, -0.2, 0))
        + 0.35 * np.log(deal.term / 36.0)
        + 0.4 * bureau.thin
        + rng.normal(0.0, HIDDEN_SD, len(age))
    )  # fmt: skip
    return np.asarray(logit, dtype=np.float64)


def _approval(rng: np.random.Generator, plan: Plan, bureau: Bureau, o: Outcome, grade: I64) -> B:
    score = (
        1.35
        - 0.15 * np.minimum(bureau.hard_queries_90d, 12)
        - 0.6 * (bureau.delinquencies_24m > 0)
        - 4.0 * bureau.court_dishonest
        - 1.0 * bureau.court_enforced
        - 4.0 * np.maximum(o.ltv - 0.8, 0)
        - 3.0 * np.maximum(o.pti - 0.5, 0)
        + np.array([0.4, 0.2, 0.0, -0.4])[grade]
        + rng.normal(0.0, 0.8, plan.n)
    )  # fmt: skip
    return np.asarray(((score > 0) | plan.force_booked) & ~plan.force_unbooked)


def _default_months(rng: np.random.Generator, plan: Plan, term: I64) -> I64:
    credit = 1 + np.floor(term * rng.beta(1.4, 3.0, plan.n)).astype(np.int64)
    early = np.where(plan.is_type("bad_sp"), 0.75, 0.55)
    fraud = rng.geometric(early)
    return np.minimum(np.where(plan.is_fraud, fraud, credit), term)


def decide(
    rng: np.random.Generator,
    plan: Plan,
    people: People,
    bureau: Bureau,
    deal: Deal,
    vehicle_age: F64,
    valuation: F64,
    sps: Sps,
    app_day: I64,
) -> Outcome:
    """Price, decide and draw the latent outcome of every application.

    Parameters
    ----------
    rng : numpy.random.Generator
    plan : Plan
    people : People
    bureau : Bureau
    deal : Deal
    vehicle_age : ndarray of float64
    valuation : ndarray of float64
    sps : Sps
    app_day : ndarray of int64

    Returns
    -------
    Outcome
    """
    grade = sps.grade[plan.sp]
    rate = _pricing(rng, deal, bureau, grade)
    rent = level_payment(deal.amount, rate, deal.term)
    n = plan.n
    o = Outcome(
        rate=rate,
        rent=rent,
        pti=_affordability(people, rent),
        ltv=deal.amount / np.maximum(valuation, 1.0),
        pd=np.zeros(n),
        booked=np.zeros(n, dtype=bool),
        default=np.zeros(n, dtype=bool),
        default_month=np.zeros(n, dtype=np.int64),
        prepay_month=np.zeros(n, dtype=np.int64),
        start_day=app_day + rng.integers(3, 16, n),
    )
    pd = _sigmoid(_credit_logit(rng, people, bureau, deal, o, vehicle_age, sps.quality[plan.sp]))
    fraud_pd = np.array([0.0] + [cal.FRAUD_DEFAULT_PROB[name] for name in FRAUD_TYPES])
    o.pd = np.asarray(
        np.round(np.where(plan.is_fraud, fraud_pd[plan.ftype], pd), 5), dtype=np.float64
    )
    o.booked = _approval(rng, plan, bureau, o, grade)
    o.default = rng.random(n) < o.pd
    o.default_month = np.where(o.default, _default_months(rng, plan, deal.term), 0)
    prepay = ~o.default & (rng.random(n) < 0.12) & (deal.term > 6)
    o.prepay_month = np.where(prepay, rng.integers(6, np.maximum(deal.term, 7)), 0)
    return o


def _due_days(start_day: I64, k: I64) -> I64:
    start = start_day.astype("datetime64[D]")
    month = start.astype("datetime64[M]")
    dom = np.minimum((start - month.astype("datetime64[D]")).astype(np.int64), 27)
    due = (month + k.astype("timedelta64[M]")).astype("datetime64[D]") + dom.astype(
        "timedelta64[D]"
    )
    return np.asarray((due - np.datetime64("1970-01-01", "D")).astype(np.int64), dtype=np.int64)


@dataclass
class Schedule:
    """Flattened instalment rows of booked contracts (money in fen)."""

    contract: I64
    k: I64
    due_day: I64
    rent_fen: I64
    principal_fen: I64
    interest_fen: I64
    balance_fen: I64


def build_schedule(amount: F64, rate: F64, rent: F64, term: I64, start_day: I64) -> Schedule:
    """Level-payment schedules, one row per instalment; the last closes the balance.

    Parameters
    ----------
    amount, rate, rent : ndarray of float64
        Per contract (yuan, annual rate, monthly rent).
    term, start_day : ndarray of int64

    Returns
    -------
    Schedule
    """
    contract = np.repeat(np.arange(len(term), dtype=np.int64), term)
    starts = np.concatenate([[0], np.cumsum(term)[:-1]])
    k = np.arange(len(contract), dtype=np.int64) - starts[contract] + 1
    r = (rate / 12.0)[contract]
    growth = (1.0 + r) ** k
    balance = amount[contract] * growth - rent[contract] * (growth - 1.0) / r
    balance_fen = np.where(k == term[contract], 0, np.round(balance * 100)).astype(np.int64)
    previous = np.where(k == 1, np.round(amount[contract] * 100), np.r_[0, balance_fen[:-1]])
    previous = previous.astype(np.int64)
    interest = np.round(previous * r).astype(np.int64)
    principal = previous - balance_fen
    return Schedule(
        contract=contract,
        k=k,
        due_day=_due_days(start_day[contract], k),
        rent_fen=principal + interest,
        principal_fen=principal,
        interest_fen=interest,
        balance_fen=balance_fen,
    )


def payment_history(
    rng: np.random.Generator, s: Schedule, o: Outcome, rows: I64, obs_day: int
) -> dict[str, Any]:
    """Payments of instalments due up to the observation date.

    Parameters
    ----------
    rng : numpy.random.Generator
    s : Schedule
    o : Outcome
    rows : ndarray of int64
        Application row of each contract.
    obs_day : int
        Observation date (days since 1970-01-01).

    Returns
    -------
    dict of str to ndarray
        Columns of the ``payments`` table plus ``keep`` (rows to write).
    """
    app = rows[s.contract]
    dm, pm = o.default_month[app], o.prepay_month[app]
    due = s.due_day <= obs_day
    alive = (pm == 0) | (s.k <= pm)
    missed = (dm > 0) & (s.k >= dm)
    risk = np.log(o.pd[app] / (1 - o.pd[app] + 1e-9) + 1e-9)
    late_p = _sigmoid(-2.6 + 0.45 * risk) + np.where((dm > 0) & (s.k >= dm - 2), 0.5, 0.0)
    late = rng.random(len(app)) < late_p
    delay = np.where(late, np.minimum(rng.geometric(0.15, len(app)), 60), 0)
    paid_day = s.due_day + delay
    paid = ~missed & (paid_day <= obs_day)
    settle = np.where((pm > 0) & (s.k == pm), s.balance_fen, 0)
    amount_due = s.rent_fen + settle
    keep = due & alive
    return {
        "keep": keep,
        "paid": paid,
        "paid_day": paid_day,
        "amount_due": amount_due,
        "amount_paid": np.where(paid, amount_due, 0),
        "days_late": np.where(paid, delay, np.maximum(obs_day - s.due_day, 0)),
    }
