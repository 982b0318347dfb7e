from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from autolease.fraud.book import BookLinks, book_truth
from autolease.fraud.rings import RingPolicy, RingScoring, detect_rings, ring_json, score_ring
from tests.fraud.conftest import make_rows


def _ring_and_noise() -> Any:
    ring = [
        {"t": 0, "sp": 1, "links": {"id_number": "A", "device": "d1", "phone": "13800000001"}},
        {"t": 1, "sp": 2, "links": {"id_number": "B", "device": "d1", "address": "x1",
                                    "contact_phone": "13800000001"}},
        {"t": 2, "sp": 2, "links": {"id_number": "C", "address": "x1", "device": "d1"}},
        {"t": 3, "sp": 3, "links": {"id_number": "D", "address": "x1", "phone": "13800000004"}},
    ]  # fmt: skip
    reapply = [
        {"t": 10, "sp": 4, "links": {"id_number": "R", "phone": "13900000000", "vin": "V1"}},
        {"t": 12, "sp": 4, "links": {"id_number": "R", "phone": "13900000000", "vin": "V1"}},
        {"t": 13, "sp": 5, "links": {"id_number": "S", "vin": "V1"}},
    ]
    crowd = [
        {"t": 20 + i * 0.01, "sp": i % 7, "links": {"id_number": f"P{i}", "address": "dealer",
                                                  "employer": "big co"}}
        for i in range(200)
    ]  # fmt: skip
    return make_rows(ring + reapply + crowd)


class TestDetectRings:
    def test_a_ring_across_sps_and_identities_is_found_and_flagged(self) -> None:
        report = detect_rings(_ring_and_noise())
        flagged = [r for r in report.rings if r.flagged]
        assert [r.members for r in flagged] == [(0, 1, 2, 3)]
        ring = flagged[0]
        assert ring.identities == 4
        assert set(ring.cross_kinds) == {"address", "device", "phone"}

    def test_a_re_application_is_not_flagged(self) -> None:
        report = detect_rings(_ring_and_noise())
        others = [r for r in report.rings if 4 in r.members]
        assert len(others) == 1
        assert not others[0].flagged
        assert others[0].identities == 2

    def test_a_common_value_links_nothing(self) -> None:
        report = detect_rings(_ring_and_noise())
        assert report.stats.largest_component == 4
        assert (report.membership[7:] == -1).all()

    def test_known_bad_members_raise_the_score(self) -> None:
        rows = _ring_and_noise()
        bad = np.zeros(rows.n_apps, bool)
        bad[0] = True
        plain = detect_rings(rows).rings[0].score
        assert detect_rings(rows, known_bad=bad).rings[0].score > plain

    def test_big_components_are_split_by_community_detection(self) -> None:
        specs = []
        for g in range(3):  # three dense groups of 6 chained by one weak address each
            for i in range(6):
                links = {"id_number": f"G{g}-{i}", "device": f"dev{g}", "phone": f"p{g}-{i}"}
                if i == 0 and g > 0:
                    links["address"] = f"bridge{g}"
                if i == 5 and g < 2:
                    links["address"] = f"bridge{g + 1}"
                specs.append({"t": g * 2 + i * 0.1, "sp": g + i % 2, "links": links})
        rows = make_rows(specs)
        policy = RingPolicy(link=RingPolicy().link.with_kind("device", single_sp_max=99),
                            max_ring_size=10)  # fmt: skip
        report = detect_rings(rows, policy)
        assert report.stats.split_components == 1
        assert len(report.rings) == 3
        assert sorted(r.size for r in report.rings) == [6, 6, 6]


class TestScoreRing:
    def test_more_identities_kinds_and_burst_score_higher(self) -> None:
        base = {"identities": 3, "sps": 2, "cross_kinds": 1, "strong_cross": True,
                "burst_share": 0.5, "known_bad_share": 0.0, "scoring": RingScoring()}  # fmt: skip
        plain = score_ring(**base)  # type: ignore[arg-type]
        assert score_ring(**{**base, "identities": 8}) > plain  # type: ignore[arg-type]
        assert score_ring(**{**base, "cross_kinds": 3}) > plain  # type: ignore[arg-type]
        assert score_ring(**{**base, "burst_share": 1.0}) > plain  # type: ignore[arg-type]
        assert score_ring(**{**base, "sps": 1}) < plain  # type: ignore[arg-type]


class TestRingJson:
    def test_export_lists_members_and_masked_shared_values(self) -> None:
        rows = _ring_and_noise()
        ring = detect_rings(rows).rings[0]
        out = ring_json(ring, rows)
        assert json.loads(json.dumps(out)) == out
        assert [m["application_id"] for m in out["members"]] == [100, 101, 102, 103]
        phones = [s for s in out["shared_values"] if s["kind"] == "phone"]
        assert phones == [{"kind": "phone", "value": "13800000001", "applications": 2,
                           "identities": 2}]  # fmt: skip


class TestRingsOnABook:
    def test_rings_stay_small_and_ring_members_are_flagged(
        self, book_tables: dict[str, Any], book_links: BookLinks
    ) -> None:
        report = detect_rings(book_links.rows)
        truth = book_truth(book_tables, book_links.rows.app_ids)
        members = truth["ring_id"].notna().to_numpy()
        flagged = report.flagged_apps()
        assert report.stats.largest_component <= RingPolicy().max_ring_size * 2
        assert flagged[members].mean() >= 0.8
        assert flagged.mean() <= 0.1
        # each flagged ring is mostly one true ring
        purity = [pd.Series(truth["ring_id"].to_numpy()[list(r.members)]).value_counts(
            normalize=True).max() for r in report.rings if r.flagged]  # fmt: skip
        assert np.median(purity) >= 0.8


def test_no_applications_give_no_rings_not_an_error() -> None:
    report = detect_rings(make_rows([]))
    assert report.rings == ()
    assert report.stats.apps == 0
