"""A self-contained HTML validation report with inline SVG charts (pure: arrays in, text out).

Charts: ROC curve, KS (cumulative bad and good shares by score), calibration (mean PD
against observed bad rate by PD decile) and the score distribution of goods and bads. Below
them: the headline metrics, the grade table, and for scorecards the points table with IV.
No plotting library is needed; the SVG is written here.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from autolease.credit import metrics
from autolease.credit.grades import GRADES
from autolease.credit.model import CreditModel

F64 = npt.NDArray[np.float64]
W, H, PAD = 380, 270, 52
BAD_COLOUR, GOOD_COLOUR, LINE_COLOUR = "#c0392b", "#2e86c1", "#555"


def _xy(x: float, y: float, xr: tuple[float, float], yr: tuple[float, float]) -> str:
    px = PAD + (x - xr[0]) / ((xr[1] - xr[0]) or 1) * (W - 2 * PAD)
    py = H - PAD - (y - yr[0]) / ((yr[1] - yr[0]) or 1) * (H - 2 * PAD)
    return f"{px:.1f},{py:.1f}"


def _axes(
    title: str, xlabel: str, ylabel: str, xr: tuple[float, float], yr: tuple[float, float]
) -> list[str]:
    parts = [
        f'<text x="{W / 2}" y="16" text-anchor="middle" font-weight="bold">{html.escape(title)}'
        "</text>",
        f'<line x1="{PAD}" y1="{H - PAD}" x2="{W - PAD}" y2="{H - PAD}" stroke="#000"/>',
        f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{H - PAD}" stroke="#000"/>',
        f'<text x="{W / 2}" y="{H - 8}" text-anchor="middle">{html.escape(xlabel)}</text>',
        f'<text x="12" y="{H / 2}" text-anchor="middle" transform="rotate(-90 12 {H / 2})">'
        f"{html.escape(ylabel)}</text>",
    ]
    for frac in (0.0, 0.5, 1.0):
        xv = xr[0] + frac * (xr[1] - xr[0])
        yv = yr[0] + frac * (yr[1] - yr[0])
        px, _ = _xy(xv, yr[0], xr, yr).split(",")
        _, py = _xy(xr[0], yv, xr, yr).split(",")
        parts.append(f'<text x="{px}" y="{H - PAD + 14}" text-anchor="middle">{xv:.3g}</text>')
        parts.append(f'<text x="{PAD - 4}" y="{py}" text-anchor="end">{yv:.3g}</text>')
    return parts


def _polyline(
    xs: Sequence[float],
    ys: Sequence[float],
    xr: tuple[float, float],
    yr: tuple[float, float],
    colour: str,
    dashed: bool = False,
) -> str:
    points = " ".join(_xy(float(x), float(y), xr, yr) for x, y in zip(xs, ys, strict=True))
    dash = ' stroke-dasharray="4 3"' if dashed else ""
    return f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash} points="{points}"/>'


def _svg(parts: list[str]) -> str:
    body = "".join(parts)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
        f'font-family="sans-serif" font-size="11">{body}</svg>'
    )


def _thin(xs: F64, ys: F64, limit: int = 400) -> tuple[F64, F64]:
    if len(xs) <= limit:
        return xs, ys
    keep = np.unique(np.linspace(0, len(xs) - 1, limit).round().astype(int))
    return xs[keep], ys[keep]


def roc_svg(y: Any, pd: Any) -> str:
    fpr, tpr = _thin(*metrics.roc_curve(y, pd))
    area = metrics.auc(y, pd)
    unit = (0.0, 1.0)
    parts = _axes(f"ROC (AUC {area:.3f})", "false positive rate", "true positive rate", unit, unit)
    parts.append(_polyline([0, 1], [0, 1], unit, unit, LINE_COLOUR, dashed=True))
    parts.append(_polyline(fpr.tolist(), tpr.tolist(), unit, unit, BAD_COLOUR))
    return _svg(parts)


def ks_svg(y: Any, score: Any) -> str:
    y_arr, s = np.asarray(y), np.asarray(score, dtype=np.float64)
    order = np.argsort(s, kind="mergesort")
    ys, ss = y_arr[order], s[order]
    cum_bad = np.cumsum(ys) / max(int(ys.sum()), 1)
    cum_good = np.cumsum(1 - ys) / max(int(len(ys) - ys.sum()), 1)
    gap = np.abs(cum_bad - cum_good)
    at = int(np.argmax(gap))
    xr = (float(ss.min()), float(ss.max()))
    parts = _axes(
        f"KS {gap[at]:.3f} at score {ss[at]:.0f}", "score", "cumulative share", xr, (0.0, 1.0)
    )
    for series, colour in ((cum_bad, BAD_COLOUR), (cum_good, GOOD_COLOUR)):
        xs, vs = _thin(ss, series)
        parts.append(_polyline(xs.tolist(), vs.tolist(), xr, (0.0, 1.0), colour))
    return _svg(parts + _legend())


def _legend() -> list[str]:
    return [
        f'<text x="{W - PAD}" y="{PAD}" text-anchor="end" fill="{BAD_COLOUR}">bad</text>',
        f'<text x="{W - PAD}" y="{PAD + 14}" text-anchor="end" fill="{GOOD_COLOUR}">good</text>',
    ]


def calibration_svg(y: Any, pd: Any) -> str:
    table = metrics.calibration_table(y, pd)
    top = max(max(b.mean_pd for b in table), max(b.bad_rate for b in table), 1e-3)
    rng = (0.0, float(min(1.0, top * 1.1)))
    error = metrics.calibration_error(y, pd)
    parts = _axes(
        f"Calibration (ECE {error:.3f})", "mean PD (decile)", "observed bad rate", rng, rng
    )
    parts.append(_polyline([0, rng[1]], [0, rng[1]], rng, rng, LINE_COLOUR, dashed=True))
    xs = [b.mean_pd for b in table]
    ys = [b.bad_rate for b in table]
    parts.append(_polyline(xs, ys, rng, rng, BAD_COLOUR))
    for x, v in zip(xs, ys, strict=True):
        cx, cy = _xy(x, v, rng, rng).split(",")
        parts.append(f'<circle cx="{cx}" cy="{cy}" r="3" fill="{BAD_COLOUR}"/>')
    return _svg(parts)


def distribution_svg(y: Any, score: Any, bins: int = 30) -> str:
    y_arr, s = np.asarray(y), np.asarray(score, dtype=np.float64)
    edges = np.linspace(float(s.min()), float(s.max()) + 1e-9, bins + 1)
    bad = np.histogram(s[y_arr == 1], edges)[0] / max(int(y_arr.sum()), 1)
    good = np.histogram(s[y_arr == 0], edges)[0] / max(int((y_arr == 0).sum()), 1)
    xr = (float(edges[0]), float(edges[-1]))
    yr = (0.0, float(max(bad.max(), good.max(), 1e-3)))
    parts = _axes("Score distribution", "score", "share of class", xr, yr)
    mids = (edges[:-1] + edges[1:]) / 2
    parts.append(_polyline(mids.tolist(), good.tolist(), xr, yr, GOOD_COLOUR))
    parts.append(_polyline(mids.tolist(), bad.tolist(), xr, yr, BAD_COLOUR))
    return _svg(parts + _legend())


def _table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) < 100 else f"{value:.1f}"
    return str(value)


def _grade_rows(y: Any, pd: Any, grade: Any) -> list[list[Any]]:
    y_arr, p, g = np.asarray(y), np.asarray(pd), np.asarray(grade)
    rows: list[list[Any]] = []
    for label in GRADES:
        mask = g == label
        if mask.any():
            rows.append([label, int(mask.sum()), float(p[mask].mean()), float(y_arr[mask].mean())])
    return rows


def _points_rows(model: CreditModel) -> list[list[Any]]:
    rows: list[list[Any]] = []
    if model.table is None:
        return rows
    for var in sorted(model.table.variables, key=lambda v: -v.iv):
        for b in var.bins:
            rows.append([var.name, round(var.iv, 4), b.label, b.points, b.count, b.bads])
    return rows


def build_report(
    model: CreditModel,
    y: Any,
    pd: Any,
    score: Any,
    grade: Any,
    *,
    title: str,
    source: str,
    sample: str = "as given (unknown whether the model saw these rows)",
) -> str:
    """The HTML report of a model scored on labelled data.

    Parameters
    ----------
    model : CreditModel
    y : array-like of {0, 1}
    pd, score : array-like of float
    grade : array-like of str
    title : str
    source : str
        Where the data came from (shown in the header).
    sample : str
        Which sample every figure comes from (in-sample, held out), shown with each figure.

    Returns
    -------
    str
        A complete HTML document.
    """
    ev = metrics.evaluate(y, pd)
    charts = "".join(
        f"<div class='chart'>{svg}</div>"
        for svg in (
            roc_svg(y, pd),
            ks_svg(y, score),
            calibration_svg(y, pd),
            distribution_svg(y, score),
        )
    )
    figures = _table(["metric", "value"], [[k, v] for k, v in ev.to_json().items()])
    grades = _table(["grade", "rows", "mean PD", "bad rate"], _grade_rows(y, pd, grade))
    points = _points_rows(model)
    card = (
        "<h2>Points table</h2>"
        + _table(["variable", "IV", "bin", "points", "count", "bads"], points)
        if points
        else ""
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;margin:2em}} .chart{{display:inline-block;margin:.5em}}
table{{border-collapse:collapse;margin:1em 0}} td,th{{border:1px solid #ccc;padding:2px 8px;
text-align:right}}</style></head><body>
<h1>{html.escape(title)}</h1>
<p>Model <b>{html.escape(model.ref)}</b> ({html.escape(model.kind)}) on
{html.escape(source)}: {ev.n} rows, bad rate {ev.bad_rate:.2%}.</p>
<p class="sample">Sample of every figure below: <b>{html.escape(sample)}</b>.</p>
{charts}
<h2>Metrics ({html.escape(sample)})</h2>{figures}
<h2>Grades</h2>{grades}
{card}
</body></html>
"""
