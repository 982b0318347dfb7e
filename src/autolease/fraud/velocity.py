"""Velocity: how often an application's values were seen before it, over sliding windows (pure).

For each kind in `VELOCITY_KINDS` the application carries, and each window of `WINDOWS` days,
over the applications submitted in ``[as_of - window, as_of)`` (strictly before, so the
application itself and later ones never count — as-of correct):

* ``velocity_<kind>_apps_<w>d`` — applications with the same value (any SP);
* ``velocity_<kind>_other_sps_<w>d`` — distinct SPs among them other than this application's
  SP (the same person, phone or car shopped around several SPs).

And for the pairs of `CROSS` over 90 days, ``velocity_<kind>_other_<target>_90d``: distinct
values of ``target`` other than this application's own among the applications sharing the
``kind`` value — one device, phone, card or address across many identities; one identity
with many phones, devices or cards.

A kind the application does not carry gives ``None`` (missing), not 0.

Online the counts come from SQL aggregates (`fraud.repository.velocity_counts`); offline
`velocity_frame` computes the same numbers for every application of a `LinkRows` at once.
Both are tested to agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from autolease.fraud.links import DAY, I64, KIND_CODE, LinkRows

WINDOWS: tuple[int, ...] = (1, 7, 30, 90)
VELOCITY_KINDS: tuple[str, ...] = (
    "id_number",
    "phone",
    "device",
    "bank_card",
    "vin",
    "address",
    "employer",
)
CROSS: tuple[tuple[str, str], ...] = (
    ("device", "id_number"),
    ("phone", "id_number"),
    ("bank_card", "id_number"),
    ("address", "id_number"),
    ("id_number", "phone"),
    ("id_number", "device"),
    ("id_number", "bank_card"),
)
CROSS_WINDOW = 90
PLURAL = {"id_number": "ids", "phone": "phones", "device": "devices", "bank_card": "cards"}
F64 = npt.NDArray[np.float64]


def apps_name(kind: str, window: int) -> str:
    return f"velocity_{kind}_apps_{window}d"


def sps_name(kind: str, window: int) -> str:
    return f"velocity_{kind}_other_sps_{window}d"


def cross_name(kind: str, target: str) -> str:
    return f"velocity_{kind}_other_{PLURAL[target]}_{CROSS_WINDOW}d"


def feature_names() -> tuple[str, ...]:
    """Every velocity feature, in a fixed order.

    >>> len(feature_names()), feature_names()[0]
    (63, 'velocity_id_number_apps_1d')
    """
    names = [apps_name(k, w) for k in VELOCITY_KINDS for w in WINDOWS]
    names += [sps_name(k, w) for k in VELOCITY_KINDS for w in WINDOWS]
    names += [cross_name(k, t) for k, t in CROSS]
    return tuple(names)


@dataclass(frozen=True)
class KeyCounts:
    """Counts for one value of one kind, per window (in `WINDOWS` order)."""

    apps: tuple[int, ...]
    other_sps: tuple[int, ...]


def velocity_features(
    present: frozenset[str],
    counts: Mapping[str, KeyCounts],
    cross: Mapping[tuple[str, str], int],
) -> dict[str, int | None]:
    """Feature dict from the per-kind counts of one application.

    Parameters
    ----------
    present : frozenset of str
        Kinds the application carries.
    counts : mapping of str to KeyCounts
        Counts per kind; a present kind with no earlier application may be absent (zeros).
    cross : mapping of (kind, target) to int
        Distinct other targets per pair of `CROSS` (absent = 0).

    Returns
    -------
    dict
        Every name of `feature_names`, ``None`` for kinds not carried.

    Examples
    --------
    >>> f = velocity_features(frozenset({"phone"}), {"phone": KeyCounts((1, 2, 2, 3),
    ...     (0, 1, 1, 1))}, {})
    >>> f["velocity_phone_apps_90d"], f["velocity_device_apps_90d"]
    (3, None)
    """
    zero = KeyCounts((0,) * len(WINDOWS), (0,) * len(WINDOWS))
    out: dict[str, int | None] = {}
    for kind in VELOCITY_KINDS:
        found = counts.get(kind, zero) if kind in present else None
        for i, window in enumerate(WINDOWS):
            out[apps_name(kind, window)] = None if found is None else found.apps[i]
            out[sps_name(kind, window)] = None if found is None else found.other_sps[i]
    for kind, target in CROSS:
        out[cross_name(kind, target)] = cross.get((kind, target), 0) if kind in present else None
    return {name: out[name] for name in feature_names()}


# ----------------------------------------------------------------------------- offline


def velocity_frame(rows: LinkRows) -> dict[str, F64]:
    """Velocity features of every application of `rows`, as-of its own submission time.

    Parameters
    ----------
    rows : LinkRows

    Returns
    -------
    dict of str to ndarray of float64
        One array per name of `feature_names` (length ``rows.n_apps``); NaN where the
        application does not carry the kind.
    """
    out: dict[str, F64] = {}
    for kind in VELOCITY_KINDS:
        out.update(_kind_frame(rows, kind))
    for kind, target in CROSS:
        out[cross_name(kind, target)] = _cross_frame(rows, kind, target)
    return {name: out[name] for name in feature_names()}


@dataclass(frozen=True)
class _Sorted:
    """Rows of one kind sorted by (value, time, application)."""

    app: I64
    key: I64
    time: I64
    starts: I64  # first position of each group of two or more rows
    stops: I64


def _sorted_kind(rows: LinkRows, kind: str) -> _Sorted:
    mask = rows.kind == KIND_CODE[kind]
    app, key = rows.app[mask], rows.key[mask]
    time = rows.app_time[app]
    order = np.lexsort((app, time, key))
    app, key, time = app[order], key[order], time[order]
    edges = np.flatnonzero(np.diff(key)) + 1
    starts = np.concatenate([[0], edges]).astype(np.int64)
    stops = np.concatenate([edges, [len(key)]]).astype(np.int64)
    multi = stops - starts >= 2
    return _Sorted(app, key, time, starts[multi], stops[multi])


def _empty(n: int, present: I64) -> F64:
    out = np.full(n, np.nan)
    out[present] = 0.0
    return out


def _kind_frame(rows: LinkRows, kind: str) -> dict[str, F64]:
    s = _sorted_kind(rows, kind)
    n = rows.n_apps
    apps = {w: _empty(n, s.app) for w in WINDOWS}
    sps = {w: _empty(n, s.app) for w in WINDOWS}
    for lo, hi in zip(s.starts.tolist(), s.stops.tolist(), strict=True):
        group_apps = s.app[lo:hi]
        times = s.time[lo:hi].tolist()
        group_sps = rows.app_sp[group_apps].tolist()
        for window in WINDOWS:
            counted, distinct = _sliding(times, group_sps, group_sps, window * DAY)
            apps[window][group_apps] = counted
            sps[window][group_apps] = distinct
    out = {apps_name(kind, w): apps[w] for w in WINDOWS}
    out.update({sps_name(kind, w): sps[w] for w in WINDOWS})
    return out


def _cross_frame(rows: LinkRows, kind: str, target: str) -> F64:
    s = _sorted_kind(rows, kind)
    targets = rows.first_key_of(target)
    out = _empty(rows.n_apps, s.app)
    for lo, hi in zip(s.starts.tolist(), s.stops.tolist(), strict=True):
        group_apps = s.app[lo:hi]
        values = targets[group_apps].tolist()
        _, distinct = _sliding(s.time[lo:hi].tolist(), values, values, CROSS_WINDOW * DAY)
        out[group_apps] = distinct
    return out


def _sliding(
    times: list[int], values: list[int], exclude: list[int], window: int
) -> tuple[list[int], list[int]]:
    """Per row: earlier rows in ``[t - window, t)`` and their distinct values ≠ its own.

    Rows are sorted by time; values of -1 (absent) are not counted as distinct values.
    """
    counter: dict[int, int] = {}
    counted: list[int] = []
    distinct: list[int] = []
    lo = hi = 0
    for t, own in zip(times, exclude, strict=True):
        while hi < len(times) and times[hi] < t:
            value = values[hi]
            if value >= 0:
                counter[value] = counter.get(value, 0) + 1
            hi += 1
        while lo < hi and times[lo] < t - window:
            value = values[lo]
            if value >= 0:
                left = counter[value] - 1
                if left:
                    counter[value] = left
                else:
                    del counter[value]
            lo += 1
        counted.append(hi - lo)
        distinct.append(len(counter) - (1 if own in counter else 0))
    return counted, distinct
