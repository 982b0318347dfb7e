"""The synthetic book's `sp` segment: ground truth, and the rest of the book left as it was."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from autolease.portfolio import files
from autolease.portfolio.panel import State
from autolease.portfolio.simulate import Planted, SpPlan, simulate


class TestSpSegment:
    def test_good_sps_contracts_and_the_planted_cohort_are_drawn_as_without_sps(self) -> None:
        plain = simulate(20_000, seed=5, planted=Planted())
        with_sps = simulate(20_000, seed=5, planted=Planted(), sps=SpPlan(count=50))
        truth = with_sps.sp_truth
        assert truth is not None
        assert plain.sp_truth is None
        codes = with_sps.panel.segments["sp"].codes
        good = np.asarray(truth.kind)[codes] == "good"
        assert good.sum() > 15_000
        assert np.array_equal(plain.panel.states[good], with_sps.panel.states[good])
        assert set(truth.kind) == {"good", "bad", "colluding"}

    def test_colluding_sps_have_first_payment_frauds(self) -> None:
        book = simulate(20_000, seed=5, sps=SpPlan(count=50, colluding_share=0.2))
        assert book.sp_truth is not None
        codes = book.panel.segments["sp"].codes
        kind = np.asarray(book.sp_truth.kind)[codes]
        at_mob2 = book.panel.states[:, 2]
        assert (at_mob2[kind == "colluding"] == State.M2).mean() > 0.05
        assert (at_mob2[kind == "good"] == State.M2).mean() < 0.02

    def test_the_truth_is_saved_with_the_panel(self, tmp_path: Path) -> None:
        book = simulate(2_000, seed=5, sps=SpPlan(count=20))
        files.save(book, tmp_path)
        loaded = files.load(tmp_path)
        assert loaded.sp_truth == book.sp_truth
        assert np.array_equal(loaded.panel.segments["sp"].codes, book.panel.segments["sp"].codes)
