"""scripts/readme_figures.py: the block it writes and how it replaces README's (no demo run)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "readme_figures.py"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("readme_figures", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FIGURES = load_script()
SUMMARY: dict[str, Any] = {
    "submitted": 200,
    "shares": {"decline": 0.66, "approve": 0.185, "refer": 0.155},
    "reasons": {"LTV_ABOVE_MAX": 120, "PD_HIGH": 20, "FRAUD_BAND": 9, "OTHER": 1},
    "latency_ms": {"p50": 7.14, "p99": 35.06},
}


class TestRenderBlock:
    def test_mix_reasons_latency_and_date(self) -> None:
        block = FIGURES.render_block(SUMMARY, dt.date(2026, 12, 7))
        assert block.startswith(FIGURES.START)
        assert block.endswith(FIGURES.END)
        assert "latest 200 applications" in block
        flat = " ".join(block.split())
        assert "approved 18.5 %, referred 15.5 % and declined 66.0 %" in flat
        assert "`LTV_ABOVE_MAX` 120, `PD_HIGH` 20, `FRAUD_BAND` 9." in flat
        assert "OTHER" not in block
        assert "2026-12-07" in block
        assert not re.search(r"\d ms\b", block)  # latency depends on the machine and its load
        assert all(len(line) <= 95 for line in block.splitlines())

    def test_rejections_are_counted_in_the_mix(self) -> None:
        shares = {"approve": 0.5, "refer": 0.25, "decline": 0.2, "rejected 422": 0.05}
        block = FIGURES.render_block({**SUMMARY, "shares": shares}, dt.date(2026, 12, 7))
        assert "declined 20.0 % and rejected 5.0 %" in " ".join(block.split())
        found = re.findall(r"(?:approved|referred|declined|rejected) ([\d.]+) %", block)
        assert sum(map(float, found)) == pytest.approx(100.0)


class TestReplaceBlock:
    def test_only_the_block_changes(self) -> None:
        text = f"head\n{FIGURES.START}\nold\n{FIGURES.END}\ntail\n"
        new = FIGURES.replace_block(text, f"{FIGURES.START}\nnew\n{FIGURES.END}")
        assert new == f"head\n{FIGURES.START}\nnew\n{FIGURES.END}\ntail\n"

    @pytest.mark.parametrize(
        "text",
        ["no markers", "<!-- figures:end --> <!-- figures:start -->", "<!-- figures:start -->"],
    )
    def test_missing_or_misordered_markers_are_refused(self, text: str) -> None:
        with pytest.raises(ValueError, match="figures:start"):
            FIGURES.replace_block(text, "x")
