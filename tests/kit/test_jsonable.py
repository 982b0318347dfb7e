import json
from datetime import UTC, date, datetime
from decimal import Decimal

import numpy as np

from autolease.kit.jsonable import jsonable


def test_every_odd_value_becomes_json() -> None:
    value = {
        "day": date(2026, 11, 29),
        "at": datetime(2026, 11, 29, 8, 0, tzinfo=UTC),
        "money": Decimal("12.30"),
        "count": np.int64(3),
        "share": np.float32(0.5),
        "flags": {"b", "a"},
        "pair": (1, float("inf")),
        "nested": [{"x": np.bool_(True)}],
    }
    out = jsonable(value)
    assert json.loads(json.dumps(out)) == {
        "day": "2026-11-29",
        "at": "2026-11-29T08:00:00+00:00",
        "money": "12.30",
        "count": 3,
        "share": 0.5,
        "flags": ["a", "b"],
        "pair": [1, None],
        "nested": [{"x": True}],
    }


def test_plain_json_is_unchanged() -> None:
    value = {"a": [1, 2.5, "x", None, True]}
    assert jsonable(value) == value
