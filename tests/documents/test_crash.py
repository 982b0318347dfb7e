"""A process that dies between writing the file and committing the row leaves no row, and the
sweep removes its file: a row never points to a missing file."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from autolease.documents import service
from autolease.documents.models import Document
from autolease.runtime import Runtime
from tests.documents.conftest import World

CRASH = """
import os, sys
from autolease.auth.principal import Principal, Role
from autolease.documents import service
from autolease.documents.kinds import DocumentKind
from autolease.documents.store import LocalStore
from autolease.origination.models import Application
from autolease.runtime import build_runtime
from tests.conftest import make_settings
from tests.documents import samples

db_url, root, app_id = sys.argv[1:]
runtime = build_runtime(make_settings(db_url), pipeline=False)
session = runtime.sessions()
app = session.get(Application, app_id)
service.upload(
    session,
    store=LocalStore(__import__("pathlib").Path(root)),
    cipher=runtime.cipher,
    settings=runtime.settings.documents,
    app=app,
    principal=Principal("api_key", "apikey:crash", Role.SP_USER, app.sp_id, "SP-A"),
    kind=DocumentKind.BANK_CARD,
    incoming=service.Incoming(samples.png(seed=42)),
    storage_name=runtime.ids.new("doc"),
    at=runtime.clock.now(),
)
os._exit(9)  # dies before the commit: no clean-up runs
"""


def test_a_crash_before_the_commit_leaves_a_file_the_sweep_removes(
    world: World, runtime: Runtime, db_url: str
) -> None:
    root = world.store.root
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    args = [sys.executable, "-c", CRASH, db_url, str(root), world.app_a]
    done = subprocess.run(args, env=env, cwd=Path.cwd(), capture_output=True, timeout=120)
    assert done.returncode == 9, done.stderr.decode()[-2000:]

    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Document)) == 0
    (left,) = list(world.store.list())
    assert left.name.startswith("doc_")

    with runtime.sessions() as session:
        report = service.sweep(
            session,
            store=world.store,
            now=left.modified_at + timedelta(minutes=61),
            grace=timedelta(minutes=60),
            dry_run=False,
        )
    assert [f.name for f in report.orphans] == [left.name]
    assert report.missing == []
    assert list(world.store.list()) == []
