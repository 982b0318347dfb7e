"""Plaintext resident ID and phone never reach the database file or the logs."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from autolease.db import Base
from autolease.origination.models import Applicant
from autolease.runtime import Runtime
from tests.factories import make_body, setup_tenants, submit


def sqlite_files(runtime: Runtime) -> list[Path]:
    database = runtime.engine.url.database
    assert database is not None
    base = Path(database)
    return [p for p in (base, Path(f"{base}-wal"), Path(f"{base}-shm")) if p.exists()]


def read_in_another_process(paths: list[Path]) -> bytes:
    """The files' bytes, read by a child process. Closing a file descriptor of a database
    file in this process would drop every POSIX lock SQLite holds on it here (the locks are
    per process); a process that opens the database next could then reset the shared-memory
    file under this process's live mapping (a SIGBUS)."""
    script = "import sys\nfor p in sys.argv[1:]:\n    sys.stdout.buffer.write(open(p, 'rb').read())"
    done = subprocess.run(
        [sys.executable, "-c", script, *map(str, paths)], capture_output=True, check=True
    )
    return done.stdout


class TestAtRest:
    def test_plaintext_is_not_in_the_sqlite_file_or_logs(
        self, client: TestClient, runtime: Runtime, caplog: pytest.LogCaptureFixture
    ) -> None:
        if runtime.engine.dialect.name != "sqlite":
            pytest.skip("inspects the SQLite file")
        caplog.set_level(logging.DEBUG)
        # another test in this worker (the demo) may have quietened the access log
        caplog.set_level(logging.INFO, logger="autolease.access")
        a, _ = setup_tenants(runtime)
        body = make_body(51)
        body["applicant"]["name"] = "欧阳测试"
        secrets = [
            body["applicant"]["id_number"],
            body["applicant"]["phone"],
            body["applicant"]["bank_card"],
            body["applicant"]["emergency_contacts"][0]["phone"],
        ]
        response = submit(client, a, body)
        assert response.status_code == 201
        bad = dict(body, applicant=dict(body["applicant"], bank_card="1234"))
        assert submit(client, a, bad).status_code == 422  # the error path logs too
        blobs = read_in_another_process(sqlite_files(runtime))
        assert len(blobs) > 10_000
        for secret in [*secrets, "欧阳测试"]:
            assert secret.encode() not in blobs, "plaintext found in the database file"
            assert secret not in caplog.text, "plaintext found in the logs"
        assert "POST /v1/applications 201" in caplog.text  # the log did capture requests

    def test_stored_values_decrypt_and_blind_indexes_link(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        a, _ = setup_tenants(runtime)
        body = make_body(52)
        submit(client, a, body)
        submit(client, a, make_body(53))
        with runtime.sessions() as session:
            rows = session.scalars(select(Applicant)).all()
            phone_index = runtime.cipher.blind_index("phone", body["applicant"]["phone"])
            match = [r for r in rows if r.phone_bidx == phone_index]
            assert len(match) == 1
            plain = runtime.cipher.decrypt(
                match[0].id_number_enc or "", context="applicant.id_number"
            )
            assert plain == body["applicant"]["id_number"]
            assert match[0].id_number_enc.startswith(runtime.cipher.active_key_id + ":")  # type: ignore[union-attr]


class TestEveryColumn:
    def test_no_table_holds_plaintext_on_any_backend(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        a, _ = setup_tenants(runtime)
        body = make_body(54)
        assert submit(client, a, body).status_code == 201
        dump = []
        with runtime.engine.connect() as conn:
            for table in Base.metadata.sorted_tables:
                dump.extend(str(row) for row in conn.execute(select(table)))
        text = "\n".join(dump)
        assert body["vehicle"]["vin"] in text  # the dump does see application data
        for secret in (body["applicant"]["id_number"], body["applicant"]["phone"]):
            assert secret not in text

    def test_a_corporate_name_is_encrypted_and_only_shown_masked(
        self, client: TestClient, runtime: Runtime
    ) -> None:
        a, _ = setup_tenants(runtime)
        body = make_body(55, "corporate")
        name = body["applicant"]["name"] = "上海欧阳测试商贸有限公司"
        created = submit(client, a, body, key="corp-1")
        assert created.status_code == 201, created.text
        shown = [
            created.json()["applicant"]["name"],
            client.get(f"/v1/applications/{created.json()['id']}", headers=a.headers).json()[
                "applicant"
            ]["name"],
            client.get("/v1/applications", headers=a.headers).json()["items"][0]["applicant_name"],
        ]
        assert shown == ["上海" + "*" * 8 + "公司"] * 3
        dump = []
        with runtime.engine.connect() as conn:
            for table in Base.metadata.sorted_tables:
                dump.extend(str(row) for row in conn.execute(select(table)))
        assert "欧阳测试" not in "\n".join(dump)
        with runtime.sessions() as session:
            row = session.scalars(select(Applicant).where(Applicant.kind == "corporate")).one()
        assert runtime.cipher.decrypt(row.name_enc, context="applicant.name") == name
