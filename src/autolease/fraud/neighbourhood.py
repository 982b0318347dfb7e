"""The k-hop neighbourhood of one application and its graph features (pure).

At intake the application is not stored yet; its link keys are the seeds. `explore` walks two
hops through shared values, as of ``as_of`` (only applications submitted in
``[as_of - lookback, as_of)`` are neighbours), under the `keys.LinkPolicy`:

1. each seed value is looked up (at most ``max_degree + 1`` most recent applications);
   a value above ``max_degree`` is *common* and a value above ``single_sp_max`` seen at one
   SP only is *SP-shared*: neither links;
2. the applications found (hop 1; the ``max_expand_apps`` most recent of them) give their
   own values, which are looked up the same way (hop 2).

The walk reads the store through a `LinkSource` (two batched calls per hop: online
`fraud.repository.SqlLinkSource`, offline `InMemoryLinkSource`), so both give the same
neighbourhood. `graph_features` turns it into features: size, distinct identities, SP
concentration, link recency and strength, the kinds linking, known-bad share.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import numpy.typing as npt

from autolease.fraud.keys import DEFAULT_POLICY, LinkPolicy
from autolease.fraud.links import DAY, KIND_CODE, LinkRows

AppId = Hashable
GRAPH_NAMESPACES: tuple[str, ...] = ("id_number", "phone", "bank_card", "device", "address", "vin")


@dataclass(frozen=True)
class Hit:
    """An earlier application carrying a value, with its identity and known-bad status."""

    app: AppId
    kind: str
    sp: int
    at: float  # epoch seconds
    identity: Hashable | None = None
    bad: bool = False


@dataclass(frozen=True)
class Lookup:
    """A value to look up: its namespace, the kinds that share it, its key, the row limit."""

    namespace: str
    kinds: tuple[str, ...]
    key: Hashable
    limit: int


@dataclass(frozen=True)
class AppKey:
    """A link key of a stored application."""

    kind: str
    key: Hashable


class LinkSource(Protocol):
    """What the walk reads: values → recent applications, applications → their values."""

    def recent(
        self, lookups: Sequence[Lookup], start: float, end: float
    ) -> dict[Hashable, list[Hit]]:
        """Per lookup key, up to ``limit`` applications submitted in ``[start, end)``.

        Each hit carries the application's ``id_number`` key and whether its latest label
        before ``end`` is fraud. Sorted most recent first. When more than ``limit`` exist,
        which ones come back does not matter: ``limit`` is the degree cap plus one, so such a
        value is dropped anyway.
        """
        ...

    def keys_of(self, apps: Sequence[AppId]) -> dict[AppId, list[AppKey]]:
        """All link keys of the given applications."""
        ...


@dataclass
class Neighbourhood:
    """What `explore` found around one application."""

    hop1: dict[AppId, list[tuple[str, float]]] = field(default_factory=dict)
    hop2: set[AppId] = field(default_factory=set)
    times: dict[AppId, float] = field(default_factory=dict)
    sps: dict[AppId, int] = field(default_factory=dict)
    identities: dict[AppId, Hashable] = field(default_factory=dict)
    bad: set[AppId] = field(default_factory=set)
    common_keys: int = 0
    sp_shared_keys: int = 0

    @property
    def members(self) -> set[AppId]:
        return set(self.hop1) | self.hop2


def _lookups(
    policy: LinkPolicy, keys: Iterable[AppKey], seen: set[tuple[str, Hashable]]
) -> list[Lookup]:
    out = []
    for k in keys:
        kind_policy = policy.of(k.kind)
        ident = (kind_policy.namespace, k.key)
        if not kind_policy.links or ident in seen:
            continue
        seen.add(ident)
        caps = policy.namespace_policy(kind_policy.namespace)
        out.append(
            Lookup(
                kind_policy.namespace,
                policy.namespace_kinds(kind_policy.namespace),
                k.key,
                caps.max_degree + 1,
            )
        )
    return sorted(out, key=lambda lk: (lk.namespace, str(lk.key)))


def _classify(hits: list[Hit], lookup: Lookup, policy: LinkPolicy) -> str:
    caps = policy.namespace_policy(lookup.namespace)
    if len(hits) > caps.max_degree:
        return "common"
    if len(hits) > caps.single_sp_max and len({h.sp for h in hits}) == 1:
        return "sp_shared"
    return "linked"


def _expand(
    source: LinkSource,
    lookups: list[Lookup],
    start: float,
    end: float,
    policy: LinkPolicy,
    nb: Neighbourhood,
    *,
    own: bool,
) -> dict[AppId, list[tuple[str, float]]]:
    """Look the values up; return the applications linked through them (with weights).

    Dropped values (common or SP-shared) are counted only for the application's own keys.
    """
    found: dict[AppId, list[tuple[str, float]]] = {}
    if not lookups:
        return found
    hits_by_key = source.recent(lookups, start, end)
    for lookup in lookups:
        hits = hits_by_key.get(lookup.key, [])
        verdict = _classify(hits, lookup, policy)
        if verdict != "linked":
            if own and verdict == "common":
                nb.common_keys += 1
            elif own:
                nb.sp_shared_keys += 1
            continue
        weight = policy.link_weight(lookup.namespace, len(hits))
        for hit in hits:
            found.setdefault(hit.app, []).append((lookup.namespace, weight))
            nb.times[hit.app] = hit.at
            nb.sps[hit.app] = hit.sp
            if hit.identity is not None:
                nb.identities[hit.app] = hit.identity
            if hit.bad:
                nb.bad.add(hit.app)
    return found


def explore(
    source: LinkSource,
    seeds: Sequence[AppKey],
    *,
    self_id: AppId | None,
    as_of: float,
    policy: LinkPolicy = DEFAULT_POLICY,
) -> Neighbourhood:
    """Walk two hops from the seed values as of ``as_of`` (epoch seconds).

    Parameters
    ----------
    source : LinkSource
    seeds : sequence of AppKey
        The link keys of the application being assessed.
    self_id : hashable or None
        Its id when it is already stored (offline), so it is not its own neighbour.
    as_of : float
        Epoch seconds; only earlier applications within the lookback are neighbours.
    policy : LinkPolicy

    Returns
    -------
    Neighbourhood
    """
    nb = Neighbourhood()
    start = as_of - policy.lookback_days * DAY
    seen: set[tuple[str, Hashable]] = set()
    hop1 = _expand(source, _lookups(policy, seeds, seen), start, as_of, policy, nb, own=True)
    hop1.pop(self_id, None)
    nb.hop1 = hop1
    if not hop1:
        return nb
    expand = sorted(hop1, key=lambda a: (nb.times[a], str(a)), reverse=True)
    chosen = sorted(expand[: policy.max_expand_apps], key=str)
    keys = source.keys_of(chosen)
    frontier = _lookups(policy, (k for app in chosen for k in keys[app]), seen)
    hop2 = _expand(source, frontier, start, as_of, policy, nb, own=False)
    nb.hop2 = set(hop2) - set(hop1) - {self_id}
    return nb


# ----------------------------------------------------------------------------- features

GRAPH_FEATURES: tuple[str, ...] = (
    "graph_hop1_apps",
    "graph_hop2_apps",
    "graph_component_size",
    "graph_other_ids",
    "graph_distinct_sps",
    "graph_sp_top_share",
    "graph_link_weight",
    "graph_shared_kinds",
    *(f"graph_links_{ns}" for ns in GRAPH_NAMESPACES),
    "graph_last_link_days",
    "graph_hop1_apps_30d",
    "graph_common_keys",
    "graph_sp_shared_keys",
    "graph_known_bad",
    "graph_known_bad_hop1",
    "graph_known_bad_share",
)


def graph_features(
    nb: Neighbourhood,
    *,
    own_identity: Hashable | None,
    own_sp: int,
    as_of: float,
    known_bad: Iterable[AppId] | None = None,
) -> dict[str, float | int | None]:
    """Features of a neighbourhood (see `GRAPH_FEATURES`).

    Parameters
    ----------
    nb : Neighbourhood
    own_identity : hashable or None
        The application's own ``id_number`` key.
    own_sp : int
        Its SP.
    as_of : float
        Epoch seconds.
    known_bad : iterable, optional
        Neighbours confirmed as fraud before ``as_of`` (default: those the look-ups
        marked, ``nb.bad``).

    Returns
    -------
    dict
        ``graph_last_link_days`` is ``None`` without neighbours; everything else is a number.
    """
    members = nb.members
    identities = {nb.identities[a] for a in members if a in nb.identities}
    identities.discard(own_identity)
    sps = Counter(nb.sps[a] for a in members if a in nb.sps)
    sps[own_sp] += 1
    kinds = Counter(ns for links in nb.hop1.values() for ns in {n for n, _ in links})
    last = max((nb.times[a] for a in nb.hop1), default=None)
    bad_set = (nb.bad if known_bad is None else set(known_bad)) & members
    bad = len(bad_set)
    out: dict[str, float | int | None] = {
        "graph_hop1_apps": len(nb.hop1),
        "graph_hop2_apps": len(nb.hop2),
        "graph_component_size": 1 + len(members),
        "graph_other_ids": len(identities),
        "graph_distinct_sps": len(sps),
        "graph_sp_top_share": round(max(sps.values()) / (1 + len(members)), 4),
        "graph_link_weight": round(sum(w for links in nb.hop1.values() for _, w in links), 4),
        "graph_shared_kinds": len(kinds),
    }
    for ns in GRAPH_NAMESPACES:
        out[f"graph_links_{ns}"] = kinds.get(ns, 0)
    recent = sum(1 for a in nb.hop1 if nb.times[a] >= as_of - 30 * DAY)
    out.update(
        {
            "graph_last_link_days": None if last is None else round((as_of - last) / DAY, 3),
            "graph_hop1_apps_30d": recent,
            "graph_common_keys": nb.common_keys,
            "graph_sp_shared_keys": nb.sp_shared_keys,
            "graph_known_bad": bad,
            "graph_known_bad_hop1": len(bad_set & set(nb.hop1)),
            "graph_known_bad_share": round(bad / len(members), 4) if members else 0.0,
        }
    )
    return out


# ----------------------------------------------------------------------------- offline


class InMemoryLinkSource:
    """A `LinkSource` over `LinkRows` (offline; values with one application are skipped)."""

    def __init__(self, rows: LinkRows, known_bad: npt.NDArray[np.bool_] | None = None) -> None:
        self._rows = rows
        self._bad = known_bad
        key, counts = np.unique(rows.key, return_counts=True)
        shared = set(key[counts >= 2].tolist())
        keep = np.flatnonzero(np.isin(rows.key, np.asarray(sorted(shared), dtype=np.int64)))
        app, kinds, keys = rows.app[keep], rows.kind[keep], rows.key[keep]
        times = rows.app_time[app]
        order = np.lexsort((app, times, keys))
        self._by_key: dict[int, tuple[list[int], list[int], list[int]]] = {}
        self._by_app: dict[int, list[AppKey]] = {}
        names = {code: kind for kind, code in KIND_CODE.items()}
        for pos in order.tolist():
            k, a = int(keys[pos]), int(app[pos])
            entry = self._by_key.setdefault(k, ([], [], []))
            entry[0].append(int(times[pos]))
            entry[1].append(a)
            entry[2].append(int(kinds[pos]))
            self._by_app.setdefault(a, []).append(AppKey(names[int(kinds[pos])], k))
        self._identity = rows.first_key_of("id_number")
        self._names = names

    def recent(
        self, lookups: Sequence[Lookup], start: float, end: float
    ) -> dict[Hashable, list[Hit]]:
        out: dict[Hashable, list[Hit]] = {}
        for lookup in lookups:
            entry = self._by_key.get(int(lookup.key))  # type: ignore[call-overload]
            if entry is None:
                out[lookup.key] = []
                continue
            times, apps, kinds = entry
            lo = bisect.bisect_left(times, start)
            hi = bisect.bisect_left(times, end)
            wanted = {KIND_CODE[k] for k in lookup.kinds}
            picked: list[int] = []
            for i in range(hi - 1, lo - 1, -1):
                if kinds[i] in wanted:
                    picked.append(i)
                    if len(picked) == lookup.limit:
                        break
            out[lookup.key] = [self._hit(apps[i], kinds[i], times[i]) for i in picked]
        return out

    def _hit(self, app: int, kind: int, at: int) -> Hit:
        identity = int(self._identity[app])
        return Hit(
            app,
            self._names[kind],
            int(self._rows.app_sp[app]),
            at,
            identity if identity >= 0 else None,
            bool(self._bad[app]) if self._bad is not None else False,
        )

    def keys_of(self, apps: Sequence[AppId]) -> dict[AppId, list[AppKey]]:
        out: dict[AppId, list[AppKey]] = {}
        for app in apps:
            keys = list(self._by_app.get(int(app), []))  # type: ignore[call-overload]
            identity = int(self._identity[int(app)])  # type: ignore[call-overload]
            if identity >= 0 and not any(k.kind == "id_number" for k in keys):
                keys.append(AppKey("id_number", identity))
            out[app] = keys
        return out

    def seeds(self, app: int) -> list[AppKey]:
        """The link keys of application `app` (shared values only, plus its identity)."""
        return self.keys_of([app])[app]


def graph_frame(
    rows: LinkRows, policy: LinkPolicy = DEFAULT_POLICY, *, apps: Sequence[int] | None = None
) -> dict[str, npt.NDArray[np.float64]]:
    """Graph features of applications of `rows`, each as of its own submission time.

    Parameters
    ----------
    rows : LinkRows
    policy : LinkPolicy
    apps : sequence of int, optional
        Application indices to compute (default: all).

    Returns
    -------
    dict of str to ndarray of float64
        One array per name of `GRAPH_FEATURES` (NaN for ``graph_last_link_days`` without
        neighbours, and for applications not computed).
    """
    source = InMemoryLinkSource(rows)
    identity = rows.first_key_of("id_number")
    chosen = range(rows.n_apps) if apps is None else apps
    out = {name: np.full(rows.n_apps, np.nan) for name in GRAPH_FEATURES}
    for app in chosen:
        as_of = float(rows.app_time[app])
        nb = explore(source, source.seeds(app), self_id=app, as_of=as_of, policy=policy)
        own = int(identity[app])
        features = graph_features(
            nb, own_identity=own if own >= 0 else None, own_sp=int(rows.app_sp[app]), as_of=as_of
        )
        for name, value in features.items():
            out[name][app] = np.nan if value is None else value
    return out
