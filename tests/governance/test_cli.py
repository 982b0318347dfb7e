"""``autolease model``, as a user runs it: train on an outside CSV, propose, approve, roll back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from autolease import store
from autolease.auth import service as auth_service
from autolease.auth.principal import Role
from autolease.cli import app
from autolease.config import get_settings
from autolease.credit.training import TrainingResult
from autolease.db import create_engine_for, session_factory, session_scope
from tests.conftest import START
from tests.governance.conftest import register, write_hmeq

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("AUTOLEASE_DB__URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("AUTOLEASE_SECURITY__KEYFILE", str(tmp_path / "keys.json"))
    monkeypatch.setenv("AUTOLEASE_ARTIFACTS_DIR", str(tmp_path / "artifacts"))
    get_settings.cache_clear()
    engine = create_engine_for(get_settings().db)
    store.upgrade(engine)
    with session_scope(session_factory(engine)) as session:
        for name in ("a1", "a2"):
            auth_service.create_user(
                session,
                username=name,
                display_name=name,
                role=Role.RISK_ANALYST,
                password="correct horse battery staple",
                sp_code=None,
                at=START,
            )
    engine.dispose()
    yield tmp_path / "artifacts"
    get_settings.cache_clear()


def model(*args: str) -> tuple[int, Any, str]:
    result = runner.invoke(app, ["model", *args])
    out = json.loads(result.stdout) if result.stdout.strip().startswith("{") else None
    return result.exit_code, out, " ".join(result.stderr.split())


def test_an_hmeq_model_trains_apart_and_is_refused_naming_its_fields(env: Path) -> None:
    data = write_hmeq(env.parent / "hmeq.csv")
    trained = runner.invoke(app, ["credit", "train", "--data", str(data), "--target", "BAD"])
    assert trained.exit_code == 0, trained.output
    summary = json.loads(trained.stdout)
    assert (summary["ref"], summary["stage"]) == ("external/credit_gbm@0001", "candidate")
    code, _, err = model("propose", "external/credit_gbm@0001", "--stage", "champion", "--by", "a1")
    assert code == 2
    assert "ModelIncompatible" in err
    for field in ("VALUE", "MORTDUE", "DEBTINC"):
        assert f"{field}: the origination facts have no input {field}" in err
    code, listed, _ = model("list")
    assert code == 0
    assert [(v["ref"], v["stage"]) for v in listed["versions"]] == [
        ("external/credit_gbm@0001", "candidate")
    ]
    assert listed["pending"] == []


def test_propose_approve_by_another_and_roll_back(
    env: Path, served_models: tuple[TrainingResult, ...]
) -> None:
    first = register(env, served_models[0])
    second = register(env, served_models[1])
    for ref in (first, second):
        code, proposed, err = model("propose", ref, "--stage", "champion", "--by", "a1")
        assert code == 0, err
        assert proposed["status"] == "pending"
        code, _, err = model("approve", ref, "--by", "a1")
        assert code == 2
        assert "SelfApprovalRefused" in err
        code, approved, err = model("approve", str(proposed["change"]), "--by", "a2")
        assert code == 0, err
        assert (approved["ref"], approved["stage"], approved["stage_by"]) == (
            ref,
            "champion",
            "user:a2",
        )
    code, restored, err = model("rollback", "credit_gbm", "--by", "a1")
    assert code == 0, err
    assert (restored["ref"], restored["stage"]) == (first, "champion")
    code, listed, _ = model("list", "credit_gbm")
    assert {v["ref"]: v["stage"] for v in listed["versions"]} == {
        first: "champion",
        second: "retired",
    }


def test_only_risk_analysts_act(env: Path, served_models: tuple[TrainingResult, ...]) -> None:
    ref = register(env, served_models[0])
    code, _, err = model("propose", ref, "--by", "nobody")
    assert code == 2
    assert "NotAnAnalyst" in err
    code, _, err = model("propose", ref, "--stage", "boss", "--by", "a1")
    assert code == 2
    assert "stage must be one of challenger, champion, retired" in err


def test_the_card_names_who_approved(env: Path, served_models: tuple[TrainingResult, ...]) -> None:
    ref = register(env, served_models[0])
    result = runner.invoke(app, ["model", "card", ref])
    assert result.exit_code == 0, result.output
    assert f"# Model card: {ref}" in result.stdout
    assert "not approved yet" in result.stdout
    code, proposed, err = model("propose", ref, "--stage", "champion", "--by", "a1")
    assert code == 0, err
    code, _, err = model("approve", str(proposed["change"]), "--by", "a2")
    assert code == 0, err
    out = env.parent / "card.md"
    code, written, err = model("card", ref, "--out", str(out))
    assert code == 0, err
    assert written == {"ref": ref, "card": str(out)}
    text = out.read_text()
    assert "Stage in the store: **champion**" in text
    assert "* champion: proposed by user:a1, approved by user:a2 at " in text
    assert "not approved yet" not in text


def test_the_card_of_an_unknown_version_is_refused(env: Path) -> None:
    code, _, err = model("card", "credit_gbm@0042")
    assert code == 2
    assert "credit_gbm@0042" in err
