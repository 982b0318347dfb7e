from __future__ import annotations

import pytest

from autolease.decision.split import bucket, in_challenger

UNITS = [f"app_{i:05d}" for i in range(10_000)]


class TestBucket:
    def test_is_deterministic_and_seed_dependent(self) -> None:
        assert bucket("app_1", seed="a") == bucket("app_1", seed="a")
        assert bucket("app_1", seed="a") != bucket("app_1", seed="b")
        assert 0.0 <= bucket("app_1", seed="a") < 1.0


class TestInChallenger:
    def test_share_bounds(self) -> None:
        assert not any(in_challenger(u, seed="s", share=0.0) for u in UNITS[:100])
        assert all(in_challenger(u, seed="s", share=1.0) for u in UNITS[:100])

    def test_the_share_of_units_matches_the_setting(self) -> None:
        chosen = sum(in_challenger(u, seed="s", share=0.3) for u in UNITS)
        assert 2_800 <= chosen <= 3_200

    def test_raising_the_share_only_adds_units(self) -> None:
        small = {u for u in UNITS if in_challenger(u, seed="s", share=0.1)}
        large = {u for u in UNITS if in_challenger(u, seed="s", share=0.2)}
        assert small < large

    @pytest.mark.parametrize("share", [-0.1, 1.1])
    def test_share_outside_0_1_is_an_error(self, share: float) -> None:
        with pytest.raises(ValueError, match="between 0 and 1"):
            in_challenger("x", seed="s", share=share)
