"""Render a backtest summary as text and as a self-contained HTML page (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from autolease.backtest.metrics import BacktestSummary, GroupStats, Rate


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.2%}"


def _rate(rate: Rate) -> str:
    return "-" if rate.value is None else f"{rate.value:.2%} (n={rate.n:,})"


def _money(value: object) -> str:
    return "-" if value is None else f"¥{float(str(value)):,.0f}"


def _group_rows(stats: Sequence[GroupStats]) -> list[tuple[str, list[str]]]:
    return [
        ("applications", [f"{s.count:,}" for s in stats]),
        ("financed amount", [_money(s.amount) for s in stats]),
        ("bad rate, observed (booked)", [_rate(s.bad_rate_observed) for s in stats]),
        ("bad rate, counterfactual", [_rate(s.bad_rate_counterfactual) for s in stats]),
        ("fraud rate", [_rate(s.fraud_rate) for s in stats]),
        ("mean PD", [_pct(s.mean_pd) for s in stats]),
        ("expected loss", [_money(s.expected_loss) for s in stats]),
    ]


def _policy_rows(summary: BacktestSummary) -> list[tuple[str, list[str]]]:
    policies = summary.policies
    rows = [
        ("approval rate", [_pct(p.approval_rate) for p in policies]),
        ("refer rate", [_pct(p.refer_rate) for p in policies]),
        ("decline rate", [_pct(p.decline_rate) for p in policies]),
        ("evaluation errors", [f"{p.counts['error']:,}" for p in policies]),
    ]
    approved = [
        ("approved: " + name, values)
        for name, values in _group_rows([p.approved for p in policies])
    ]
    return rows + approved


def render_text(summary: BacktestSummary) -> str:
    """A plain-text report (for the terminal and CI logs)."""
    p, q = summary.policies
    lines = [
        f"Backtest of {p.ref} (policy) against {q.ref} (against)",
        f"applications: {summary.n:,}   LGD for expected loss: {summary.lgd:.0%}",
        "",
        _table(["", "policy", "against"], _policy_rows(summary)),
        "",
        "Swap sets",
    ]
    for swap in summary.swaps:
        lines.append(f"  {swap.name}: {swap.description}")
        lines.append(_table(["", swap.name], _group_rows([swap.stats]), indent="    "))
    lines += ["", "Outcomes (rows: policy, columns: against)"]
    heads = list(next(iter(summary.crosstab.values())).keys()) if summary.crosstab else []
    cross = [(a, [f"{row[b]:,}" for b in heads]) for a, row in summary.crosstab.items()]
    lines.append(_table(["policy \\ against", *heads], cross))
    for policy in summary.policies:
        top = ", ".join(f"{code} {n:,}" for code, n in policy.top_reasons[:10]) or "-"
        lines.append(f"\nTop reasons, {policy.role}: {top}")
    if summary.notes:
        lines += ["", "Notes", *[f"  - {note}" for note in summary.notes]]
    return "\n".join(lines) + "\n"


def _table(header: list[str], rows: list[tuple[str, list[str]]], indent: str = "") -> str:
    body = [[label, *values] for label, values in rows]
    widths = [max(len(str(r[i])) for r in [header, *body]) for i in range(len(header))]
    out = []
    for row in [header, *body]:
        cells = [
            str(c).ljust(widths[0]) if i == 0 else str(c).rjust(widths[i])
            for i, c in enumerate(row)
        ]
        out.append(indent + "  ".join(cells))
    return "\n".join(out)


CSS = """
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:2rem;color:#222}
h1{font-size:1.3rem}h2{font-size:1.1rem;margin-top:1.6rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.25rem .6rem}
td.num{text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3;text-align:left}
.note{color:#555;font-size:.9rem}
"""


def render_html(summary: BacktestSummary) -> str:
    """A self-contained HTML page (no scripts, no external assets)."""
    p, q = summary.policies
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Backtest {escape(p.ref)} vs {escape(q.ref)}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>Backtest of {escape(p.ref)} against {escape(q.ref)}</h1>",
        f"<p>{summary.n:,} applications; LGD for expected loss {summary.lgd:.0%}.</p>",
        "<h2>Policies</h2>",
        _html_table(["", f"policy: {p.ref}", f"against: {q.ref}"], _policy_rows(summary)),
        "<h2>Swap sets</h2>",
    ]
    for swap in summary.swaps:
        parts.append(f"<p><b>{escape(swap.name)}</b>: {escape(swap.description)}</p>")
        parts.append(_html_table(["", swap.name], _group_rows([swap.stats])))
    heads = list(next(iter(summary.crosstab.values())).keys()) if summary.crosstab else []
    cross = [(a, [f"{row[b]:,}" for b in heads]) for a, row in summary.crosstab.items()]
    parts += [
        "<h2>Outcomes (rows: policy, columns: against)</h2>",
        _html_table(["", *heads], cross),
    ]
    for policy in summary.policies:
        rows = [(code, [f"{n:,}"]) for code, n in policy.top_reasons]
        parts += [
            f"<h2>Top reasons: {escape(policy.ref)}</h2>",
            _html_table(["code", "count"], rows),
        ]
    if summary.notes:
        items = "".join(f"<li>{escape(n)}</li>" for n in summary.notes)
        parts.append(f"<h2>Notes</h2><ul class='note'>{items}</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _html_table(header: list[str], rows: list[tuple[str, list[str]]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr><th>"
        + escape(label)
        + "</th>"
        + "".join(f"<td class='num'>{escape(v)}</td>" for v in values)
        + "</tr>"
        for label, values in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
