from __future__ import annotations

import math

from autolease.fraud.velocity import (
    KeyCounts,
    apps_name,
    cross_name,
    feature_names,
    sps_name,
    velocity_features,
    velocity_frame,
)
from tests.fraud.conftest import make_rows


def _frame() -> dict[str, list[float]]:
    rows = make_rows(
        [
            {"t": 0, "sp": 1, "links": {"phone": "p", "id_number": "A", "device": "d"}},
            {"t": 0.5, "sp": 2, "links": {"phone": "p", "id_number": "B", "device": "d"}},
            {"t": 5, "sp": 1, "links": {"phone": "p", "id_number": "A"}},
            {"t": 40, "sp": 3, "links": {"phone": "p", "id_number": "C", "device": "d"}},
            {"t": 40, "sp": 3, "links": {"phone": "q", "id_number": "C"}},
        ]
    )
    return {name: values.tolist() for name, values in velocity_frame(rows).items()}


class TestVelocityFrame:
    def test_counts_earlier_applications_per_window(self) -> None:
        f = _frame()
        assert f[apps_name("phone", 1)][:4] == [0, 1, 0, 0]
        assert f[apps_name("phone", 7)][:4] == [0, 1, 2, 0]
        assert f[apps_name("phone", 90)][:4] == [0, 1, 2, 3]

    def test_other_sps_exclude_the_applications_own_sp(self) -> None:
        f = _frame()
        assert f[sps_name("phone", 7)][2] == 1  # SP 2 only; SP 1 is its own
        assert f[sps_name("phone", 90)][3] == 2  # SPs 1 and 2

    def test_applications_submitted_at_the_same_second_do_not_see_each_other(self) -> None:
        f = _frame()
        assert f[apps_name("id_number", 90)][3:5] == [0, 0]

    def test_cross_counts_other_identities_on_a_value(self) -> None:
        f = _frame()
        assert f[cross_name("device", "id_number")][:2] == [0, 1]
        assert f[cross_name("device", "id_number")][3] == 2
        assert f[cross_name("id_number", "phone")][4] == 0  # C's earlier row is same second

    def test_a_kind_not_carried_is_missing(self) -> None:
        f = _frame()
        assert math.isnan(f[apps_name("device", 90)][2])
        assert math.isnan(f[apps_name("employer", 90)][0])


class TestVelocityFeatures:
    def test_present_kinds_without_history_are_zero(self) -> None:
        out = velocity_features(frozenset({"vin"}), {}, {})
        assert out[apps_name("vin", 30)] == 0
        assert out[apps_name("bank_card", 30)] is None

    def test_counts_are_placed_by_window(self) -> None:
        counts = {"phone": KeyCounts((1, 2, 3, 4), (0, 0, 1, 2))}
        out = velocity_features(frozenset({"phone", "id_number"}), counts, {})
        assert out[apps_name("phone", 30)] == 3
        assert out[sps_name("phone", 90)] == 2

    def test_every_declared_name_is_returned_in_order(self) -> None:
        assert tuple(velocity_features(frozenset(), {}, {})) == feature_names()
