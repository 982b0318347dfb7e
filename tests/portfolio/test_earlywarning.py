from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from autolease.portfolio import earlywarning as ew
from autolease.portfolio.simulate import Planted, SimulatedBook, simulate
from tests.portfolio.hand import hand_panel


@pytest.fixture(scope="module")
def book() -> SimulatedBook:
    return simulate(6000, origination_months=20, seed=9, planted=Planted(first_month=8))


@pytest.fixture(scope="module")
def model(book: SimulatedBook) -> ew.EarlyWarningModel:
    data = ew.training_set(book.panel, book.applications)
    return ew.EarlyWarningModel.fit(data.x, data.y, rounds=40)


def test_behaviour_features_by_hand() -> None:
    window = np.array([[0, 1, 0], [1, 2, 1], [0, 0, 4], [1, 0, 1]], dtype=np.int8)
    got = ew.behaviour(window)
    assert got.worst_bucket.tolist() == [1, 2, 0, 1]
    assert got.months_in_m1.tolist() == [1, 2, 0, 2]
    assert got.cures.tolist() == [1, 0, 0, 1]
    assert got.state_now.tolist() == [0, 1, 4, 1]


def test_training_set_labels_bad_after_the_scoring_month() -> None:
    panel = hand_panel()
    apps = pd.DataFrame({"credit_pd": np.linspace(0.01, 0.07, 7)})
    data = ew.training_set(panel, apps, mob=1, horizon=2)
    # active at MOB 1 and observed at MOB 2: c0..c5; only c3 goes bad (written off) at MOB 2
    assert data.rows.tolist() == [0, 1, 2, 3, 4, 5]
    assert data.y.tolist() == [0, 0, 0, 1, 0, 0]
    assert data.x.worst_bucket.tolist() == [1, 0, 1, 1, 1, 0]
    assert data.x.credit_pd.tolist() == pytest.approx(apps.credit_pd[:6].tolist())
    assert list(data.x["product"].astype(str)) == ["a", "b", "a", "b", "a", "b"]


def test_training_set_needs_the_horizon_on_the_panel() -> None:
    with pytest.raises(ValueError, match="more than 12"):
        ew.training_set(hand_panel(), pd.DataFrame())


def test_active_contracts_at_a_month() -> None:
    active = ew.active_at(hand_panel(), 3)
    # c0 is M3+ and c3 written off; c4..c6 have fewer than 3 months on book
    assert active.contract.tolist() == [1, 2]
    assert active.mob.tolist() == [3, 3]


def test_features_refuse_a_window_longer_than_the_history() -> None:
    with pytest.raises(ValueError, match="at least 3 months"):
        ew.features(hand_panel(), pd.DataFrame(), np.array([0]), np.array([2]))


def test_reason_codes_are_the_largest_positive_contributions() -> None:
    contrib = np.array([[0.1, -0.5, 0.7, 0.0], [-0.1, -0.2, -0.3, -0.4]])
    assert ew.reason_codes(contrib, ["a", "b", "c", "d"], top=3) == [["c", "a"], []]


def test_probabilities_are_the_booster_prediction(
    book: SimulatedBook, model: ew.EarlyWarningModel
) -> None:
    data = ew.training_set(book.panel, book.applications)
    prob, contrib = model.explain(data.x)
    np.testing.assert_allclose(prob, model.booster.predict(data.x), rtol=1e-9)
    assert contrib.shape == (len(data.x), len(model.columns))
    bad, good = prob[data.y == 1].mean(), prob[data.y == 0].mean()
    assert bad > good


def test_a_model_survives_its_text_form(book: SimulatedBook, model: ew.EarlyWarningModel) -> None:
    back = ew.EarlyWarningModel.from_text(model.to_text(), model.columns)
    x = ew.training_set(book.panel, book.applications).x.head(200)
    np.testing.assert_allclose(back.predict(x), model.predict(x))


def test_the_watch_list_is_the_riskiest_with_bilingual_reasons(
    book: SimulatedBook, model: ew.EarlyWarningModel
) -> None:
    scored, x = ew.score_month(book.panel, book.applications, 19, model)
    assert len(scored) > 100
    assert scored.probability.between(0, 1).all()
    listed = ew.watch_list(scored, x, model, 10)
    assert len(listed) == 10
    assert listed.probability.iloc[0] == scored.probability.max()
    assert listed.probability.min() >= scored.probability.nlargest(10).min()
    codes = listed.reasons.iloc[0].split(";")
    assert codes
    assert all(c in ew.REASONS for c in codes)
    assert listed.reasons_zh.iloc[0].split("；")[0] == ew.REASONS[codes[0]][1]
