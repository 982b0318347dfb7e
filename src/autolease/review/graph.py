"""The relationship graph drawn on a case (pure): the application, the applications up to
two hops away, and the values that tie them, as nodes and edges for Cytoscape.js.

The walk itself is the fraud stage's (`fraud.neighbourhood.explore`: degree caps, SP-shared
values and the lookback are the same as at intake); this module turns what it found into a
picture. Value nodes are phones (an applicant's or an emergency contact's), devices, bank
cards, addresses, employers and identities; a value is drawn when the case's application
carries it or when two or more drawn applications share it. Values are shown by a hash
prefix, never in clear. Edges are labelled by link kind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

NODE_KINDS: Mapping[str, str] = {
    "phone": "phone",
    "contact_phone": "phone",
    "device": "device",
    "bank_card": "card",
    "address": "address",
    "employer": "employer",
    "id_number": "identity",
}
"""Link kind → the kind of value node it is drawn as (other kinds are not drawn)."""

MAX_APPS = 60


@dataclass(frozen=True)
class AppNode:
    id: str
    hop: int  # 0 the case, 1 or 2
    sp: int
    status: str | None
    bad: bool
    ring: str | None = None


@dataclass
class CaseGraph:
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)
    ring_id: str | None = None
    ring_members: list[str] = field(default_factory=list)
    truncated: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "nodes": self.nodes,
            "edges": self.edges,
            "ring_id": self.ring_id,
            "ring_members": self.ring_members,
            "truncated": self.truncated,
        }


def chosen_apps(
    center: str, hop1: Sequence[str], hop2: Sequence[str], limit: int = MAX_APPS
) -> tuple[list[str], bool]:
    """The applications drawn: the case, then hop 1, then hop 2, at most `limit` in all.

    >>> chosen_apps("a", ["b", "c"], ["d"], limit=3)
    (['a', 'b', 'c'], True)
    """
    ordered = [center, *[a for a in hop1 if a != center], *[a for a in hop2 if a != center]]
    return ordered[:limit], len(ordered) > limit


def build(
    apps: Sequence[AppNode],
    keys: Mapping[str, Sequence[tuple[str, str]]],
    *,
    sp_codes: Mapping[int, str],
    ring_id: str | None = None,
) -> CaseGraph:
    """Nodes and edges for the drawn applications and their linking values.

    >>> a = AppNode("app_a", 0, 1, "referred", False)
    >>> b = AppNode("app_b", 1, 2, "approved", True)
    >>> g = build([a, b], {"app_a": [("phone", "h1"), ("device", "d9")],
    ...                    "app_b": [("contact_phone", "h1"), ("device", "d7")]},
    ...           sp_codes={1: "SP-A", 2: "SP-B"})
    >>> sorted(n["data"]["id"] for n in g.nodes)
    ['app_a', 'app_b', 'device:d9', 'phone:h1']
    >>> sorted((e["data"]["source"], e["data"]["label"]) for e in g.edges)
    [('app_a', 'device'), ('app_a', 'phone'), ('app_b', 'contact_phone')]
    """
    graph = CaseGraph(ring_id=ring_id, ring_members=[a.id for a in apps if a.ring])
    holders: defaultdict[str, set[str]] = defaultdict(set)
    edges: list[tuple[str, str, str]] = []
    center = next((a.id for a in apps if a.hop == 0), None)
    for app in apps:
        for kind, key in keys.get(app.id, ()):
            node_kind = NODE_KINDS.get(kind)
            if node_kind is None:
                continue
            value_id = f"{node_kind}:{key}"
            holders[value_id].add(app.id)
            edges.append((app.id, value_id, kind))
    drawn = {v for v, owners in holders.items() if len(owners) >= 2 or (center in owners)}
    for app in apps:
        graph.nodes.append({"data": _app_data(app, sp_codes)})
    for value_id in sorted(drawn):
        node_kind, _, key = value_id.partition(":")
        graph.nodes.append(
            {
                "data": {
                    "id": value_id,
                    "type": node_kind,
                    "label": f"{node_kind} {key[:6]}",
                    "shared_by": len(holders[value_id]),
                }
            }
        )
    seen: set[tuple[str, str, str]] = set()
    for source, target, kind in edges:
        if target in drawn and (source, target, kind) not in seen:
            seen.add((source, target, kind))
            graph.edges.append(
                {
                    "data": {
                        "id": f"{source}>{target}>{kind}",
                        "source": source,
                        "target": target,
                        "label": kind,
                    }
                }
            )
    return graph


def _app_data(app: AppNode, sp_codes: Mapping[int, str]) -> dict[str, Any]:
    return {
        "id": app.id,
        "type": "application",
        "label": app.id[-8:],
        "hop": app.hop,
        "sp": sp_codes.get(app.sp, str(app.sp)),
        "status": app.status,
        "bad": app.bad,
        "ring": app.ring is not None,
    }
