"""The portfolio report as one HTML page with inline SVG charts (pure; no scripts, no CDN)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

WIDTH, HEIGHT, PAD = 560, 240, 36
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")


def _polyline(points: Sequence[tuple[float, float]], colour: str) -> str:
    text = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{text}"/>'


def line_chart(series: dict[str, list[tuple[int, float]]], title: str, y_label: str) -> str:
    """Lines of (x, y) with axes; y is a share shown as per cent."""
    xs = [x for pts in series.values() for x, _ in pts] or [0, 1]
    ys = [y for pts in series.values() for _, y in pts] or [0.0, 1.0]
    x_max, y_max = max(max(xs), 1), max(max(ys), 1e-6)

    def at(x: float, y: float) -> tuple[float, float]:
        return (
            PAD + (WIDTH - 2 * PAD) * x / x_max,
            HEIGHT - PAD - (HEIGHT - 2 * PAD) * y / y_max,
        )

    lines = [
        _polyline([at(x, y) for x, y in pts], PALETTE[i % len(PALETTE)])
        for i, pts in enumerate(series.values())
    ]
    legend = "".join(
        f'<text x="{WIDTH - PAD + 4}" y="{PAD + 12 * i}" font-size="9" '
        f'fill="{PALETTE[i % len(PALETTE)]}">{escape(name)}</text>'
        for i, name in enumerate(list(series)[:16])
    )
    return (
        f"<figure><figcaption>{escape(title)}</figcaption>"
        f'<svg viewBox="0 0 {WIDTH + 90} {HEIGHT}" width="{WIDTH + 90}" height="{HEIGHT}" '
        f'role="img" aria-label="{escape(title)}">'
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        'stroke="#999"/>'
        f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{HEIGHT - PAD}" stroke="#999"/>'
        f'<text x="{PAD}" y="{PAD - 8}" font-size="10">{escape(y_label)} (max {y_max:.1%})</text>'
        f'<text x="{WIDTH - PAD}" y="{HEIGHT - 8}" font-size="10" text-anchor="end">'
        f"month on book (max {x_max})</text>" + "".join(lines) + legend + "</svg></figure>"
    )


def vintage_chart(records: list[dict[str, Any]], title: str, by: str = "cohort") -> str:
    series: dict[str, list[tuple[int, float]]] = {}
    for row in records:
        series.setdefault(str(row[by]), []).append((int(row["mob"]), float(row["bad_rate"])))
    return line_chart(series, title, "cumulative M3+ or written off")


def _table(rows: list[list[str]], head: list[str]) -> str:
    header = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"


def _segment_view(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pool a segment's cohorts per segment value and MOB, for one line per value."""
    pooled: dict[tuple[str, int], list[int]] = {}
    for row in records:
        key = (str(row["segment"]), int(row["mob"]))
        total = pooled.setdefault(key, [0, 0])
        total[0] += int(row["contracts"])
        total[1] += int(row["bad"])
    return [
        {"segment": s, "mob": m, "bad_rate": b / n if n else 0.0}
        for (s, m), (n, b) in sorted(pooled.items())
    ]


def render(report: dict[str, Any], title: str = "Portfolio report · 资产组合报告") -> str:
    parts = [f"<h1>{escape(title)}</h1>", f"<p>{report['contracts']:,} contracts.</p>"]
    alerts = report.get("alerts", [])
    parts.append(f"<h2>Alerts · 预警 ({len(alerts)})</h2>")
    parts.append(
        _table(
            [[a["kind"], a["subject"], a["message_en"], a["message_zh"]] for a in alerts],
            ["kind", "subject", "what", "说明"],
        )
    )
    parts.append("<h2>Vintage curves · 账龄曲线</h2>")
    parts.append(vintage_chart(report["vintages"]["all"], "All contracts, by payout month"))
    for name, records in report["vintages"].items():
        if name != "all":
            parts.append(vintage_chart(_segment_view(records), f"By {name}", by="segment"))
    parts.append("<h2>Roll rates · 迁徙率</h2>")
    rolls = report["roll_rates"]
    states = list(rolls)
    parts.append(
        _table(
            [[s, *(f"{rolls[s][t]:.1%}" for t in states)] for s in states], ["from \\ to", *states]
        )
    )
    parts.append(
        _table([[k, f"{v:.1%}"] for k, v in report["flow_rates"].items()], ["flow", "rate"])
    )
    if report.get("outcome_rates"):
        parts.append("<h2>Decisions by month · 每月决策</h2>")
        rows = [
            [
                str(r["month"]),
                str(r["n"]),
                f"{r['approve_rate']:.1%}",
                f"{r['refer_rate']:.1%}",
                f"{r['decline_rate']:.1%}",
                f"{r['approve_change_pp']:+.1f}",
            ]
            for r in report["outcome_rates"]
        ]
        head = ["month", "n", "approve", "refer", "decline", "approve vs baseline (pp)"]
        parts.append(_table(rows, head))
    if report.get("stability"):
        parts.append("<h2>Stability · 稳定性 (PSI)</h2>")
        rows = [
            [r["month"], r["column"], f"{r['index']:.3f}", str(r["n"])] for r in report["stability"]
        ]
        parts.append(_table(rows, ["month", "score or feature", "PSI", "n"]))
    style = (
        "body{font-family:system-ui,sans-serif;margin:2em;max-width:72em}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:2px 6px;"
        "font-size:12px}figure{margin:1em 0}figcaption{font-weight:600}"
    )
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{style}</style></head><body>"
        + "".join(parts)
        + "</body></html>"
    )
