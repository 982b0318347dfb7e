"""ECharts options for the analyst's pages, built on the server (pure).

A chart on a page is ``<div data-chart="ID">`` with its option in a JSON script ``ID``;
`web/static/js/console-charts.js` draws it. Names of series are passed in already
translated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

Number = float | int | None
AXES = ("quintile", "decile", "quarter", "month", "bin", "band", "group")


def bars(
    categories: Sequence[str],
    series: Mapping[str, Sequence[Number]],
    *,
    percent: bool = False,
    horizontal: bool = False,
) -> dict[str, Any]:
    """Grouped bars, one series per name."""
    value_axis: dict[str, Any] = {"type": "value"}
    if percent:
        value_axis["axisLabel"] = {"formatter": "{value}%"}
    labels: dict[str, Any] = {"interval": 0}
    crowded = len(categories) > 6 or max((len(c) for c in categories), default=0) > 12
    if crowded and not horizontal:
        labels["rotate"] = 40
    category_axis = {"type": "category", "data": list(categories), "axisLabel": labels}
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0, "type": "scroll"},
        "grid": {"left": 8, "right": 16, "bottom": 8, "top": 40, "containLabel": True},
        "xAxis": value_axis if horizontal else category_axis,
        "yAxis": category_axis if horizontal else value_axis,
        "series": [
            {"name": name, "type": "bar", "data": [_scaled(v, percent) for v in values]}
            for name, values in series.items()
        ],
    }


def lines(
    categories: Sequence[str],
    series: Mapping[str, Sequence[Number]],
    *,
    percent: bool = False,
) -> dict[str, Any]:
    """Lines over ordered categories (months, quintiles, quarters)."""
    option = bars(categories, series, percent=percent)
    for entry in option["series"]:
        entry["type"] = "line"
        entry["connectNulls"] = False
    return option


def scatter(points: Mapping[str, tuple[Number, Number]], *, x: str, y: str) -> dict[str, Any]:
    """One labelled point per name: e.g. each policy's approval rate against its bad rate."""
    return {
        "tooltip": {"trigger": "item"},
        "legend": {"top": 0, "type": "scroll"},
        "grid": {"left": 8, "right": 24, "bottom": 24, "top": 64, "containLabel": True},
        "xAxis": {"type": "value", "name": x, "nameLocation": "middle", "nameGap": 28,
                  "axisLabel": {"formatter": "{value}%"}, "scale": True},
        "yAxis": {"type": "value", "name": y, "axisLabel": {"formatter": "{value}%"},
                  "scale": True},
        "series": [
            {
                "name": name,
                "type": "scatter",
                "symbolSize": 16,
                "data": [[_scaled(a, True), _scaled(b, True)]],
            }
            for name, (a, b) in points.items()
        ],
    }  # fmt: skip


def table_chart(
    rows: Sequence[Mapping[str, Any]], *, skip: Sequence[str] = ("rows",)
) -> dict[str, Any] | None:
    """Lines of a card's table (calibration by quintile, stability by quarter): the axis is
    the first of `AXES` the rows have (else their first column), every other numeric column
    a series. None when nothing is numeric."""
    if not rows:
        return None
    axis = next((a for a in AXES if a in rows[0]), next(iter(rows[0])))
    names = [
        k for k in rows[0] if k != axis and k not in skip and all(_numeric(r.get(k)) for r in rows)
    ]
    if not names:
        return None
    return lines([str(r[axis]) for r in rows], {n: [float(r[n]) for r in rows] for n in names})


def _numeric(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _scaled(value: Number, percent: bool) -> float | None:
    if value is None:
        return None
    return round(float(value) * 100, 2) if percent else round(float(value), 6)
