"""A fraud ring as graph elements for Cytoscape.js (pure): applications and the values they
share (phones, devices, cards, addresses, employers …), an edge per application carrying a
value, labelled with the value's kind.

A ring run draws every ring it finds, so the rows are indexed by value once (`KeyIndex`):
each shared value's holders are then a slice, not a pass over every link row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from autolease.fraud.links import I64, LinkRows
from autolease.fraud.ringscore import Ring

Elements = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class KeyIndex:
    """The applications of each value id of `rows`, by binary search."""

    keys: I64  # sorted
    apps: I64  # the application of each sorted row

    @classmethod
    def of(cls, rows: LinkRows) -> KeyIndex:
        order = np.argsort(rows.key, kind="stable")
        return cls(rows.key[order], rows.app[order])

    def apps_of(self, key: int) -> I64:
        lo = int(np.searchsorted(self.keys, key, side="left"))
        hi = int(np.searchsorted(self.keys, key, side="right"))
        return self.apps[lo:hi]


def elements(
    ring: Ring, rows: LinkRows, known_bad: set[str], index: KeyIndex | None = None
) -> Elements:
    """``{"nodes": [...], "edges": [...]}`` in Cytoscape's element form."""
    index = index or KeyIndex.of(rows)
    members = set(ring.members)
    nodes: list[dict[str, Any]] = []
    for a in ring.members:
        app = str(rows.app_ids[a])
        nodes.append(
            {
                "data": {"id": f"a:{app}", "label": app[-8:], "app": app},
                "classes": "app bad" if app in known_bad else "app",
            }
        )
    edges: list[dict[str, Any]] = []
    for value in ring.shared:
        # a value's id is its key hash: one namespace (a phone as contact or applicant phone)
        holders = sorted({int(a) for a in index.apps_of(value.key).tolist() if a in members})
        if len(holders) < 2:
            continue
        node_id = f"v:{value.kind}:{value.key}"
        nodes.append(
            {
                "data": {"id": node_id, "label": f"{value.kind} {value.label}"[:28]},
                "classes": "value",
            }
        )
        for a in holders:
            edges.append(
                {
                    "data": {
                        "id": f"{node_id}>{a}",
                        "source": f"a:{rows.app_ids[a]}",
                        "target": node_id,
                        "kind": value.kind,
                    }
                }
            )
    return {"nodes": nodes, "edges": edges}


def with_known_bad(graph: Elements, known_bad: set[str]) -> Elements:
    """The same elements with the applications' classes set from `known_bad` (a stored
    drawing shows today's labels, not the run's)."""
    nodes = []
    for node in graph["nodes"]:
        app = node["data"].get("app")
        if app is not None:
            node = {**node, "classes": "app bad" if app in known_bad else "app"}
        nodes.append(node)
    return {"nodes": nodes, "edges": graph["edges"]}
