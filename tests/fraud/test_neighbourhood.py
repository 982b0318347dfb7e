from __future__ import annotations

from autolease.fraud.keys import DEFAULT_POLICY
from autolease.fraud.neighbourhood import (
    GRAPH_FEATURES,
    InMemoryLinkSource,
    explore,
    graph_features,
    graph_frame,
)
from tests.fraud.conftest import DAY, T0, make_rows


def _ring_rows():
    return make_rows(
        [
            {"t": 0, "sp": 1, "links": {"id_number": "A", "device": "d1", "phone": "pa"}},
            {"t": 1, "sp": 2, "links": {"id_number": "B", "device": "d1", "contact_phone": "pa"}},
            {"t": 2, "sp": 2, "links": {"id_number": "C", "address": "x1", "phone": "pc"}},
            {"t": 3, "sp": 3, "links": {"id_number": "D", "address": "x1", "device": "d1"}},
            {"t": 9, "sp": 3, "links": {"id_number": "E", "address": "x1", "phone": "pe"}},
        ]
    )


def _explore(rows, app: int, **kw):
    source = InMemoryLinkSource(rows)
    as_of = float(rows.app_time[app])
    return explore(source, source.seeds(app), self_id=app, as_of=as_of, **kw)


class TestExplore:
    def test_hop_one_links_through_shared_values_including_phone_as_contact(self) -> None:
        nb = _explore(_ring_rows(), 3)
        assert set(nb.hop1) == {0, 1, 2}
        assert {ns for links in nb.hop1.values() for ns, _ in links} == {"device", "address"}
        nb1 = _explore(_ring_rows(), 1)
        assert set(nb1.hop1) == {0}  # device d1 and phone pa (as a contact)
        assert {ns for ns, _ in nb1.hop1[0]} == {"device", "phone"}

    def test_only_earlier_applications_are_neighbours(self) -> None:
        nb = _explore(_ring_rows(), 0)
        assert nb.members == set()

    def test_hop_two_reaches_through_a_neighbours_values(self) -> None:
        nb = _explore(_ring_rows(), 4)
        assert set(nb.hop1) == {2, 3}
        assert nb.hop2 == {0, 1}

    def test_a_common_value_does_not_link(self) -> None:
        rows = make_rows(
            [{"t": i * 0.1, "sp": i % 5, "links": {"id_number": f"I{i}", "address": "same"}}
             for i in range(DEFAULT_POLICY.of("address").max_degree + 3)]
        )  # fmt: skip
        nb = _explore(rows, rows.n_apps - 1)
        assert nb.members == set()
        assert nb.common_keys == 1

    def test_a_value_shared_by_many_at_one_sp_is_that_sps_own(self) -> None:
        rows = make_rows(
            [{"t": i * 0.1, "sp": 7, "links": {"id_number": f"I{i}", "device": "office"}}
             for i in range(6)]
        )  # fmt: skip
        nb = _explore(rows, 5)
        assert nb.members == set()
        assert nb.sp_shared_keys == 1

    def test_values_older_than_the_lookback_do_not_link(self) -> None:
        rows = make_rows(
            [
                {"t": 0, "links": {"id_number": "A", "phone": "p"}},
                {"t": DEFAULT_POLICY.lookback_days + 1, "links": {"id_number": "B", "phone": "p"}},
            ]
        )
        assert _explore(rows, 1).members == set()


class TestGraphFeatures:
    def test_features_of_a_ring_member(self) -> None:
        rows = _ring_rows()
        nb = _explore(rows, 4)
        as_of = float(rows.app_time[4])
        f = graph_features(nb, own_identity=None, own_sp=3, as_of=as_of, known_bad=[0])
        assert f["graph_component_size"] == 5
        assert f["graph_hop1_apps"] == 2
        assert f["graph_distinct_sps"] == 3
        assert f["graph_sp_top_share"] == 0.4
        assert f["graph_last_link_days"] == 6.0
        assert f["graph_links_address"] == 2
        assert f["graph_known_bad"] == 1
        assert f["graph_known_bad_hop1"] == 0

    def test_an_isolated_application_has_no_link_recency(self) -> None:
        rows = _ring_rows()
        nb = _explore(rows, 0)
        f = graph_features(nb, own_identity=None, own_sp=1, as_of=float(T0))
        assert f["graph_component_size"] == 1
        assert f["graph_last_link_days"] is None
        assert f["graph_known_bad_share"] == 0.0


class TestGraphFrame:
    def test_every_feature_for_every_application(self) -> None:
        rows = _ring_rows()
        frame = graph_frame(rows)
        assert set(frame) == set(GRAPH_FEATURES)
        assert frame["graph_hop1_apps"].tolist() == [0, 1, 0, 3, 2]

    def test_the_lookback_is_counted_in_days(self) -> None:
        assert DAY == 86_400
