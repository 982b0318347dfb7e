"""Collusion signals per SP and month from the relationship graph (pure: numpy + igraph).

Three signals, each computed per application and then counted per SP over the grading window
(the latest `lookback` months of applications, as the delinquency figures):

* **cross-SP links** — the application shares a linking value (phone, contact phone, bank
  card, device, address, identity number, VIN; `fraud.keys`) with an application submitted
  through *another* SP. Common values (over `max_degree` applications) and an SP's own office
  values (`single_sp_max`) are dropped exactly as the ring detection drops them
  (`fraud.rings.kept_values`). An application counts from the month the other SP's
  application exists, so a figure at month t uses only what was known by t.
* **ring membership** — the application is a member of a flagged ring (`fraud.rings`,
  components and Leiden communities in igraph); it counts from the month the ring had
  `min_size` members.
* **staff links** — one of the applicant's phones (own or emergency contact) is a phone of
  the SP's own staff or sellers (`sp_staff_phone`): the seller vouching for the applicant,
  or filling the form in.

Confirmed fraud (a reviewer's `fraud` label) is counted the same way, from the label's month.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from autolease.fraud.keys import KINDS
from autolease.fraud.links import LinkRows
from autolease.fraud.rings import RingPolicy, detect_rings, kept_values
from autolease.portfolio.simulate import LINK_KINDS, SimulatedBook

I64 = npt.NDArray[np.int64]
NEVER = np.iinfo(np.int64).max // 4
PHONE_KINDS = ("phone", "contact_phone")
SIGNALS = ("cross_sp", "in_ring", "staff_linked", "confirmed_fraud")


@dataclass(frozen=True)
class AppSignals:
    """Per application: its SP index, its submission month index, and per signal the month
    index from which the signal holds (`NEVER` when it does not)."""

    sp: I64
    month: I64
    since: dict[str, I64]


@dataclass(frozen=True)
class CollusionFigures:
    """Per SP at one month end: applications in the window and how many carry each signal."""

    month: int
    applications: I64
    counts: dict[str, I64]

    def share(self, signal: str) -> npt.NDArray[np.float64]:
        apps = np.maximum(self.applications, 1)
        out: npt.NDArray[np.float64] = self.counts[signal] / apps
        return out


def cross_sp_since(rows: LinkRows, app_month: I64, policy: RingPolicy | None = None) -> I64:
    """Per application: the first month it shares a kept value with another SP's application."""
    policy = policy or RingPolicy()
    kept, _ = kept_values(rows, policy.link)
    out = np.full(rows.n_apps, NEVER, dtype=np.int64)
    if len(kept.app) == 0:
        return out
    sp, month = rows.app_sp[kept.app], app_month[kept.app]
    order = np.lexsort((month, kept.key))
    key, sp, month, app = kept.key[order], sp[order], month[order], kept.app[order]
    start = np.r_[True, key[1:] != key[:-1]]
    group = np.cumsum(start) - 1
    first_sp = sp[start][group]
    first_month = month[start][group]
    # earliest month of an application of the value at an SP other than the first one's
    other = sp != first_sp
    other_first = np.full(int(group.max()) + 1, NEVER, dtype=np.int64)
    np.minimum.at(other_first, group[other], month[other])
    # an application at the first SP links once another SP has the value; one elsewhere
    # links to the first SP's application from the start
    partner = np.where(other, first_month, other_first[group])
    linked = np.maximum(month, partner)
    np.minimum.at(out, app, linked)
    return out


def ring_since(rows: LinkRows, app_month: I64, policy: RingPolicy | None = None) -> I64:
    """Per application: the month its flagged ring reached `min_size` members, if any."""
    policy = policy or RingPolicy()
    out = np.full(rows.n_apps, NEVER, dtype=np.int64)
    if len(rows) == 0:
        return out
    report = detect_rings(rows, policy)
    for ring in report.rings:
        if not ring.flagged:
            continue
        members = np.asarray(ring.members, dtype=np.int64)
        months = np.sort(app_month[members])
        formed = months[min(policy.min_size, len(months)) - 1]
        out[members] = np.maximum(app_month[members], formed)
    return out


def _sharing_apps(rows: LinkRows) -> tuple[LinkRows, I64]:
    """The rows of the applications that share any value with another row, renumbered, and
    their indices in `rows`. Every application carrying a shared value is kept, so each
    value's degree and SPs are as in the whole: the rings are the same, found faster (most
    applications share nothing)."""
    _, inverse, degree = np.unique(rows.key, return_inverse=True, return_counts=True)
    sharing = np.zeros(rows.n_apps, dtype=bool)
    sharing[rows.app[degree[inverse] >= 2]] = True
    apps = np.flatnonzero(sharing).astype(np.int64)
    renumber = np.full(rows.n_apps, -1, dtype=np.int64)
    renumber[apps] = np.arange(len(apps))
    keep = sharing[rows.app]
    subset = LinkRows(
        app=renumber[rows.app[keep]],
        kind=rows.kind[keep],
        key=rows.key[keep],
        app_time=rows.app_time[apps],
        app_sp=rows.app_sp[apps],
        app_ids=[rows.app_ids[int(a)] for a in apps],
        key_labels=rows.key_labels,
    )
    return subset, apps


def staff_since(rows: LinkRows, app_month: I64, staff_key_sp: Mapping[int, int]) -> I64:
    """Per application: its month when a phone of it is a staff or seller phone of its SP."""
    out = np.full(rows.n_apps, NEVER, dtype=np.int64)
    if not staff_key_sp or len(rows) == 0:
        return out
    codes = np.asarray([KINDS.index(k) for k in PHONE_KINDS], dtype=np.int8)
    mask = np.isin(rows.kind, codes)
    keys = np.fromiter(staff_key_sp, dtype=np.int64)
    owners = np.fromiter(staff_key_sp.values(), dtype=np.int64)
    order = np.argsort(keys)
    keys, owners = keys[order], owners[order]
    key, app = rows.key[mask], rows.app[mask]
    at = np.clip(np.searchsorted(keys, key), 0, len(keys) - 1)
    hit = (keys[at] == key) & (owners[at] == rows.app_sp[app])
    out[app[hit]] = app_month[app[hit]]
    return out


def app_signals(
    rows: LinkRows,
    app_month: I64,
    *,
    staff_key_sp: Mapping[int, int] | None = None,
    fraud_month: I64 | None = None,
    policy: RingPolicy | None = None,
    rings: bool = True,
) -> AppSignals:
    """Every signal per application of `rows` (`app_month`: submission month index each).
    Without `rings` (igraph not installed) ring membership is left out, not guessed."""
    fraud = fraud_month if fraud_month is not None else np.full(rows.n_apps, NEVER, np.int64)
    subset, apps = _sharing_apps(rows)
    cross = np.full(rows.n_apps, NEVER, dtype=np.int64)
    cross[apps] = cross_sp_since(subset, app_month[apps], policy)
    since = {
        "cross_sp": cross,
        "staff_linked": staff_since(rows, app_month, staff_key_sp or {}),
        "confirmed_fraud": np.asarray(fraud, dtype=np.int64),
    }
    if rings:
        ring = np.full(rows.n_apps, NEVER, dtype=np.int64)
        ring[apps] = ring_since(subset, app_month[apps], policy)
        since["in_ring"] = ring
    return AppSignals(rows.app_sp.astype(np.int64), app_month.astype(np.int64), since)


def at_month(signals: AppSignals, n_sp: int, month: int, lookback: int = 6) -> CollusionFigures:
    """Per SP: applications of the latest `lookback` months and those with each signal by
    the end of `month`."""
    window = (signals.month <= month) & (signals.month > month - lookback)
    sp = signals.sp[window]
    apps = np.bincount(sp, minlength=n_sp).astype(np.int64)
    counts = {
        name: np.bincount(sp, weights=since[window] <= month, minlength=n_sp).astype(np.int64)
        for name, since in signals.since.items()
    }
    return CollusionFigures(month, apps, counts)


FRAUD_CONFIRMED_AFTER = 3  # months: a never-pay contract is investigated and labelled by then


def book_signals(book: SimulatedBook, policy: RingPolicy | None = None) -> AppSignals:
    """The signals of a synthetic book drawn with `SpPlan(links=True)` (one application per
    contract; its never-pay contracts are confirmed fraud `FRAUD_CONFIRMED_AFTER` months on)."""
    links, panel = book.sp_links, book.panel
    if links is None or "sp" not in panel.segments:
        raise ValueError("the book has no SP identifiers: simulate with SpPlan(links=True)")
    codes = np.asarray([KINDS.index(k) for k in LINK_KINDS], dtype=np.int8)
    month = panel.origination.astype(np.int64)
    rows = LinkRows(
        app=links.app,
        kind=codes[links.kind],
        key=links.key,
        app_time=links.app_time,
        app_sp=panel.segments["sp"].codes.astype(np.int64),
        app_ids=range(len(month)),
    )
    staff = dict(zip(links.staff_keys.tolist(), links.staff_sp.tolist(), strict=True))
    fraud = np.where(links.fraud, month + FRAUD_CONFIRMED_AFTER, NEVER)
    return app_signals(rows, month, staff_key_sp=staff, fraud_month=fraud, policy=policy)
