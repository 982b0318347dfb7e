"""`autolease audit checkpoint` and `audit verify --checkpoint` over the test database.

The tampering is what someone with write access to the database alone can do: delete the
last events and roll `audit_head` back to the new tail (or delete it too).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from autolease.audit import cli as audit_cli
from autolease.audit import repository
from autolease.audit.chain import chain_key
from autolease.audit.checkpoint import checkpoint_key, dumps, sign
from autolease.audit.models import AuditEvent, AuditHead
from autolease.cli import app
from autolease.runtime import Runtime
from tests.audit.test_service import write_events


@pytest.fixture
def cli_runtime(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    @contextmanager
    def scope() -> Iterator[Runtime]:
        yield runtime

    monkeypatch.setattr(audit_cli, "runtime_scope", scope)
    return runtime


def run(*args: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(app, ["audit", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.output)


def cut_tail(runtime: Runtime, *, keep: int, roll_head_back: bool = True) -> None:
    """Delete the events after `keep`; roll the head back to the new tail, or delete it."""
    with runtime.sessions.begin() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.seq > keep))
        if not roll_head_back:
            session.execute(delete(AuditHead))
            return
        tail = session.execute(select(AuditEvent.hash).where(AuditEvent.seq == keep)).scalar_one()
        session.execute(update(AuditHead).values(seq=keep, hash=tail))


class TestCheckpoint:
    def test_a_directory_gets_a_new_signed_file_each_time(
        self, cli_runtime: Runtime, tmp_path: Path
    ) -> None:
        write_events(cli_runtime, 3)
        code, first = run("checkpoint", "--out", str(tmp_path))
        assert code == 0
        assert (first["records_checked"], first["seq"]) == (3, 3)
        assert first["key_id"].startswith("hmac-sha256:")
        code, second = run("checkpoint", "--out", str(tmp_path))  # same clock, same seq
        assert code == 0
        assert second["file"] != first["file"]
        files = sorted(p.name for p in tmp_path.iterdir())
        assert files == sorted(Path(f["file"]).name for f in (first, second))
        assert json.loads(Path(first["file"]).read_text())["hash"] == first["hash"]

    def test_a_file_is_replaced_by_the_newer_tip(
        self, cli_runtime: Runtime, tmp_path: Path
    ) -> None:
        out = tmp_path / "tip.json"
        write_events(cli_runtime, 2)
        assert run("checkpoint", "--out", str(out))[0] == 0
        write_events(cli_runtime, 2)
        code, written = run("checkpoint", "--out", str(out))
        assert (code, written["seq"]) == (0, 4)
        assert json.loads(out.read_text())["seq"] == 4

    def test_nothing_is_written_over_a_checkpoint_the_chain_no_longer_holds(
        self, cli_runtime: Runtime, tmp_path: Path
    ) -> None:
        out = tmp_path / "tip.json"
        write_events(cli_runtime, 5)
        run("checkpoint", "--out", str(out))
        before = out.read_text()
        cut_tail(cli_runtime, keep=3)
        code, report = run("checkpoint", "--out", str(out))
        assert (code, report["first_problem_seq"], report["problem"]) == (1, 4, "deleted")
        assert out.read_text() == before

    def test_a_missing_directory_is_refused(self, cli_runtime: Runtime, tmp_path: Path) -> None:
        code, report = run("checkpoint", "--out", str(tmp_path / "no" / "tip.json"))
        assert code == 2
        assert "no such directory" in report["checkpoint_refused"]


class TestVerifyWithCheckpoint:
    def test_a_clean_chain_holds_its_checkpoint(self, cli_runtime: Runtime, tmp_path: Path) -> None:
        write_events(cli_runtime, 4)
        run("checkpoint", "--out", str(tmp_path))
        write_events(cli_runtime, 2)
        code, report = run("verify", "--checkpoint", str(tmp_path))
        assert (code, report["intact"], report["records_checked"]) == (0, True, 6)
        assert [c["seq"] for c in report["checkpoints"]] == [4]

    def test_truncation_with_the_head_rolled_back_is_caught(
        self, cli_runtime: Runtime, tmp_path: Path
    ) -> None:
        write_events(cli_runtime, 6)
        run("checkpoint", "--out", str(tmp_path))
        cut_tail(cli_runtime, keep=4)
        assert run("verify")[0] == 0  # the database alone cannot tell
        code, report = run("verify", "--checkpoint", str(tmp_path))
        assert code == 1
        assert (report["first_problem_seq"], report["problem"]) == (5, "deleted")
        assert report["detail"] == "records 5..6 missing (checkpointed tip: seq 6)"

    def test_truncation_with_the_head_deleted_names_the_missing_range(
        self, cli_runtime: Runtime, tmp_path: Path
    ) -> None:
        write_events(cli_runtime, 6)
        run("checkpoint", "--out", str(tmp_path / "tip.json"))
        cut_tail(cli_runtime, keep=2, roll_head_back=False)
        code, report = run("verify", "--checkpoint", str(tmp_path / "tip.json"))
        assert (code, report["first_problem_seq"], report["problem"]) == (1, 3, "deleted")
        assert report["detail"] == "records 3..6 missing (checkpointed tip: seq 6)"

    def test_a_forged_checkpoint_is_refused(self, cli_runtime: Runtime, tmp_path: Path) -> None:
        write_events(cli_runtime, 3)
        _, written = run("checkpoint", "--out", str(tmp_path))
        path = Path(written["file"])
        fields = json.loads(path.read_text())
        path.write_text(json.dumps({**fields, "seq": 2}))
        code, report = run("verify", "--checkpoint", str(tmp_path))
        assert code == 2
        assert "signature does not match" in report["checkpoint_refused"]
        assert path.name in report["checkpoint_refused"]

    def test_a_checkpoint_under_another_key_is_refused(
        self, cli_runtime: Runtime, tmp_path: Path
    ) -> None:
        write_events(cli_runtime, 3)
        _, written = run("checkpoint", "--out", str(tmp_path / "tip.json"))
        other = checkpoint_key(chain_key(b"o" * 32))
        foreign = sign(other, seq=3, digest=written["hash"], at=cli_runtime.clock.now())
        out = tmp_path / "foreign.json"
        out.write_text(dumps(foreign))
        code, report = run("verify", "--checkpoint", str(out))
        assert code == 2
        assert "another key" in report["checkpoint_refused"]

    def test_a_missing_checkpoint_file_is_refused(
        self, cli_runtime: Runtime, tmp_path: Path
    ) -> None:
        code, report = run("verify", "--checkpoint", str(tmp_path / "gone.json"))
        assert code == 2
        assert "cannot be read" in report["checkpoint_refused"]

    def test_an_empty_checkpoint_directory_is_refused(
        self, cli_runtime: Runtime, tmp_path: Path
    ) -> None:
        code, report = run("verify", "--checkpoint", str(tmp_path))
        assert code == 2
        assert "no checkpoint" in report["checkpoint_refused"]


class TestVerifyWithoutCheckpoint:
    def test_tail_and_head_deleted_together_name_the_first_missing_record(
        self, cli_runtime: Runtime
    ) -> None:
        write_events(cli_runtime, 5)
        cut_tail(cli_runtime, keep=3, roll_head_back=False)
        code, report = run("verify")
        assert (code, report["first_problem_seq"], report["problem"]) == (1, 4, "deleted")
        assert "records after 3" in report["detail"]


class TestConcurrentIntakes:
    def test_events_appended_between_the_reads_are_not_a_cut_off_chain(
        self, cli_runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        if cli_runtime.engine.dialect.name != "postgresql":
            pytest.skip("SQLite's verify holds the writer lock: no append can come between")
        write_events(cli_runtime, 3)
        all_events = repository.all_events

        def then_an_intake_commits(session: Session) -> Any:
            found = all_events(session)
            write_events(cli_runtime, 2)  # another connection, committed before the tip is read
            return found

        monkeypatch.setattr(repository, "all_events", then_an_intake_commits)
        code, report = run("checkpoint", "--out", str(tmp_path))
        assert (code, report["records_checked"], report["seq"]) == (0, 3, 3)
