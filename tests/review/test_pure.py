"""The review's pure modules: their doctests, the cursor, the bands, the graph."""

from __future__ import annotations

import doctest
import itertools
from datetime import UTC, datetime, timedelta
from types import ModuleType

import pytest

from autolease.review import cursor, graph, vocabulary
from autolease.review.service import metrics


@pytest.mark.parametrize("module", [cursor, graph, vocabulary, metrics])
def test_doctests(module: ModuleType) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize(
    "bad",
    ["", "====", "bm90IGEgY3Vyc29y", cursor.encode(datetime(2026, 1, 1, tzinfo=UTC), "x")[:-3]],
)
def test_a_broken_cursor_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="not one this queue gave out"):
        cursor.decode(bad)


def test_age_bands_partition_time() -> None:
    now, sla = datetime(2026, 12, 7, 12, tzinfo=UTC), timedelta(hours=24)
    for hours in (0, 11, 12, 13, 24, 25, 100):
        at = now - timedelta(hours=hours)
        band = vocabulary.age_band(at, now, sla)
        after, before = vocabulary.referred_between(band, now, sla)
        assert after is None or at > after
        assert before is None or at <= before


def test_every_verdict_has_reason_codes_and_the_bands_do_not_overlap() -> None:
    assert set(vocabulary.REASON_CODES) == set(vocabulary.Verdict)
    bands = sorted(vocabulary.AMOUNT_BANDS_FEN.values())
    for (_, high), (low, _) in itertools.pairwise(bands):
        assert high == low


def test_a_value_only_one_neighbour_holds_is_not_drawn() -> None:
    apps = [graph.AppNode("a", 0, 1, "referred", False), graph.AppNode("b", 1, 1, None, False)]
    keys = {"a": [("phone", "p")], "b": [("phone", "p"), ("device", "lonely"), ("ip", "p")]}
    drawn = graph.build(apps, keys, sp_codes={})
    ids = {n["data"]["id"] for n in drawn.nodes}
    assert ids == {"a", "b", "phone:p"}
