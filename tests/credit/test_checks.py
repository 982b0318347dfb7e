"""Every credit model kind passes the generic model contract (autolease.ml.checks)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import pytest

from autolease.credit.model import CreditModel
from autolease.ml.checks import ContractViolation, ModelCase, check_model, yield_checks
from tests.credit.conftest import MONOTONE, make_frame, train_small

FRAME = make_frame(500, seed=11)


def case(kind: str) -> ModelCase:
    records = FRAME.drop(columns=["status"]).head(8).to_dict("records")

    def predict(model: CreditModel, rows: Sequence[Mapping[str, Any]]) -> Any:
        return np.array([model.assess(r, top=0).pd for r in rows])

    return ModelCase(
        name=kind,
        fit=lambda: train_small(kind, FRAME, seed=3).model,  # type: ignore[arg-type]
        predict=predict,
        records=records,
        save=lambda m: m.to_files(),
        load=CreditModel.from_files,
        monotone=MONOTONE,
        monotone_grid={
            "ltv": np.linspace(0.3, 1.1, 9).tolist(),
            "income": np.linspace(2000, 60000, 9).tolist(),
        },
    )


class TestCheckModel:
    @pytest.mark.slow
    @pytest.mark.parametrize("kind", ["scorecard", "gbm", "blend"])
    def test_every_kind_passes(self, kind: str) -> None:
        check_model(case(kind))

    def test_a_broken_direction_is_caught(self) -> None:
        broken = case("scorecard")
        wrong = ModelCase(**{**broken.__dict__, "monotone": {"ltv": -1}})
        with pytest.raises(ContractViolation, match="declared direction of ltv"):
            check_model(wrong)

    def test_monotonicity_is_skipped_when_nothing_is_declared(self) -> None:
        plain = ModelCase(**{**case("gbm").__dict__, "monotone": {}})
        assert "check_monotonicity" not in [c.__name__ for c in yield_checks(plain)]

    def test_pickle_is_caught(self) -> None:
        pickled = ModelCase(
            name="p",
            fit=lambda: 0.5,
            predict=lambda m, rs: np.full(len(rs), m),
            records=[{"x": 1.0}],
            save=lambda m: {"m.pkl": b"\x80\x04..."},
            load=lambda files: 0.5,
        )
        with pytest.raises(ContractViolation, match="pickle"):
            check_model(pickled)


_ = pd
