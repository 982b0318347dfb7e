"""`autolease --help` and the light commands import no heavy library, so they start at once.

Each command runs in a fresh interpreter (the test process has imported everything already)
that reports the modules it loaded; a heavy one fails the test with its name.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = (
    "lightgbm",
    "sklearn",
    "scipy",
    "optbinning",
    "pandas",
    "numpy",
    "pyarrow",
    "dask",
    "distributed",
    "torch",
    "igraph",
    "matplotlib",
    "fastapi",
    "uvicorn",
    "alembic",
    "httpx",
)

RUN = """
import json, sys
{preload}
from autolease.cli import main
sys.argv = ["autolease", *sys.argv[1:]]
try:
    main()
except SystemExit as stop:
    code = stop.code
with open({out!r}, "w") as report:
    json.dump({{"code": code, "modules": sorted(sys.modules)}}, report)
"""


def run_cli(
    args: list[str], env: dict[str, str], out: Path, preload: str = ""
) -> tuple[int, set[str]]:
    script = RUN.format(out=str(out), preload=preload)
    subprocess.run([sys.executable, "-c", script, *args], env=env, capture_output=True, check=False)
    report = json.loads(out.read_text())
    loaded = {name.split(".")[0] for name in report["modules"]}
    return int(report["code"] or 0), loaded


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A migrated SQLite store of its own, so the commands that read it succeed."""
    home = tmp_path_factory.mktemp("cli-imports")
    env = {
        **os.environ,
        "AUTOLEASE_DB__URL": f"sqlite:///{home / 'cli.db'}",
        "AUTOLEASE_SECURITY__KEYFILE": str(home / "keys.json"),
    }
    code, _ = run_cli(["migrate"], env, home / "migrate.json")
    assert code == 0
    return env


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["user", "--help"],
        ["sp", "list"],
        ["audit", "verify"],
        ["policy", "list"],
    ],
    ids=" ".join,
)
def test_light_commands_import_no_heavy_library(
    args: list[str], cli_env: dict[str, str], tmp_path: Path
) -> None:
    code, loaded = run_cli(args, cli_env, tmp_path / "report.json")
    assert code == 0
    assert sorted(loaded & set(HEAVY)) == []


def test_the_check_sees_a_heavy_import(cli_env: dict[str, str], tmp_path: Path) -> None:
    """The same run with pandas imported first reports it (the check can fail)."""
    code, loaded = run_cli(["--help"], cli_env, tmp_path / "r.json", preload="import pandas")
    assert code == 0
    assert {"numpy", "pandas"} <= loaded


def test_help_does_not_open_the_store(cli_env: dict[str, str], tmp_path: Path) -> None:
    """`--help` loads no SQLAlchemy either: the store's modules load when a command runs."""
    code, loaded = run_cli(["--help"], cli_env, tmp_path / "help.json")
    assert code == 0
    assert "sqlalchemy" not in loaded
