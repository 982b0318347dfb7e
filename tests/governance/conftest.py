"""Small credit models for the governance tests: ones serving can feed, and an HMEQ-like one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from autolease.audit.service import Actor
from autolease.auth.principal import Role
from autolease.credit import features as declared
from autolease.credit import service as credit_service
from autolease.credit.encoding import InputSchema, encode
from autolease.credit.training import TrainingResult, TrainOptions, fit_credit_model
from autolease.governance import repository
from autolease.governance.service import models as service
from autolease.governance.service.checks import analyst_actor
from autolease.runtime import Runtime
from tests.conftest import START
from tests.credit.conftest import SMALL_GBM
from tests.factories import make_user

SERVED_INPUTS = ("applicant_age", "ltv_on_asking_price", "payment_to_income")


def origination_like(seed: int, n: int = 600) -> TrainingResult:
    """A PD model on three of the declared credit features (so serving can feed it)."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "applicant_age": rng.integers(22, 60, n),
            "ltv_on_asking_price": rng.uniform(0.3, 1.0, n),
            "payment_to_income": rng.uniform(0.05, 0.6, n),
        }
    )
    logit = -2 + 3 * (frame["ltv_on_asking_price"] - 0.6) + 4 * (frame["payment_to_income"] - 0.3)
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int8).to_numpy()
    schema = InputSchema(tuple(declared.BY_NAME[name].column for name in SERVED_INPUTS))
    options = TrainOptions(kind="gbm", seed=seed, gbm=SMALL_GBM)
    return fit_credit_model(encode(frame, schema), y, schema, options)


def register(root: Path, result: TrainingResult, name: str = "credit_gbm") -> str:
    reg = credit_service.register(
        root,
        result,
        name=name,
        version=None,
        created_at=START,
        training_window={"from": "2025-01-01", "to": "2025-12-31"},
        params={},
    )
    return reg.ref


def write_hmeq(path: Path, n: int = 400, seed: int = 3) -> Path:
    """An HMEQ-like home-equity table (the public data set's columns), generated."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "BAD": (rng.random(n) < 0.2).astype(int),
            "LOAN": rng.integers(1_000, 90_000, n),
            "MORTDUE": rng.uniform(2_000, 400_000, n).round(0),
            "VALUE": rng.uniform(8_000, 850_000, n).round(0),
            "REASON": rng.choice(["DebtCon", "HomeImp"], n),
            "JOB": rng.choice(["Office", "Sales", "Mgr", "ProfExe", "Self", "Other"], n),
            "YOJ": rng.uniform(0, 40, n).round(1),
            "DEROG": rng.integers(0, 4, n),
            "DELINQ": rng.integers(0, 5, n),
            "CLAGE": rng.uniform(0, 600, n).round(1),
            "NINQ": rng.integers(0, 10, n),
            "CLNO": rng.integers(0, 60, n),
            "DEBTINC": rng.uniform(5, 60, n).round(2),
        }
    )
    frame.to_csv(path, index=False)
    return path


@pytest.fixture(scope="session")
def served_models() -> tuple[TrainingResult, TrainingResult]:
    return origination_like(1), origination_like(2)


@dataclass
class World:
    runtime: Runtime
    root: Path

    def actor(self, username: str) -> Actor:
        with self.runtime.sessions() as session:
            return analyst_actor(session, username, key=self.runtime.audit_key, at=START)

    @property
    def system(self) -> Actor:
        return Actor(self.runtime.audit_key, "system:test", START)

    def bootstrap(self, ref: str) -> None:
        with self.runtime.sessions.begin() as session:
            service.bootstrap_champion(session, self.root, ref, self.system, "test")

    def promote(self, ref: str, *, maker: str = "a1", checker: str = "a2") -> None:
        proposer, approver = self.actor(maker), self.actor(checker)
        with self.runtime.sessions.begin() as session:
            change = service.propose(session, self.root, ref, "champion", proposer)
        with self.runtime.sessions.begin() as session:
            service.approve(session, self.root, change.id, approver)

    def stage_of(self, ref: str) -> str:
        name, version = ref.split("@")
        with self.runtime.sessions() as session:
            row = repository.model_version(session, name, version)
            assert row is not None
            return row.stage


@pytest.fixture
def world(runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    # The runtime is shared by the session: put its stages back after each test.
    monkeypatch.setattr(runtime, "stages", runtime.stages)
    monkeypatch.setattr(runtime, "serving", runtime.serving)
    monkeypatch.setattr(runtime.settings, "artifacts_dir", tmp_path)
    with runtime.sessions.begin() as session:
        for name in ("a1", "a2"):
            make_user(session, runtime, name, Role.RISK_ANALYST)
        make_user(session, runtime, "rev", Role.REVIEWER)
    return World(runtime, tmp_path)
