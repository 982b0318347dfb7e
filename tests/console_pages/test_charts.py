"""The ECharts options built for the analyst's pages (pure)."""

from __future__ import annotations

from autolease.console_analyst import charts


def test_bars_scale_rates_to_percent_and_keep_missing_values() -> None:
    option = charts.bars(["A", "B"], {"p": [0.1234, None]}, percent=True)
    assert option["series"] == [{"name": "p", "type": "bar", "data": [12.34, None]}]
    assert option["xAxis"]["data"] == ["A", "B"]
    assert option["yAxis"]["axisLabel"]["formatter"] == "{value}%"


def test_table_chart_picks_the_axis_column_and_numeric_series() -> None:
    rows = [
        {"auc": "n/a", "bad_rate": 0.1, "quarter": "2025Q1", "rows": 10},
        {"auc": "n/a", "bad_rate": 0.2, "quarter": "2025Q2", "rows": 12},
    ]
    option = charts.table_chart(rows)
    assert option is not None
    assert option["xAxis"]["data"] == ["2025Q1", "2025Q2"]
    assert [s["name"] for s in option["series"]] == ["bad_rate"]
    assert charts.table_chart([]) is None
    assert charts.table_chart([{"quarter": "x", "note": "y"}]) is None


def test_scatter_has_one_labelled_point_per_policy() -> None:
    option = charts.scatter({"p@1": (0.5, 0.02), "q@2": (0.4, None)}, x="a", y="b")
    assert [s["data"] for s in option["series"]] == [[[50.0, 2.0]], [[40.0, None]]]
