"""The objects a running autolease needs, built once from settings (by the app or the CLI)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from autolease.audit.chain import chain_key
from autolease.config import Settings
from autolease.db import create_engine_for, session_factory
from autolease.kit.clock import Clock, SystemClock
from autolease.kit.crypto import FieldCipher
from autolease.kit.ids import IdFactory, RandomSource
from autolease.origination.pipeline import Stage
from autolease.origination.service.intake import Prefetcher
from autolease.origination.stages import default_stages


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

    def close(self) -> None:
        self.engine.dispose()


def build_runtime(
    settings: Settings, *, clock: Clock | None = None, rng: RandomSource | None = None
) -> Runtime:
    keys = settings.security.resolved()
    engine = create_engine_for(settings.db)
    the_clock = clock or SystemClock()
    return Runtime(
        settings=settings,
        engine=engine,
        sessions=session_factory(engine),
        cipher=FieldCipher(keys.data_keys, keys.active_key_id, keys.blind_key),
        clock=the_clock,
        ids=IdFactory(the_clock, rng),
        audit_key=chain_key(keys.blind_key),
        stages=default_stages(),
    )
