"""An integrator's first minutes, with only the README and docs/sandbox.md: the commands and
the request are read from the README's "Using the API" block, the outcomes from the sandbox
page's table. Nothing here restates a body, a header or an outcome."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from autolease.app import create_app
from autolease.cli import app as cli
from autolease.config import get_settings

ROOT = Path(__file__).resolve().parents[2]
KEY = re.compile(r"\bak_[0-9a-f]+_[0-9a-f]+\b")
ROW = re.compile(r"^\| `(docs/examples/[^`]+\.json)` \|.*\| ([^|]*) \|$", re.MULTILINE)


def readme_commands() -> list[list[str]]:
    """The README's "Using the API" block, as argument lists (continuations joined)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Using the API", 1)[1]
    block = section.split("```bash", 1)[1].split("```", 1)[0]
    joined = re.sub(r"\\\n\s*", " ", block)
    lines = [line.split("#", 1)[0].strip() for line in joined.splitlines()]
    return [shlex.split(line) for line in lines if line]


def documented_outcomes() -> list[tuple[str, str, set[str]]]:
    """docs/sandbox.md's table: file, the first bold outcome, the backticked reason codes."""
    page = (ROOT / "docs" / "sandbox.md").read_text(encoding="utf-8")
    rows = []
    for file, outcome in ROW.findall(page):
        bold = re.search(r"\*\*(approve|refer|decline)\*\*", outcome)
        assert bold, f"no outcome in bold for {file}"
        codes = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", outcome))
        rows.append((file, bold.group(1), codes))
    return rows


def curl_request(argv: list[str], key: str) -> tuple[str, dict[str, str], dict[str, Any]]:
    """The path, headers and JSON body of a `curl -X POST host/path -H … -d @file` line."""
    path = "/" + next(a for a in argv if a.startswith("localhost:")).split("/", 1)[1]
    headers: dict[str, str] = {}
    body: dict[str, Any] = {}
    for flag, value in pairwise(argv):
        if flag == "-H":
            name, _, text = value.partition(":")
            headers[name.strip()] = text.strip().replace("$KEY", key)
        elif flag == "-d":
            raw = (ROOT / value[1:]).read_text("utf-8") if value.startswith("@") else value
            body = json.loads(raw)
    return path, headers, body


@pytest.fixture
def new_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A fresh store with the demo's users and SPs, and the sandbox identities on."""
    monkeypatch.setenv("AUTOLEASE_DB__URL", f"sqlite:///{tmp_path / 'new.db'}")
    monkeypatch.setenv("AUTOLEASE_SECURITY__KEYFILE", str(tmp_path / "keys.json"))
    monkeypatch.setenv("AUTOLEASE_IDENTITY_PROVIDERS__SANDBOX", "true")
    monkeypatch.setenv("AUTOLEASE_API__FREEZE_STARTUP_HEAP", "false")
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    runner = CliRunner()
    assert runner.invoke(cli, ["migrate"]).exit_code == 0
    assert runner.invoke(cli, ["seed"]).exit_code == 0
    yield
    get_settings.cache_clear()


def test_the_readme_submits_the_example_and_each_sandbox_identity_reaches_its_outcome(
    new_user: None,
) -> None:
    commands = readme_commands()
    issue = next(c for c in commands if "issue-key" in c)
    issued = CliRunner().invoke(cli, issue[issue.index("sp") :])
    assert issued.exit_code == 0, issued.output
    found = KEY.search(issued.output)
    assert found, "the README's issue-key command printed no key"
    login = next(c for c in commands if any(a.endswith("/v1/auth/token") for a in c))
    submit = next(c for c in commands if any(a.endswith("/v1/applications") for a in c))
    rows = documented_outcomes()
    assert {outcome for _, outcome, _ in rows} >= {"refer", "decline"}

    with TestClient(create_app(get_settings())) as client:
        path, headers, body = curl_request(login, found.group())
        assert client.post(path, json=body, headers=headers).status_code == 200
        path, headers, body = curl_request(submit, found.group())
        created = client.post(path, json=body, headers=headers)
        assert created.status_code == 201, created.text
        assert client.post(path, json=body, headers=headers).json() == created.json()
        for n, (file, outcome, codes) in enumerate(rows):
            example = json.loads((ROOT / file).read_text("utf-8"))
            answer = client.post(
                path, json=example, headers={**headers, "Idempotency-Key": f"t{n}"}
            )
            decision = answer.json()["decision"]
            assert decision["outcome"] == outcome, file
            assert codes <= {r["code"] for r in decision["reasons"]}, file
