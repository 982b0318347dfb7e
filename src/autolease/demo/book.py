"""The demo's world: a synthetic book, models trained on it, and its history in the store.

On first run the demo writes a small synthetic book whose application window ends yesterday,
trains the valuation, credit and fraud models on it (registered under the artifacts directory,
like `autolease vehicle train`, `credit train-book` and `fraud train`), creates the book's SPs
with their grades, records the models in the store and makes each the champion of its name
(`ensure_champions`, a documented bootstrap audited as ``system:demo``: the demo has no second
analyst to approve it), and puts the link rows of every application but the last `n` into the
store, so that velocity and the relationship graph have a past. The last `n` applications are
then submitted over HTTP. The book doubles as the data behind the *local* identity providers
(carrier, card, bureau, court) and the vehicle-history provider: these are the project's own
stand-ins for external vendors, never real data. Later runs reuse it all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from sqlalchemy import select

from autolease.audit import service as audit_service
from autolease.config import Settings
from autolease.credit import service as credit_service
from autolease.credit.training import TrainOptions as CreditOptions
from autolease.dealer.schemas import SpCreate
from autolease.fraud.book import book_link_rows
from autolease.fraud.service import offline as fraud_offline
from autolease.fraud.service.seeding import app_id, seed_links
from autolease.fraud.training import TrainOptions as FraudOptions
from autolease.governance import repository as governance_repository
from autolease.governance.service import models as governance_models
from autolease.governance.service.serving import configured_names
from autolease.kit.money import from_fen
from autolease.ml import registry
from autolease.origination.models import Application
from autolease.runtime import Runtime
from autolease.seeding import ensure_sp
from autolease.synth.config import SynthConfig
from autolease.synth.payloads import SynthPayload, build_payloads
from autolease.synth.writer import write_book
from autolease.vehicle import service as vehicle_service
from autolease.vehicle.valuation import TrainConfig as ValuationConfig

log = logging.getLogger(__name__)
BOOK_TABLES = ("applications", "applicants", "vehicles", "sps")
WINDOW_MONTHS = 12
# Serving has no face-match score unless the biometrics extra runs, so the demo's fraud
# model must not learn from one (see `fraud train --drop`).
FRAUD_INPUTS_NOT_SERVED = ("face_match_score",)


@dataclass(frozen=True)
class DemoWorld:
    book_dir: Path
    artifacts_dir: Path


def world_of(settings: Settings) -> DemoWorld:
    """Where the demo keeps its book: beside the SQLite file (``var/`` by default)."""
    return DemoWorld(settings.db.sqlite_path.parent / "demo-book", settings.artifacts_dir)


def with_local_providers(settings: Settings, world: DemoWorld) -> Settings:
    """Settings whose unset local providers read the demo book, plus the sandbox identities."""
    providers = settings.identity_providers
    vehicle = settings.vehicle
    return settings.model_copy(
        update={
            "identity_providers": providers.model_copy(
                update={"book_dir": providers.book_dir or world.book_dir, "sandbox": True}
            ),
            "vehicle": vehicle.model_copy(
                update={"history_book_dir": vehicle.history_book_dir or world.book_dir}
            ),
        }
    )


def demo_settings(settings: Settings) -> Settings:
    """In development, `settings` with the demo book behind unset providers, if it exists."""
    world = world_of(settings)
    if settings.environment != "development" or not (world.book_dir / "manifest.json").is_file():
        return settings
    return with_local_providers(settings, world)


def ensure_book(
    world: DemoWorld,
    *,
    size: int,
    seed: int,
    today: date,
    on: Callable[[int], None] | None = None,
) -> bool:
    """Write the book unless it is there; True when written now (`on`: applications done)."""
    if (world.book_dir / "manifest.json").is_file():
        return False
    start = _months_before(today, WINDOW_MONTHS)
    config = SynthConfig(n_applications=size, seed=seed, start=start, months=WINDOW_MONTHS)
    write_book(config, world.book_dir, on_applications=on)
    return True


def _months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    return date(month_index // 12, month_index % 12 + 1, 1)


def ensure_models(
    world: DemoWorld, *, now: datetime, report: Callable[[str], None] = log.info
) -> list[str]:
    """Train each model that has no registered version yet; return what was trained."""
    trained: list[str] = []
    root = world.artifacts_dir
    if not registry.versions(root, "valuation"):
        report("training the valuation model (P10/P50/P90) on the demo book …")
        manifest, _ = vehicle_service.train_and_save(
            world.book_dir,
            root,
            columns=None,
            version=now.strftime("%Y%m%d%H%M%S"),
            created_at=now.isoformat(),
            config=ValuationConfig(num_threads=0),
            currency="CNY",
        )
        trained.append(manifest.ref)
    if not registry.versions(root, "credit_gbm"):
        report("training the credit PD model on the demo book …")
        credit = credit_service.train_book(
            world.book_dir, CreditOptions(), out=root, name=None, version=None, created_at=now
        )
        trained.append(credit.manifest.ref)
    if not registry.versions(root, "fraud_gbm"):
        report("training the fraud model on the demo book (first 9 months) …")
        fraud = fraud_offline.train_book(
            world.book_dir,
            FraudOptions(rounds=150, num_threads=2),
            out=root,
            created_at=now,
            train_months=9,
            drop=FRAUD_INPUTS_NOT_SERVED,
        )
        trained.append(fraud.manifest.ref)
    return trained


def ensure_champions(runtime: Runtime, actor: audit_service.Actor) -> list[str]:
    """Make the newest version of each configured model champion, where none is recorded.

    Only the demo and the benchmarks bootstrap this way; analysts propose and approve
    (`autolease model propose` / `approve`).
    """
    root = runtime.settings.artifacts_dir
    promoted = []
    with runtime.sessions.begin() as session:
        for name in configured_names(runtime.settings).values():
            found = registry.versions(root, name) if name else []
            if not name or not found or governance_repository.champions(session, [name]):
                continue
            ref = f"{name}@{found[-1]}"
            governance_models.bootstrap_champion(session, root, ref, actor, "demo bootstrap")
            promoted.append(ref)
    return promoted


def read_book(world: DemoWorld) -> dict[str, Any]:
    return {name: pq.read_table(world.book_dir / f"{name}.parquet") for name in BOOK_TABLES}


def seed_book_sps(runtime: Runtime, tables: dict[str, Any], actor: audit_service.Actor) -> int:
    """Create the book's SPs (code, name, region, grade) that the store lacks."""
    created = 0
    with runtime.sessions.begin() as session:
        for row in tables["sps"].to_pylist():
            data = SpCreate(
                code=row["sp_code"],
                name=row["name"],
                region=row["province"],
                grade=row["grade"],
                deposit_balance=from_fen(int(row["deposit_balance_fen"])),
            )
            created += ensure_sp(session, data, actor=actor)
    return created


def seed_history(runtime: Runtime, tables: dict[str, Any], *, submit: int) -> int:
    """Put the link rows of all but the last `submit` applications into the store, once."""
    history = tables["applications"].num_rows - submit
    if history <= 0:
        return 0
    first = int(tables["applications"].column("application_id")[0].as_py())
    with runtime.sessions() as session:
        if session.scalar(select(Application.id).where(Application.id == app_id(first))):
            return 0
    past = dict(tables, applications=tables["applications"].slice(0, history))
    with runtime.engine.begin() as conn:
        return seed_links(conn, book_link_rows(past), runtime.cipher)


def latest_payloads(tables: dict[str, Any], n: int, seed: int) -> list[SynthPayload]:
    """Bodies of the book's last `n` applications, in order."""
    total = tables["applications"].num_rows
    return build_payloads(tables, offset=max(0, total - n), limit=n, seed=seed)
