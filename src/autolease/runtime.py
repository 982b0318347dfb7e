"""The objects a running autolease needs, built once from settings (by the app or the CLI)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from autolease import metadata as _all_tables  # noqa: F401  (every table mapped before a query)
from autolease.audit.chain import chain_key
from autolease.channel.service.limits import SpLimitPrefetcher
from autolease.channel.stage import ChannelStage
from autolease.config import Settings
from autolease.credit.service import build_credit_stage
from autolease.db import create_engine_for, session_factory
from autolease.decision.service import DecisionRuntime
from autolease.fraud.service.scoring import build_fraud_prefetchers, build_fraud_stage
from autolease.identity.biometrics.service import BiometricPrefetcher, InstalledEngines
from autolease.identity.providers.service import build_checks_stage, build_identity_prefetcher
from autolease.kit.clock import Clock, SystemClock
from autolease.kit.crypto import FieldCipher
from autolease.kit.ids import IdFactory, RandomSource
from autolease.origination.pipeline import Stage
from autolease.origination.service.intake import Prefetcher
from autolease.origination.stages import default_stages
from autolease.product.service import offers_wiring
from autolease.vehicle.service import build_vehicle_stage


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    cipher: FieldCipher
    clock: Clock
    ids: IdFactory
    audit_key: bytes
    stages: tuple[Stage, ...] = field(default_factory=tuple)
    prefetchers: tuple[Prefetcher, ...] = field(default_factory=tuple)
    decisions: DecisionRuntime | None = None

    def close(self) -> None:
        self.engine.dispose()


def build_runtime(
    settings: Settings, *, clock: Clock | None = None, rng: RandomSource | None = None
) -> Runtime:
    keys = settings.security.resolved()
    cipher = FieldCipher(keys.data_keys, keys.active_key_id, keys.blind_key)
    engine = create_engine_for(settings.db)
    the_clock = clock or SystemClock()
    decisions = DecisionRuntime.build(settings.decision)
    offers_stage, catalogue_refresher = offers_wiring()
    identity_checks = build_identity_prefetcher(settings.identity_providers, the_clock)
    stages = default_stages(
        checks=build_checks_stage(settings.identity_providers) if identity_checks else None,
        vehicle=build_vehicle_stage(settings.vehicle, settings.artifacts_dir, the_clock),
        fraud=build_fraud_stage(settings.fraud, settings.artifacts_dir),
        credit=build_credit_stage(settings.credit, settings.artifacts_dir),
        channel=ChannelStage(),
        policy=decisions.stage,
        offers=offers_stage,
    )
    return Runtime(
        settings=settings,
        engine=engine,
        sessions=session_factory(engine),
        cipher=cipher,
        clock=the_clock,
        ids=IdFactory(the_clock, rng),
        audit_key=chain_key(keys.blind_key),
        stages=stages,
        prefetchers=(
            catalogue_refresher,
            decisions.sync,
            *((identity_checks,) if identity_checks else ()),
            BiometricPrefetcher(InstalledEngines(settings.biometrics), settings.biometrics, cipher),
            *build_fraud_prefetchers(settings.fraud),
            SpLimitPrefetcher(),
        ),
        decisions=decisions,
    )
