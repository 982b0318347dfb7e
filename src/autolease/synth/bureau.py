"""Credit-bureau summary per application, as of the application date (docs/domain.md §2.6, §4.3)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from autolease.synth.fraud import Plan
from autolease.synth.people import People

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]


@dataclass
class Bureau:
    """Bureau features per row (the numeric ones also feed the outcome model)."""

    thin: B
    multi: F64
    hard_queries_90d: I64
    institutions_30d: I64
    open_institutions: I64
    delinquencies_24m: I64
    max_dpd_24m: I64
    court_dishonest: B
    court_enforced: B
    spending_ban: B
    outstanding_fen: I64
    report_day: I64
    first_credit_day: I64
    last_delinquency_day: I64


def _sigmoid(x: F64) -> F64:
    return np.asarray(1.0 / (1.0 + np.exp(-x)), dtype=np.float64)


def _thin(rng: np.random.Generator, plan: Plan, age: F64) -> B:
    p = np.where(age < 27, 0.17, 0.05)
    p = np.where(plan.is_type("straw_buyer"), 0.85, p)
    p = np.where(plan.is_type("gang_ring"), 0.60, p)
    p = np.where(plan.is_type("bad_sp"), 0.40, p)
    p = np.where(plan.is_type("identity_theft"), 0.35, p)
    return np.asarray(rng.random(plan.n) < p)


def generate_bureau(rng: np.random.Generator, plan: Plan, people: People, app_day: I64) -> Bureau:
    """Bureau summary driven by the applicant's latent credit quality.

    Parameters
    ----------
    rng : numpy.random.Generator
    plan : Plan
    people : People
    app_day : ndarray of int64

    Returns
    -------
    Bureau
    """
    n = plan.n
    c = people.credit
    thin = _thin(rng, plan, people.age)
    packaged = plan.is_type("gang_ring") | plan.is_type("straw_buyer") | plan.is_type("bad_sp")
    multi = -0.5 * c + rng.normal(0, 0.85, n) + np.where(packaged, 0.8, 0.0)
    hard = rng.poisson(np.where(thin, 0.4, np.exp(0.45 + 0.5 * multi)))
    hard = np.minimum(hard, 40)
    inst30 = rng.binomial(hard, 0.45)
    opened = np.where(thin, 0, rng.poisson(np.exp(0.85 - 0.2 * c + 0.3 * multi)))
    delinq = np.where(thin, 0, rng.poisson(np.exp(-1.7 - 0.9 * c)))
    severity = rng.random(n) + np.where(c < -1, 0.3, 0.0)
    max_dpd = np.where(delinq > 0, np.select([severity < 0.6, severity < 0.85], [30, 60], 90), 0)
    dishonest = rng.random(n) < _sigmoid(-5.8 - 1.3 * c)
    enforced = dishonest | (rng.random(n) < _sigmoid(-4.8 - 1.0 * c))
    history_years = rng.uniform(0.5, 1.0, n) * np.maximum(people.age - 18.0, 1.0)
    debt = rng.lognormal(np.log(people.income_fen * 6.0 + 1.0), 1.0, n) * (opened > 0)
    return Bureau(
        thin=thin,
        multi=multi,
        hard_queries_90d=hard,
        institutions_30d=inst30,
        open_institutions=opened,
        delinquencies_24m=delinq,
        max_dpd_24m=max_dpd,
        court_dishonest=dishonest,
        court_enforced=enforced,
        spending_ban=dishonest & (rng.random(n) < 0.6),
        outstanding_fen=np.round(debt, -2).astype(np.int64),
        report_day=app_day - rng.integers(0, 3, n),
        first_credit_day=app_day - np.round(history_years * 365.25).astype(np.int64),
        last_delinquency_day=app_day - rng.integers(15, 720, n),
    )


def bureau_table(b: Bureau, application_id: I64, applicant_id: I64) -> Any:
    """The ``bureau`` table.

    Parameters
    ----------
    b : Bureau
    application_id, applicant_id : ndarray of int64

    Returns
    -------
    pyarrow.Table
    """
    return pa.table(
        {
            "application_id": pa.array(application_id),
            "applicant_id": pa.array(applicant_id),
            "report_date": pa.array(b.report_day.astype("datetime64[D]")),
            "has_credit_file": pa.array(~b.thin),
            "first_credit_date": pa.array(b.first_credit_day.astype("datetime64[D]"), mask=b.thin),
            "hard_queries_90d": pa.array(b.hard_queries_90d.astype(np.int16)),
            "institutions_applied_30d": pa.array(b.institutions_30d.astype(np.int16)),
            "open_credit_institutions": pa.array(b.open_institutions.astype(np.int16)),
            "outstanding_debt_fen": pa.array(b.outstanding_fen),
            "delinquencies_24m": pa.array(b.delinquencies_24m.astype(np.int16)),
            "max_dpd_24m": pa.array(b.max_dpd_24m.astype(np.int16)),
            "last_delinquency_date": pa.array(
                b.last_delinquency_day.astype("datetime64[D]"), mask=b.delinquencies_24m == 0
            ),
            "court_dishonest": pa.array(b.court_dishonest),
            "court_enforced": pa.array(b.court_enforced),
            "spending_ban": pa.array(b.spending_ban),
        }
    )
