"""The objects a running autolease needs, built once from settings (by the app or the CLI).

The decision pipeline (models, policies, providers) is built only when asked for: CLI commands
that read or write the store build a runtime without it, and so never import LightGBM, pandas
or zen-engine. The models that serve are the champions the store records (`governance`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from autolease import metadata as _all_tables  # noqa: F401  (every table mapped before a query)
from autolease.audit.chain import chain_key
from autolease.auth.rate_limit import KeyRateLimiter
from autolease.config import Settings
from autolease.db import create_engine_for, session_factory
from autolease.governance.service.serving import ServingModels
from autolease.kit.clock import Clock, SystemClock
from autolease.kit.crypto import FieldCipher
from autolease.kit.ids import SESSION_RANDOM_KEY, IdFactory, RandomSource

if TYPE_CHECKING:
    from autolease.decision.service import DecisionRuntime
    from autolease.origination.pipeline import Stage
    from autolease.origination.service.intake import Prefetcher


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
    serving: ServingModels = field(default_factory=ServingModels)
    key_limiter: KeyRateLimiter | None = None

    def close(self) -> None:
        self.engine.dispose()

    def reload_models(self) -> ServingModels:
        """Re-read the champions from the store and swap the model stages (after a change).

        A serving process reads the champions once, at start; a promotion or a rollback
        takes effect when the process restarts or calls this.
        """
        from autolease.governance.service.serving import serving_models

        with self.sessions() as session:
            self.serving = serving_models(session, self.settings)
        fresh = {
            stage.name: stage for stage in model_stages(self.settings, self.serving, self.clock)
        }
        self.stages = tuple(fresh.get(stage.name, stage) for stage in self.stages)
        return self.serving


def model_stages(
    settings: Settings, serving: ServingModels, clock: Clock | None = None
) -> tuple[Stage, ...]:
    """The vehicle, fraud and credit stages serving the given champions."""
    from autolease.credit.service import build_credit_stage
    from autolease.fraud.service.scoring import build_fraud_stage
    from autolease.vehicle.service import build_vehicle_stage

    root = settings.artifacts_dir
    return (
        build_vehicle_stage(settings.vehicle, root, serving.valuation, clock),
        build_fraud_stage(settings.fraud, root, serving.fraud),
        build_credit_stage(settings.credit, root, serving.credit, serving.credit_challenger),
    )


def key_limiter_of(settings: Settings) -> KeyRateLimiter | None:
    """The per-key rate limit of the settings; None when it is off (0 a minute)."""
    api = settings.api
    if api.key_requests_per_minute <= 0:
        return None
    return KeyRateLimiter(api.key_requests_per_minute, api.key_burst)


def build_runtime(
    settings: Settings,
    *,
    clock: Clock | None = None,
    rng: RandomSource | None = None,
    pipeline: bool = True,
) -> Runtime:
    """The process's objects; with `pipeline=False`, no stages, prefetchers or policies."""
    keys = settings.security.resolved()
    cipher = FieldCipher(keys.data_keys, keys.active_key_id, keys.blind_key)
    engine = create_engine_for(settings.db)
    the_clock = clock or SystemClock()
    runtime = Runtime(
        settings=settings,
        engine=engine,
        sessions=session_factory(engine),
        cipher=cipher,
        clock=the_clock,
        ids=IdFactory(the_clock, rng),
        audit_key=chain_key(keys.blind_key),
        key_limiter=key_limiter_of(settings),
    )
    runtime.sessions.configure(info={SESSION_RANDOM_KEY: RuntimeRandom(runtime)})
    if pipeline:
        _add_pipeline(runtime)
    return runtime


class RuntimeRandom:
    """The runtime's random source as its sessions see it: whatever `runtime.ids` draws from
    now (tests swap the id factory), so use cases that only get a session use it too."""

    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

    def getrandbits(self, k: int, /) -> int:
        return self._runtime.ids.rng.getrandbits(k)


def _add_pipeline(runtime: Runtime) -> None:
    from autolease.channel.service.limits import SpLimitPrefetcher
    from autolease.channel.stage import ChannelStage
    from autolease.decision.service import DecisionRuntime
    from autolease.fraud.service.scoring import build_fraud_prefetchers
    from autolease.governance.service.serving import serving_models
    from autolease.identity.biometrics.service import BiometricPrefetcher, InstalledEngines
    from autolease.identity.providers.service import build_checks_stage, build_identity_prefetcher
    from autolease.origination.stages import default_stages
    from autolease.product.service import offers_wiring

    settings, clock = runtime.settings, runtime.clock
    with runtime.sessions() as session:
        runtime.serving = serving_models(session, settings)
    decisions = DecisionRuntime.build(settings.decision)
    offers_stage, catalogue_refresher = offers_wiring()
    identity_checks = build_identity_prefetcher(settings.identity_providers, clock)
    vehicle, fraud, credit = model_stages(settings, runtime.serving, clock)
    runtime.stages = default_stages(
        checks=build_checks_stage(settings.identity_providers) if identity_checks else None,
        vehicle=vehicle,
        fraud=fraud,
        credit=credit,
        channel=ChannelStage(),
        policy=decisions.stage,
        offers=offers_stage,
    )
    biometrics = BiometricPrefetcher(
        InstalledEngines(settings.biometrics), settings.biometrics, runtime.cipher
    )
    runtime.prefetchers = (
        catalogue_refresher,
        decisions.sync,
        *((identity_checks,) if identity_checks else ()),
        biometrics,
        *build_fraud_prefetchers(settings.fraud),
        SpLimitPrefetcher(),
    )
    runtime.decisions = decisions
