"""Servicing events loaded from a file: all of it or none of it, bad rows named by line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from autolease.audit.service import Actor
from autolease.cli import app
from autolease.contract.bulk import BulkFileError, BulkRow, parse_rows, read_rows
from autolease.contract.models import ContractEvent
from autolease.contract.service.bulk import BulkLoadFailed, load_events
from autolease.runtime import Runtime
from tests.contract.conftest import Approved

HEADER = "contract_id,event_id,kind,occurred_on,amount,reference,note\n"


def _csv(tmp_path: Path, body: str, name: str = "events.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def _booked(client: TestClient, ok: Approved) -> dict[str, Any]:
    response = client.post(
        f"/v1/applications/{ok.application_id}/contract",
        json={"decision_id": ok.decision_id, "offer_rank": 1},
        headers=ok.sp.headers,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def _stored(runtime: Runtime) -> int:
    with runtime.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(ContractEvent)) or 0)


def _load(runtime: Runtime, path: Path) -> int:
    rows, errors = parse_rows(read_rows(path))
    assert errors == []
    with runtime.sessions.begin() as session:
        actor = Actor(key=runtime.audit_key, name="system:test", at=runtime.clock.now())
        return load_events(session, rows, actor=actor, settings=runtime.settings.contract).recorded


def _refused(runtime: Runtime, rows: list[BulkRow]) -> BulkLoadFailed:
    """Load in a transaction that rolls back, as the command does, and return the failure."""
    actor = Actor(key=runtime.audit_key, name="system:test", at=runtime.clock.now())
    with pytest.raises(BulkLoadFailed) as failed, runtime.sessions.begin() as session:
        load_events(session, rows, actor=actor, settings=runtime.settings.contract)
    return failed.value


class TestParsing:
    def test_bad_rows_are_named_by_line_and_field(self, tmp_path: Path) -> None:
        path = _csv(
            tmp_path,
            "ctr_1,p1,payout,2026-12-01,1000.00,B1,\n"
            "ctr_1,r1,repayment,2026-13-01,12.345,,\n"
            ",r2,repayment,2026-12-02,10,,\n"
            "ctr_1,r3,gift,2026-12-02,10,,\n",
        )
        rows, errors = parse_rows(read_rows(path))
        assert [r.line for r in rows] == [2]
        messages = [str(e) for e in errors]
        assert any(m.startswith("line 3: occurred_on") for m in messages)
        assert any(m.startswith("line 3: amount") for m in messages)
        assert "line 4: contract_id: is empty" in messages
        assert any(m.startswith("line 5:") for m in messages)

    def test_cells_are_text_not_guesses(self, tmp_path: Path) -> None:
        path = _csv(tmp_path, "ctr_1,none,repayment,2026-12-01,10,,none\n")
        rows, errors = parse_rows(read_rows(path))
        assert errors == []
        assert rows[0].event.event_id == "none"
        assert rows[0].event.note == "none"

    def test_missing_column_and_unknown_format(self, tmp_path: Path) -> None:
        path = tmp_path / "x.csv"
        path.write_text("contract_id,kind\nctr_1,payout\n", encoding="utf-8")
        with pytest.raises(BulkFileError, match="event_id, occurred_on"):
            list(read_rows(path))
        with pytest.raises(BulkFileError, match=r"\.csv or \.parquet"):
            list(read_rows(tmp_path / "x.xlsx"))

    def test_parquet_reads_like_csv(self, tmp_path: Path) -> None:
        path = tmp_path / "events.parquet"
        table = pa.table(
            {
                "contract_id": ["ctr_1"],
                "event_id": ["r1"],
                "kind": ["repayment"],
                "occurred_on": ["2026-12-01"],
                "amount": ["10.50"],
            }
        )
        pq.write_table(table, path)
        rows, errors = parse_rows(read_rows(path))
        assert errors == []
        assert str(getattr(rows[0].event, "amount", None)) == "10.50"


class TestLoad:
    def test_a_good_file_records_every_event(
        self, client: TestClient, approved: Approved, runtime: Runtime, tmp_path: Path
    ) -> None:
        contract = _booked(client, approved)
        rent = contract["schedule"][0]["payment"]
        path = _csv(
            tmp_path,
            f"{contract['id']},p1,payout,2026-12-01,{contract['financed_amount']},B1,\n"
            f"{contract['id']},r1,repayment,2027-01-01,{rent},,\n",
        )
        assert _load(runtime, path) == 2
        assert _stored(runtime) == 2

    def test_one_refused_row_stores_nothing_of_the_file(
        self, client: TestClient, approved: Approved, runtime: Runtime, tmp_path: Path
    ) -> None:
        contract = _booked(client, approved)
        # Line 2 repays a contract that is not paid out yet (the payout comes on line 3).
        path = _csv(
            tmp_path,
            f"{contract['id']},r0,repayment,2026-11-30,100.00,,\n"
            f"{contract['id']},p1,payout,2026-12-01,{contract['financed_amount']},B1,\n",
        )
        rows, errors = parse_rows(read_rows(path))
        assert errors == []
        failed = _refused(runtime, rows)
        assert str(failed.errors[0]).startswith("line 2: repayment:")
        assert _stored(runtime) == 0

    def test_unknown_contract_is_named(
        self, client: TestClient, approved: Approved, runtime: Runtime, tmp_path: Path
    ) -> None:
        contract = _booked(client, approved)
        path = _csv(
            tmp_path,
            f"{contract['id']},p1,payout,2026-12-01,{contract['financed_amount']},B1,\n"
            "ctr_missing,r1,repayment,2027-01-01,10.00,,\n",
        )
        rows, _ = parse_rows(read_rows(path))
        failed = _refused(runtime, rows)
        assert str(failed.errors[0]) == "line 3: contract_id: no such contract"
        assert _stored(runtime) == 0


class TestCommand:
    def test_bad_row_exits_2_with_its_line(self, tmp_path: Path) -> None:
        path = _csv(tmp_path, "ctr_1,r1,repayment,2026-12-01,abc,,\n")
        result = CliRunner().invoke(app, ["book", "load", str(path)])
        assert result.exit_code == 2
        assert "line 2: amount" in result.output
        assert "nothing was stored" in result.output

    def test_missing_file_exits_2(self, tmp_path: Path) -> None:
        result = CliRunner().invoke(app, ["book", "load", str(tmp_path / "nope.csv")])
        assert result.exit_code == 2
        assert "no such file" in result.output
