from __future__ import annotations

import math
from typing import Any

import pytest

from autolease.fraud.book import BookLinks, application_columns, book_features
from autolease.fraud.features import FEATURES, application_inputs
from autolease.fraud.keys import hash_kind
from autolease.fraud.links import KIND_CODE
from autolease.kit.clock import business_date
from autolease.origination.facts import build_facts, link_values
from autolease.origination.schemas import ApplicationCreate
from autolease.synth.payloads import build_payloads

KIND_NAMES = {code: kind for kind, code in KIND_CODE.items()}


def _accepted(book_links: BookLinks, book_tables: dict[str, Any], n: int = 60) -> list[Any]:
    """Payloads of the first `n` applications the API accepts, by book application id."""
    wanted = set(book_links.rows.app_ids[: n * 2])
    out = [p for p in build_payloads(book_tables, limit=n * 2) if p.application_id in wanted]
    return out[:n]


class TestBookLinkRows:
    def test_rejected_identifiers_are_left_out(
        self, book_tables: dict[str, Any], book_links: BookLinks
    ) -> None:
        truth = book_tables["truth"].to_pandas()
        bad = set(truth.loc[truth["bad_identifier"].notna(), "application_id"])
        assert bad
        assert not bad & set(book_links.rows.app_ids)

    def test_links_are_those_the_api_writes(
        self, book_tables: dict[str, Any], book_links: BookLinks
    ) -> None:
        index = {a: i for i, a in enumerate(book_links.rows.app_ids)}
        rows = book_links.rows
        for payload in _accepted(book_links, book_tables):
            data = ApplicationCreate.model_validate(payload.body)
            api = {(k, f"{hash_kind(k)}:{v.strip().upper()}") for k, v in link_values(data)}
            app = index[payload.application_id]
            mine = {
                (KIND_NAMES[int(k)], book_links.values[int(key)])
                for k, key in zip(rows.kind[rows.app == app], rows.key[rows.app == app],
                                  strict=True)
            }  # fmt: skip
            assert mine == api


class TestApplicationColumns:
    def test_same_values_as_serving(
        self, book_tables: dict[str, Any], book_links: BookLinks
    ) -> None:
        frame = book_links.frame.assign(grade="B")
        columns = application_columns(frame)
        index = {a: i for i, a in enumerate(book_links.rows.app_ids)}
        for payload in _accepted(book_links, book_tables, 40):
            data = ApplicationCreate.model_validate(payload.body)
            i = index[payload.application_id]
            on = business_date(frame["submitted_at"].iloc[i].to_pydatetime())
            served = application_inputs(build_facts(data, sp_grade="B"), on)
            for name, value in served.items():
                offline = columns[name][i]
                if value is None:
                    assert offline is None or (
                        isinstance(offline, float) and math.isnan(offline)
                    ), name
                elif isinstance(value, str):
                    assert offline == value, name
                else:
                    assert float(offline) == pytest.approx(float(value), rel=1e-9), name


class TestBookFeatures:
    def test_every_declared_input_is_a_column(
        self, book_tables: dict[str, Any], book_links: BookLinks
    ) -> None:
        frame = book_features(book_tables, book_links, graph=False)
        assert list(frame.columns[3:]) == [f.name for f in FEATURES]
        assert len(frame) == book_links.rows.n_apps
        assert frame["thin_file"].notna().all()
        assert frame["carrier_mismatch"].sum() > 0  # ring members sharing a phone as their own
