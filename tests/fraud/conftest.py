"""Small synthetic books and link rows for the fraud tests."""

from __future__ import annotations

from typing import Any

import pytest

from autolease.fraud import models as _fraud_models  # noqa: F401  (tables in the metadata)
from autolease.fraud.book import BookLinks, book_link_rows
from autolease.fraud.links import LinkRows, build_rows, factorise
from autolease.synth.book import generate_tables
from autolease.synth.config import SynthConfig

DAY = 86_400
T0 = 1_700_000_000


@pytest.fixture(scope="session")
def book_tables() -> dict[str, Any]:
    """2,000 applications, 20 % fraud (about 100 ring members in 15 rings)."""
    return generate_tables(SynthConfig(n_applications=2000, seed=3, fraud_rate=0.2))


@pytest.fixture(scope="session")
def book_links(book_tables: dict[str, Any]) -> BookLinks:
    return book_link_rows(book_tables)


def make_rows(apps: list[dict[str, Any]]) -> LinkRows:
    """LinkRows from ``[{"t": days, "sp": 1, "links": {"phone": "p1", ...}}, ...]``.

    ``links`` values may be lists (several contact phones). Application ids are 100 + index.
    """
    app, kinds, values = [], [], []
    for i, spec in enumerate(apps):
        for kind, value in spec["links"].items():
            for v in value if isinstance(value, list) else [value]:
                app.append(i)
                kinds.append(kind)
                values.append(v)
    keys, uniques = factorise(kinds, values)
    return build_rows(
        app=app,
        kinds=kinds,
        keys=keys,
        app_time=[T0 + int(spec["t"] * DAY) for spec in apps],
        app_sp=[spec.get("sp", 1) for spec in apps],
        app_ids=[100 + i for i in range(len(apps))],
        key_labels=[u.split(":", 1)[1] for u in uniques],
    )


@pytest.fixture(scope="session")
def book_dataset(book_tables: dict[str, Any]) -> Any:
    from autolease.fraud.service.offline import book_dataset as build

    return build(book_tables)


@pytest.fixture(scope="session")
def book_model(book_dataset: Any) -> Any:
    """A small fraud model trained on the whole small book (for stage and service tests)."""
    from autolease.fraud.features import FEATURES
    from autolease.fraud.training import TrainOptions, fit_fraud_model

    y = book_dataset.truth["is_fraud"].astype(bool).to_numpy(dtype=float)
    ring = book_dataset.truth["ring_id"].notna().to_numpy()
    options = TrainOptions(rounds=40, num_leaves=7, min_data_in_leaf=20, folds=2)
    return fit_fraud_model(book_dataset.matrix(), y, FEATURES, options, ring=ring)
