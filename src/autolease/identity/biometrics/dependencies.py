"""Typed dependencies for the biometrics endpoints."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from fastapi import Depends

from autolease.auth.principal import Role
from autolease.dependencies import RuntimeDep
from autolease.identity.biometrics.service import EngineProvider, InstalledEngines
from autolease.identity.biometrics.settings import BiometricsSettings, biometrics_settings

BLACKLIST_ROLES = frozenset({Role.ADMIN, Role.RISK_ANALYST})


def get_biometrics_settings(runtime: RuntimeDep) -> BiometricsSettings:
    return biometrics_settings(runtime.settings)


BiometricsSettingsDep = Annotated[BiometricsSettings, Depends(get_biometrics_settings)]


@lru_cache(maxsize=4)
def _installed(settings_json: str) -> InstalledEngines:
    return InstalledEngines(BiometricsSettings.model_validate_json(settings_json))


def get_engines(settings: BiometricsSettingsDep) -> EngineProvider:
    """The installed engines (loaded on first use); tests override this dependency."""
    return _installed(settings.model_dump_json())


EnginesDep = Annotated[EngineProvider, Depends(get_engines)]
