"""A fraud ring as graph elements for Cytoscape.js (pure): applications and the values they
share (phones, devices, cards, addresses, employers …), an edge per application carrying a
value, labelled with the value's kind."""

from __future__ import annotations

from typing import Any

import numpy as np

from autolease.fraud.links import LinkRows
from autolease.fraud.ringscore import Ring


def elements(ring: Ring, rows: LinkRows, known_bad: set[str]) -> dict[str, list[dict[str, Any]]]:
    """``{"nodes": [...], "edges": [...]}`` in Cytoscape's element form."""
    members = np.asarray(ring.members, dtype=np.int64)
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
        carrying = np.isin(rows.app, members) & (rows.key == value.key)
        holders = sorted({int(a) for a in rows.app[carrying]})
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
