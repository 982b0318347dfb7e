"""Model cards: the facts of a trained model, and their Markdown rendering (pure).

A trainer gathers the facts (purpose, population, importance, held-out and in-sample
figures, calibration, stability, limits) into a ``card`` dict kept in the manifest; the
registry writes ``model_card.md`` beside it. Every figure names its sample, and the held-out
figures are a section apart from the in-sample ones. Who approved a version is known only
to the store, so ``render`` takes the approvals and ``autolease model card`` passes them.

>>> facts = card_facts(purpose="p", population="q", held_out=[figures("cross-fit, 5 folds",
...     {"auc": 0.7})], in_sample=[figures("in-sample", {"auc": 0.8})])
>>> text = render(facts, ref="m@1", window={}, created_at="t")
>>> text.index("## Held-out") < text.index("## In-sample")
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

CARD_FILE = "model_card.md"
NO_APPROVAL = "not approved yet: a candidate (no stage change has been approved in the store)"


def figures(sample: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """One set of figures and the sample they come from."""
    return {"sample": sample, "metrics": dict(values)}


def card_facts(
    *,
    purpose: str,
    population: str,
    held_out: Sequence[dict[str, Any]],
    in_sample: Sequence[dict[str, Any]] = (),
    importance: Sequence[dict[str, Any]] = (),
    calibration: dict[str, Any] | None = None,
    stability: dict[str, Any] | None = None,
    limits: Sequence[str] = (),
) -> dict[str, Any]:
    """The card's facts, as stored in the manifest (``manifest.card``)."""
    return {
        "purpose": purpose,
        "population": population,
        "held_out": list(held_out),
        "in_sample": list(in_sample),
        "importance": list(importance),
        "calibration": calibration,
        "stability": stability,
        "limits": list(limits),
    }


def top_importance(pairs: Mapping[str, float], key: str, limit: int = 20) -> list[dict[str, Any]]:
    """The `limit` largest of `pairs`, as rows ``{"feature", key}``."""
    ranked = sorted(pairs.items(), key=lambda kv: -kv[1])[:limit]
    return [{"feature": name, key: round(float(value), 6)} for name, value in ranked]


def _value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _figure_lines(items: Sequence[dict[str, Any]], empty: str) -> list[str]:
    if not items:
        return [empty, ""]
    lines: list[str] = []
    for item in items:
        lines.append(f"Sample: **{item['sample']}**")
        lines.append("")
        lines += ["| metric | value |", "|---|---|"]
        lines += [f"| {k} | {_value(v)} |" for k, v in item["metrics"].items()]
        lines.append("")
    return lines


def _table(rows: Sequence[dict[str, Any]]) -> list[str]:
    if not rows:
        return ["not available", ""]
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(_value(r.get(k, "")) for k in keys) + " |" for r in rows]
    return [*lines, ""]


def _mapping(section: dict[str, Any] | None, missing: str) -> list[str]:
    if not section:
        return [missing, ""]
    lines = [f"Sample: **{section['sample']}**", ""] if "sample" in section else []
    rows = section.get("rows")
    lines += _table(rows) if isinstance(rows, list) else []
    lines += [f"* {k}: {_value(v)}" for k, v in section.items() if k not in ("sample", "rows")]
    return [*lines, ""]


def _approvals(approvals: Sequence[Mapping[str, Any]] | None) -> list[str]:
    if approvals is None:
        return ["Rendered at training; `autolease model card NAME@VERSION` fills this in.", ""]
    if not approvals:
        return [NO_APPROVAL, ""]
    return [
        f"* {a['stage']}: proposed by {a['proposed_by']}, approved by {a['approved_by']}"
        f" at {a['decided_at']}"
        for a in approvals
    ] + [""]


def render(
    card: Mapping[str, Any],
    *,
    ref: str,
    window: Mapping[str, str],
    created_at: str,
    approvals: Sequence[Mapping[str, Any]] | None = None,
    stage: str | None = None,
) -> str:
    """The Markdown card of one model version."""
    lines = [f"# Model card: {ref}", "", f"Trained {created_at}."]
    if stage:
        lines.append(f"Stage in the store: **{stage}**.")
    lines += ["", "## Purpose", "", card.get("purpose", ""), ""]
    lines += ["## Data window and population", ""]
    lines += [f"* {k}: {v}" for k, v in window.items()] or ["* window: not recorded"]
    lines += ["", card.get("population", ""), "", "## Features (importance)", ""]
    lines += _table(card.get("importance", []))
    lines += ["## Held-out metrics", ""]
    lines += _figure_lines(card.get("held_out", []), "none: no held-out figure was computed")
    lines += ["## In-sample metrics (the rows the model was fitted on; optimistic)", ""]
    lines += _figure_lines(card.get("in_sample", []), "none recorded")
    lines += ["## Calibration", "", *_mapping(card.get("calibration"), "not measured")]
    lines += ["## Stability over time", ""]
    lines += _mapping(card.get("stability"), "not measured: the data has no date column")
    lines += ["## Known limits", ""] + [f"* {x}" for x in card.get("limits", [])] + [""]
    lines += ["## Approval", "", *_approvals(approvals)]
    return "\n".join(lines)
