"""A performance panel from a synthetic book's contracts and payments (pure, numpy).

At the end of each month on book a contract's days past due are those of its oldest instalment
due by then and not yet paid by then; the state follows from them (M1 1-30, M2 31-60, M3+ from
61). A contract settled early or matured is closed from the month of its last payment. Segments:
product, the SP's grade and the SP's province.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from autolease.portfolio.panel import NOT_OBSERVED, Panel, Segment, State

I64 = npt.NDArray[np.int64]
CLOSED_STATUSES = ("settled_early", "matured")


def _days(series: pd.Series) -> I64:
    values = pd.to_datetime(series).to_numpy("datetime64[D]")
    return np.asarray(values.astype(np.int64), dtype=np.int64)


def _month_index(days: I64) -> I64:
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return np.asarray(months, dtype=np.int64)


def _month_end(month: I64) -> I64:
    nxt = (month + 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    return np.asarray(nxt - 1, dtype=np.int64)


def _codes(values: pd.Series) -> Segment:
    codes, labels = pd.factorize(values.astype(str), sort=True)
    return Segment(codes.astype(np.int32), tuple(str(v) for v in labels))


def panel_from_book(tables: Mapping[str, pd.DataFrame]) -> Panel:
    """`tables`: the book's ``contracts``, ``payments``, ``applications`` and ``sps``."""
    contracts = tables["contracts"].reset_index(drop=True)
    payments = tables["payments"]
    start_month = _month_index(_days(contracts["start_date"]))
    obs_day = int(_days(contracts["observation_date"]).max())
    first = int(start_month.min())
    max_mob = int(contracts["term_months"].max()) + 1
    row_of = pd.Series(np.arange(len(contracts)), index=contracts["contract_id"])
    owner = row_of.loc[payments["contract_id"]].to_numpy(np.int64)
    due = _days(payments["due_date"])
    paid = payments["paid_date"]
    paid_day = np.where(paid.isna(), np.iinfo(np.int64).max, _days(paid.fillna(pd.Timestamp(0))))
    closed_day = _closed_day(contracts, owner, paid_day)
    states = np.full((len(contracts), max_mob), NOT_OBSERVED, dtype=np.int8)
    for mob in range(max_mob):
        end = _month_end(start_month + mob)
        seen = end <= obs_day
        if not seen.any():
            break
        late = np.where((due <= end[owner]) & (paid_day > end[owner]), end[owner] - due, 0)
        dpd = np.zeros(len(contracts), dtype=np.int64)
        np.maximum.at(dpd, owner, late)
        state = np.select([dpd > 60, dpd > 30, dpd > 0], [State.M3_PLUS, State.M2, State.M1], 0)
        state = np.where((closed_day <= end) & (dpd == 0), State.CLOSED_GOOD, state)
        states[seen, mob] = state[seen]
    last = int(start_month.max())
    months = tuple(str(pd.Period(np.datetime64(m, "M"), "M")) for m in range(first, last + 1))
    origination = (start_month - first).astype(np.int32)
    return Panel(states, origination, months, _segments(tables, contracts))


BOOK_TABLES = ("contracts", "payments", "applications", "sps")


def read_book(folder: Path) -> dict[str, pd.DataFrame]:
    """The tables `panel_from_book` needs, from a book folder written by `autolease synth`."""
    missing = [t for t in BOOK_TABLES if not (folder / f"{t}.parquet").is_file()]
    if missing:
        raise FileNotFoundError(f"{folder}: not a synthetic book (missing {', '.join(missing)})")
    return {t: pd.read_parquet(folder / f"{t}.parquet") for t in BOOK_TABLES}


def _closed_day(contracts: pd.DataFrame, owner: I64, paid_day: I64) -> I64:
    last_paid = np.full(len(contracts), -1, dtype=np.int64)
    finite = paid_day < np.iinfo(np.int64).max
    np.maximum.at(last_paid, owner[finite], paid_day[finite])
    closed = contracts["status"].astype(str).isin(CLOSED_STATUSES).to_numpy()
    return np.where(closed & (last_paid >= 0), last_paid, np.iinfo(np.int64).max)


def _segments(tables: Mapping[str, pd.DataFrame], contracts: pd.DataFrame) -> dict[str, Segment]:
    apps = tables["applications"].set_index("application_id")
    sps = tables["sps"].set_index("sp_code")
    sp = apps.loc[contracts["application_id"], "sp_code"]
    return {
        "product": _codes(contracts["product_type"]),
        "sp_grade": _codes(sps.loc[sp, "grade"].reset_index(drop=True)),
        "region": _codes(sps.loc[sp, "province"].reset_index(drop=True)),
    }
