"""The SP report as one HTML page with inline SVG charts (pure; no scripts, no CDN): the SP's
grade history, its figures month by month (ratios to peers, collusion shares, volume), and the
latest proposal's actions and alerts. Chinese first, English after."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

WIDTH, HEIGHT, PAD = 620, 240, 40
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
GRADE_Y = {"A": 4, "B": 3, "C": 2, "D": 1}
STYLE = (
    "body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse}"
    "td,th{border:1px solid #ccc;padding:2px 6px;font-size:12px}figure{margin:12px 0}"
    "figcaption{font-weight:bold;font-size:13px}"
)


def line_chart(
    months: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    title: str,
    y_format: str = "{:.2f}",
    reference: float | None = None,
) -> str:
    """One line per series over the months (gaps where a value is None); an optional dashed
    reference line (1.0 = like the peers)."""
    values = [v for vs in series.values() for v in vs if v is not None]
    y_max = max([*values, reference or 0.0, 1e-9])
    n = max(len(months) - 1, 1)

    def at(i: int, y: float) -> tuple[float, float]:
        return (PAD + (WIDTH - 2 * PAD) * i / n, HEIGHT - PAD - (HEIGHT - 2 * PAD) * y / y_max)

    parts = [
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        'stroke="#999"/>',
        f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{HEIGHT - PAD}" stroke="#999"/>',
        f'<text x="{PAD}" y="{PAD - 10}" font-size="10">max {escape(y_format.format(y_max))}'
        "</text>",
    ]
    if reference is not None:
        x0, y0 = at(0, reference)
        x1, _ = at(n, reference)
        parts.append(
            f'<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y0:.1f}" stroke="#bbb" '
            'stroke-dasharray="4 3"/>'
        )
    for i, (name, vs) in enumerate(series.items()):
        colour = PALETTE[i % len(PALETTE)]
        points = [at(j, v) for j, v in enumerate(vs) if v is not None]
        if len(points) > 1:
            text = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="1.5" points="{text}"/>'
            )
        parts.extend(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2" fill="{colour}"/>' for x, y in points
        )
        parts.append(
            f'<text x="{WIDTH - PAD + 6}" y="{PAD + 12 * i}" font-size="10" fill="{colour}">'
            f"{escape(name)}</text>"
        )
    for j, month in enumerate(months):
        if len(months) <= 12 or j % max(1, len(months) // 12) == 0:
            x, _ = at(j, 0)
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - PAD + 14}" font-size="9" '
                f'text-anchor="middle">{escape(month)}</text>'
            )
    return (
        f"<figure><figcaption>{escape(title)}</figcaption>"
        f'<svg viewBox="0 0 {WIDTH + 110} {HEIGHT}" width="{WIDTH + 110}" height="{HEIGHT}" '
        f'role="img" aria-label="{escape(title)}">' + "".join(parts) + "</svg></figure>"
    )


def _table(rows: list[list[str]], head: list[str]) -> str:
    header = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"


def _column(history: Sequence[dict[str, Any]], name: str) -> list[float | None]:
    out: list[float | None] = []
    for h in history:
        value = h["figures"].get(name)
        out.append(None if value is None else float(value))
    return out


def render(sp: dict[str, Any], history: Sequence[dict[str, Any]]) -> str:
    """`sp`: code, name, status, grade; `history`: proposals oldest first (month, grade, rule,
    status, actions, figures)."""
    title = f"服务商报告 · SP report — {sp['code']}"
    parts = [
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(str(sp.get('name') or ''))} · 状态 status: {escape(sp['status'])} · "
        f"当前等级 confirmed grade: <b>{escape(sp['grade'])}</b></p>",
    ]
    if not history:
        parts.append("<p>尚无评级记录 · no grade proposals yet.</p></body></html>")
        return "".join(parts)
    months = [h["month"] for h in history]
    last = history[-1]
    codes = [*last["actions"], *last.get("alerts", [])]
    alerts = [c for c in codes if c.startswith("SP_ALERT_")]
    actions = [c for c in codes if not c.startswith("SP_ALERT_")]
    parts.append(
        f"<h2>最新评级 · Latest proposal ({escape(last['month'])})</h2>"
        f"<p>等级 grade <b>{escape(last['grade'])}</b> ({escape(last['rule'])}), "
        f"{escape(last['status'])}</p>"
        f"<p>措施 actions: {escape(', '.join(actions) or '—')}<br>"
        f"预警 alerts: {escape(', '.join(alerts) or '—')}</p>"
    )
    grades: dict[str, Sequence[float | None]] = {
        "grade (A=4 … D=1)": [float(GRADE_Y.get(h["grade"], 0)) for h in history]
    }
    parts.append(line_chart(months, grades, "等级走势 · Grade by month", "{:.0f}"))
    ratios = {
        name: _column(history, f"{name}_ratio")
        for name in ("fpd", "m1_mob3", "m3_mob6", "m3_mob12", "approval")
    }
    parts.append(
        line_chart(
            months, ratios, "逾期与通过率相对同业 · Ratios to peers (1.0 = peers)", reference=1.0
        )
    )
    shares = {
        name: _column(history, name)
        for name in (
            "cross_sp_share",
            "ring_share",
            "staff_link_share",
            "confirmed_fraud_share",
            "document_defect_share",
        )
    }
    parts.append(
        line_chart(
            months, shares, "关联与欺诈信号 · Collusion signals (share of applications)", "{:.1%}"
        )
    )
    volume = {
        "volume": _column(history, "volume"),
        "contracts (6 m)": _column(history, "contracts"),
    }
    parts.append(line_chart(months, volume, "放款量 · Volume", "{:.0f}"))
    parts.append("<h2>评级历史 · Grade history</h2>")
    rows = [
        [
            h["month"],
            h["grade"],
            h["rule"],
            h["status"],
            " ".join([*h["actions"], *h.get("alerts", [])]),
        ]
        for h in reversed(history)
    ]
    parts.append(
        _table(rows, ["月份 month", "等级 grade", "规则 rule", "状态 status", "措施/预警"])
    )
    parts.append("</body></html>")
    return "".join(parts)
