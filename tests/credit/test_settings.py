"""Tests for autolease.credit.settings."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from autolease.credit.settings import CreditSettings


class TestCreditSettings:
    def test_defaults(self) -> None:
        settings = CreditSettings()
        assert settings.model == "credit_gbm"
        assert settings.enabled
        assert settings.top_reasons == 3
        assert settings.grade_pd_cutoffs is None

    @pytest.mark.parametrize("ref", ["credit_gbm@latest", "@1", "x@", ""])
    def test_model_names_a_model_whose_champion_serves(self, ref: str) -> None:
        with pytest.raises(ValidationError, match="champion"):
            CreditSettings(model=ref)

    def test_cutoffs_must_increase(self) -> None:
        with pytest.raises(ValidationError, match="increase"):
            CreditSettings(grade_pd_cutoffs=(0.2, 0.1, 0.3, 0.4))
