"""Offline ring detection over the whole history (pure: numpy + igraph).

1. **Values that may link.** Of the link rows, only kinds whose policy ``links``; per value,
   the applications carrying it in the window. A value on one application links nothing; a
   value on more than ``max_degree`` applications is common (a dealer's address, a carrier
   IP); one on more than ``single_sp_max`` applications all at one SP is that SP's own (an
   office tablet). Those are dropped: this is what keeps the giant component away.
2. **Edges.** Applications sharing a value link pairwise when at most ``max_gap_days``
   apart; each pair weighs ``weight(kind) / (degree - 1)`` (rarer values count more, and no
   application gets more than ``weight`` from one value); parallel edges add up.
3. **Components** (igraph), and components larger than ``max_ring_size`` split by Leiden
   community detection (modularity, weighted, seeded).
4. **Rings** are the groups of at least ``min_size`` applications, scored on what makes a
   ring a ring rather than one customer re-applying or an office: distinct identities, SPs
   spanned, how many kinds of value they share, how tightly in time, known-bad members.

`ring_json` exports one ring (members, shared values, statistics) for a reviewer.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from autolease.fraud.keys import DEFAULT_POLICY, KINDS, LinkPolicy
from autolease.fraud.links import DAY, I64, LinkRows
from autolease.fraud.ringscore import (
    Ring,
    RingScoring,
    SharedValue,
    build_ring,
    ring_json,
    score_ring,
)
from autolease.kit.extras import require

__all__ = [
    "GraphStats",
    "Ring",
    "RingPolicy",
    "RingReport",
    "RingScoring",
    "SharedValue",
    "build_edges",
    "detect_rings",
    "group_apps",
    "kept_values",
    "ring_json",
    "score_ring",
]

F64 = npt.NDArray[np.float64]


@dataclass(frozen=True)
class RingPolicy:
    """How rings are found and flagged.

    Parameters
    ----------
    link : LinkPolicy
        Kinds, weights, degree caps, gap.
    min_size : int
        Smallest ring (applications).
    max_ring_size : int
        Components larger than this are split by community detection.
    resolution : float
        Leiden resolution (modularity).
    min_identities : int
        A ring needs at least this many distinct identities to be flagged.
    flag_score : float
        Rings scoring at least this are flagged.
    seed : int
        Seed of the community detection.
    scoring : RingScoring
    """

    link: LinkPolicy = DEFAULT_POLICY
    min_size: int = 3
    max_ring_size: int = 40
    resolution: float = 1.0
    min_identities: int = 3
    flag_score: float = 0.5
    seed: int = 0
    scoring: RingScoring = field(default_factory=RingScoring)


@dataclass(frozen=True)
class GraphStats:
    apps: int
    linked_apps: int
    edges: int
    components: int
    largest_component: int
    split_components: int


@dataclass(frozen=True)
class RingReport:
    rings: tuple[Ring, ...]
    stats: GraphStats
    membership: I64  # per application: index into rings, or -1
    edges: npt.NDArray[np.int64]  # (m, 2) application indices
    weights: F64

    def flagged_apps(self) -> npt.NDArray[np.bool_]:
        """Per application: is it a member of a flagged ring."""
        flagged = np.asarray([r.flagged for r in self.rings] + [False], dtype=bool)
        return np.asarray(flagged[self.membership], dtype=bool)

    def by_id(self, ring_id: str) -> Ring | None:
        return next((r for r in self.rings if r.ring_id == ring_id), None)


# ----------------------------------------------------------------------------- edges


@dataclass(frozen=True)
class _Kept:
    app: I64
    key: I64
    ns: npt.NDArray[np.int8]
    degree: I64


def _window(rows: LinkRows, start: int | None, end: int | None) -> npt.NDArray[np.bool_]:
    times = rows.app_time[rows.app]
    keep = np.ones(len(rows), dtype=bool)
    if start is not None:
        keep &= times >= start
    if end is not None:
        keep &= times < end
    return keep


def _namespace_codes(policy: LinkPolicy) -> tuple[npt.NDArray[np.int8], list[str]]:
    names = list(dict.fromkeys(policy.namespace(k) for k in KINDS))
    codes = np.asarray([names.index(policy.namespace(k)) for k in KINDS], dtype=np.int8)
    return codes, names


def kept_values(
    rows: LinkRows, policy: LinkPolicy, start: int | None = None, end: int | None = None
) -> tuple[_Kept, list[str]]:
    """Rows of linking values that survive the degree caps (one row per app and value)."""
    ns_of_kind, ns_names = _namespace_codes(policy)
    linking = np.asarray([policy.of(k).links for k in KINDS])
    keep = _window(rows, start, end) & linking[rows.kind]
    app, key = rows.app[keep], rows.key[keep]
    ns = ns_of_kind[rows.kind[keep]]
    pair = np.unique(np.stack([key, app], axis=1), axis=0, return_index=True)[1]
    app, key, ns = app[pair], key[pair], ns[pair]
    uniq, inverse, degree = np.unique(key, return_inverse=True, return_counts=True)
    sp = rows.app_sp[app]
    sp_min = np.full(len(uniq), np.iinfo(np.int64).max)
    sp_max = np.full(len(uniq), np.iinfo(np.int64).min)
    np.minimum.at(sp_min, inverse, sp)
    np.maximum.at(sp_max, inverse, sp)
    caps = np.asarray([policy.namespace_policy(n).max_degree for n in ns_names])
    single = np.asarray([policy.namespace_policy(n).single_sp_max for n in ns_names])
    deg = degree[inverse]
    ok = (deg >= 2) & (deg <= caps[ns])
    ok &= ~((deg > single[ns]) & (sp_min[inverse] == sp_max[inverse]))
    return _Kept(app[ok], key[ok], ns[ok], deg[ok]), ns_names


def build_edges(
    rows: LinkRows, policy: LinkPolicy, kept: _Kept, ns_names: list[str]
) -> tuple[npt.NDArray[np.int64], F64]:
    """Edges between the applications of each kept value (those at most the gap apart).

    A value on ``d`` applications adds ``weight(kind) / (d - 1)`` to each of its pairs, so
    every application gets at most ``weight`` from one value however many share it.
    """
    times = rows.app_time[kept.app]
    order = np.lexsort((kept.app, times, kept.key))
    app, key, t = kept.app[order], kept.key[order], times[order]
    ns, degree = kept.ns[order], kept.degree[order]
    base = np.asarray([policy.namespace_policy(n).weight for n in ns_names])
    gap = policy.max_gap_days * DAY
    a_parts, b_parts, w_parts = [], [], []
    for offset in range(1, int(degree.max(initial=1))):
        same = (key[offset:] == key[:-offset]) & (t[offset:] - t[:-offset] <= gap)
        if not same.any():
            break
        first = np.flatnonzero(same)
        a_parts.append(app[first])
        b_parts.append(app[first + offset])
        w_parts.append(base[ns[first]] / np.maximum(1, degree[first] - 1))
    if not a_parts:
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0)
    a, b = np.concatenate(a_parts), np.concatenate(b_parts)
    weight = np.concatenate(w_parts)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    distinct = lo != hi
    code = lo[distinct] * rows.n_apps + hi[distinct]
    uniq, inverse = np.unique(code, return_inverse=True)
    summed = np.bincount(inverse, weights=weight[distinct], minlength=len(uniq))
    edges = np.stack([uniq // rows.n_apps, uniq % rows.n_apps], axis=1).astype(np.int64)
    return edges, np.asarray(summed, dtype=np.float64)


# ----------------------------------------------------------------------------- grouping


@contextmanager
def _igraph_seed(seed: int) -> Iterator[Any]:
    require("train", "igraph")
    import igraph  # type: ignore[import-untyped,unused-ignore]

    igraph.set_random_number_generator(random.Random(seed))
    try:
        yield igraph
    finally:
        igraph.set_random_number_generator(random)


def group_apps(
    n_apps: int, edges: npt.NDArray[np.int64], weights: F64, policy: RingPolicy
) -> tuple[I64, GraphStats]:
    """Per application a group label (-1 when unlinked): components, big ones split."""
    nodes, local = np.unique(edges, return_inverse=True)
    local = local.reshape(edges.shape)
    labels = np.full(n_apps, -1, dtype=np.int64)
    if len(nodes) == 0:
        return labels, GraphStats(n_apps, 0, 0, 0, 0, 0)
    with _igraph_seed(policy.seed) as igraph:
        graph = igraph.Graph(n=len(nodes), directed=False)
        graph.add_edges(local)
        graph.es["weight"] = weights.tolist()
        membership = np.asarray(graph.connected_components().membership, dtype=np.int64)
        sizes = np.bincount(membership)
        group = membership.copy()
        big = np.flatnonzero(sizes > policy.max_ring_size)
        next_label = len(sizes)
        for component in big.tolist():
            vertices = np.flatnonzero(membership == component)
            sub = graph.subgraph(vertices.tolist())
            parts = sub.community_leiden(
                objective_function="modularity", weights="weight", resolution=policy.resolution,
                n_iterations=-1,
            )  # fmt: skip
            group[vertices] = next_label + np.asarray(parts.membership, dtype=np.int64)
            next_label += len(parts)
    labels[nodes] = group
    stats = GraphStats(
        apps=n_apps,
        linked_apps=len(nodes),
        edges=len(edges),
        components=len(sizes),
        largest_component=int(sizes.max()),
        split_components=len(big),
    )
    return labels, stats


def _shared_values(
    kept: _Kept,
    labels: I64,
    identity: I64,
    ns_names: list[str],
    key_label: Callable[[int], str],
) -> dict[int, list[SharedValue]]:
    group = labels[kept.app]
    inside = group >= 0
    who = identity[kept.app]
    who = np.where(who >= 0, who, -(kept.app + 1))
    table = np.stack([group[inside], kept.key[inside], kept.ns[inside], who[inside]], axis=1)
    distinct = np.unique(table, axis=0)
    per_value, n_ids = np.unique(distinct[:, :3], axis=0, return_counts=True)
    counted, n_apps = np.unique(table[:, :3], axis=0, return_counts=True)
    apps_of = {tuple(v): c for v, c in zip(counted.tolist(), n_apps.tolist(), strict=True)}
    out: dict[int, list[SharedValue]] = {}
    for (g, key, ns), ids in zip(per_value.tolist(), n_ids.tolist(), strict=True):
        apps = apps_of[(g, key, ns)]
        if apps >= 2:
            value = SharedValue(ns_names[ns], key, apps, ids, key_label(key))
            out.setdefault(g, []).append(value)
    return out


def detect_rings(
    rows: LinkRows,
    policy: RingPolicy | None = None,
    *,
    start: int | None = None,
    end: int | None = None,
    known_bad: npt.NDArray[np.bool_] | None = None,
) -> RingReport:
    """Find, score and flag rings among the applications of `rows`.

    Parameters
    ----------
    rows : LinkRows
    policy : RingPolicy, optional
    start, end : int, optional
        Only applications submitted in ``[start, end)`` (epoch seconds).
    known_bad : ndarray of bool, optional
        Per application: confirmed fraud.

    Returns
    -------
    RingReport
        Rings sorted by score (highest first); ids ``R<first member's id>``.
    """
    policy = policy or RingPolicy()
    kept, ns_names = kept_values(rows, policy.link, start, end)
    edges, weights = build_edges(rows, policy.link, kept, ns_names)
    labels, stats = group_apps(rows.n_apps, edges, weights, policy)
    identity = rows.first_key_of("id_number")
    bad = known_bad if known_bad is not None else np.zeros(rows.n_apps, dtype=bool)
    key_label = _labeller(rows)
    shared = _shared_values(kept, labels, identity, ns_names, key_label)
    edge_group = labels[edges[:, 0]] if len(edges) else np.zeros(0, dtype=np.int64)
    group_weight = _sum_by(edge_group, weights)
    rings = []
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    bounds = np.flatnonzero(np.diff(sorted_labels)) + 1
    for chunk in np.split(order, bounds):
        if not len(chunk):  # a store without applications: np.split gives one empty chunk
            continue
        g = int(labels[chunk[0]])
        if g < 0 or len(chunk) < policy.min_size:
            continue
        members = np.sort(chunk)
        ring_id = f"R{rows.app_ids[int(members[0])]}"
        weight, n_bad = group_weight.get(g, 0.0), int(bad[members].sum())
        ring = build_ring(
            ring_id,
            members,
            rows,
            identity,
            shared.get(g, []),
            weight,
            n_bad,
            scoring=policy.scoring,
            flag_score=policy.flag_score,
            min_identities=policy.min_identities,
        )
        rings.append(ring)
    rings.sort(key=lambda r: (-r.score, r.ring_id))
    membership = np.full(rows.n_apps, -1, dtype=np.int64)
    for index, ring in enumerate(rings):
        membership[list(ring.members)] = index
    return RingReport(tuple(rings), stats, membership, edges, weights)


def _sum_by(groups: I64, values: F64) -> dict[int, float]:
    out: dict[int, float] = {}
    for g, v in zip(groups.tolist(), values.tolist(), strict=True):
        out[g] = out.get(g, 0.0) + v
    return out


def _labeller(rows: LinkRows) -> Callable[[int], str]:
    labels = rows.key_labels

    def label(key: int) -> str:
        return labels[key] if labels is not None and 0 <= key < len(labels) else f"#{key}"

    return label
