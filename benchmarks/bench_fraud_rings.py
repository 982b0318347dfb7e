"""Offline ring detection over a whole book: time, ring quality, and networkx for comparison.

Usage:
    python -m benchmarks.bench_fraud_rings --book DIR
    python -m benchmarks.bench_fraud_rings --applications 1000000 --seed 11

Reports, in one run:
* ``fraud_rings_time`` — reading the tables, building link rows, and `detect_rings` (value
  caps, edges, igraph components + Leiden on big components, scoring);
* ``fraud_rings_component_step`` — the same component step (same edges) in igraph and in a
  plain networkx implementation (graph build + connected components), and the ratio;
* ``fraud_rings_quality`` — against the book's truth: ring members in flagged rings, share of
  applications flagged, ring purity, the largest component;
* ``fraud_rings_naive`` — the giant component of naive linking (every shared value of every
  kind, no caps) for contrast.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from autolease.fraud.book import book_link_rows, book_truth
from autolease.fraud.keys import DEFAULT_POLICY, KINDS, KindPolicy, LinkPolicy
from autolease.fraud.rings import RingPolicy, build_edges, detect_rings, kept_values
from autolease.fraud.service.offline import read_book
from benchmarks.common import emit, machine, peak_rss_mb


def book_dir(args: argparse.Namespace, tmp: Path) -> Path:
    if args.book:
        return Path(args.book)
    from autolease.synth.config import SynthConfig
    from autolease.synth.writer import write_book

    out = tmp / "book"
    write_book(SynthConfig(n_applications=args.applications, seed=args.seed), out)
    return out


def component_step(n: int, edges: np.ndarray) -> dict[str, float]:  # type: ignore[type-arg]
    """Build the graph and find its connected components, in igraph and in networkx.

    Both start from the same integer edge array and end with every component's size;
    relabelling to contiguous vertex ids (igraph needs them) is counted on igraph's side.
    """
    import igraph
    import networkx as nx

    t0 = time.perf_counter()
    nodes, local = np.unique(edges, return_inverse=True)
    g = igraph.Graph(n=len(nodes))
    g.add_edges(local.reshape(edges.shape))
    t1 = time.perf_counter()
    ig_sizes = np.sort(np.bincount(g.connected_components().membership))
    t2 = time.perf_counter()
    h = nx.Graph()
    h.add_edges_from(edges.tolist())
    t3 = time.perf_counter()
    nx_sizes = np.sort([len(c) for c in nx.connected_components(h)])
    t4 = time.perf_counter()
    assert np.array_equal(ig_sizes, nx_sizes), "igraph and networkx disagree on the components"
    return {
        "igraph_build_s": round(t1 - t0, 3),
        "igraph_components_s": round(t2 - t1, 3),
        "networkx_build_s": round(t3 - t2, 3),
        "networkx_components_s": round(t4 - t3, 3),
        "igraph_s": round(t2 - t0, 3),
        "networkx_s": round(t4 - t2, 3),
        "ratio_networkx_over_igraph": round((t4 - t2) / max(t2 - t0, 1e-9), 1),
        "components": len(ig_sizes),
        "edges": len(edges),
    }


NAIVE_KINDS = ("id_number", "phone", "contact_phone", "device", "vin")


def naive_giant(rows: Any) -> dict[str, Any]:
    """Largest component when every shared phone, device, ID or VIN links, with no caps."""
    import igraph

    naive = LinkPolicy(
        kinds={
            k: KindPolicy(k, 1.0, links=k in NAIVE_KINDS, max_degree=10**9,
                          namespace="phone" if k == "contact_phone" else "")
            for k in KINDS
        },
        max_gap_days=10**6,
    )  # fmt: skip
    kept, _ = kept_values(rows, naive)
    edges = _chain_edges(kept)
    g = igraph.Graph(n=rows.n_apps, edges=edges.tolist())
    largest = max(len(c) for c in g.connected_components())
    step = component_step(rows.n_apps, edges)
    return {"kinds": list(NAIVE_KINDS), "largest_component": largest,
            "share": round(largest / rows.n_apps, 4),
            **{f"component_step_{k}": v for k, v in step.items()}}  # fmt: skip


def _chain_edges(kept: Any) -> np.ndarray:  # type: ignore[type-arg]
    order = np.lexsort((kept.app, kept.key))
    app, key = kept.app[order], kept.key[order]
    same = key[1:] == key[:-1]
    return np.stack([app[:-1][same], app[1:][same]], axis=1)


def quality(report: Any, truth: Any) -> dict[str, Any]:
    members = truth["ring_id"].notna().to_numpy()
    flagged = report.flagged_apps()
    ring_ids = truth["ring_id"].to_numpy()
    purity = []
    for ring in report.rings:
        if ring.flagged:
            ids = ring_ids[list(ring.members)]
            values, counts = np.unique(np.where(np.isnan(ids.astype(float)), -1, ids),
                                       return_counts=True)  # fmt: skip
            purity.append(counts.max() / counts.sum() if values[counts.argmax()] >= 0 else 0.0)
    return {
        "ring_members": int(members.sum()),
        "ring_member_recall": round(float(flagged[members].mean()), 4),
        "flagged_share": round(float(flagged.mean()), 5),
        "flagged_rings": int(sum(r.flagged for r in report.rings)),
        "true_rings": int(truth["ring_id"].nunique()),
        "median_purity": round(float(np.median(purity)), 3) if purity else None,
        "largest_component": report.stats.largest_component,
        "split_components": report.stats.split_components,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--book", default=None)
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        book = book_dir(args, Path(tmp))
        t0 = time.perf_counter()
        tables = read_book(book, ("applications", "applicants", "vehicles", "truth"))
        t1 = time.perf_counter()
        links = book_link_rows(tables)
        t2 = time.perf_counter()
        report = detect_rings(links.rows, RingPolicy())
        t3 = time.perf_counter()
    rows = links.rows
    emit("fraud_rings_time", applications=rows.n_apps, link_rows=len(rows),
         read_s=round(t1 - t0, 2), link_rows_s=round(t2 - t1, 2), detect_s=round(t3 - t2, 2),
         total_s=round(t3 - t0, 2), peak_rss_mb=peak_rss_mb())  # fmt: skip
    kept, names = kept_values(rows, DEFAULT_POLICY)
    edges, _ = build_edges(rows, DEFAULT_POLICY, kept, names)
    emit("fraud_rings_component_step", **component_step(rows.n_apps, edges))
    truth = book_truth(tables, rows.app_ids)
    emit("fraud_rings_quality", **quality(report, truth))
    emit("fraud_rings_naive", **naive_giant(rows), **machine())


if __name__ == "__main__":
    main()
