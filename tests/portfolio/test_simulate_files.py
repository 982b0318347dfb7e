from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from autolease.portfolio import files
from autolease.portfolio.panel import NOT_OBSERVED
from autolease.portfolio.simulate import Planted, simulate


def test_the_same_seed_gives_the_same_book() -> None:
    a = simulate(3000, origination_months=12, seed=7, planted=Planted(first_month=4))
    b = simulate(3000, origination_months=12, seed=7, planted=Planted(first_month=4))
    c = simulate(3000, origination_months=12, seed=8, planted=Planted(first_month=4))
    np.testing.assert_array_equal(a.panel.states, b.panel.states)
    pd.testing.assert_frame_equal(a.applications, b.applications)
    assert not np.array_equal(a.panel.states, c.panel.states)


def test_a_book_is_observed_up_to_its_last_month() -> None:
    book = simulate(2000, origination_months=12, seed=3)
    panel = book.panel
    last_seen = (panel.states != NOT_OBSERVED).sum(axis=1) - 1
    np.testing.assert_array_equal(last_seen, np.minimum(11 - panel.origination, panel.max_mob - 1))
    assert len(book.applications) == panel.contracts
    assert book.planted is None


def test_files_round_trip(tmp_path: Path) -> None:
    book = simulate(1500, origination_months=12, seed=4, planted=Planted(first_month=3))
    files.save(book, tmp_path / "book")
    back = files.load(tmp_path / "book")
    np.testing.assert_array_equal(back.panel.states, book.panel.states)
    np.testing.assert_array_equal(back.panel.origination, book.panel.origination)
    assert back.panel.months == book.panel.months
    for name, seg in book.panel.segments.items():
        np.testing.assert_array_equal(back.panel.segments[name].codes, seg.codes)
        assert back.panel.segments[name].labels == seg.labels
    pd.testing.assert_frame_equal(back.applications, book.applications)
    assert back.planted == book.planted


def test_loading_a_folder_that_is_not_a_panel_says_what_is_missing(tmp_path: Path) -> None:
    with pytest.raises(files.PanelFileError, match=r"states\.npy"):
        files.load(tmp_path)
