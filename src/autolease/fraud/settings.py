"""Fraud settings: add ``fraud: FraudSettings`` to `autolease.config.Settings`.

Environment: ``AUTOLEASE_FRAUD__MODEL``, ``AUTOLEASE_FRAUD__LOOKBACK_DAYS``,
``AUTOLEASE_FRAUD__IP_REGIONS_FILE`` …
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field, field_validator


class FraudSettings(BaseModel):
    """Which fraud model serves, the graph window, device matching and rule thresholds.

    ``model`` names the model under ``settings.artifacts_dir`` whose champion, recorded in the
    store, serves; ``enabled = False`` (or no champion) leaves the rules running and refers
    every application with FRAUD_MODEL_UNAVAILABLE. ``refer_threshold`` overrides the model's
    own (set in training for a ~3 % referral rate).
    """

    enabled: bool = True
    model: str = "fraud_gbm"
    refer_threshold: float | None = Field(default=None, gt=0, lt=1)
    top_reasons: int = Field(default=3, ge=0, le=10)
    lookback_days: int = Field(default=180, ge=1, le=3650)
    device_match_threshold: float = Field(default=0.75, gt=0, le=1)
    ip_regions_file: Path | None = None
    trust_forwarded_for: bool = False
    ring_min_other_ids: int = Field(default=2, ge=1)
    device_min_other_ids: int = Field(default=5, ge=1)
    device_min_other_sps: int = Field(default=2, ge=1)
    id_min_other_sps_30d: int = Field(default=2, ge=1)

    @field_validator("model")
    @classmethod
    def _model_ref(cls, value: str) -> str:
        if not value or "@" in value:
            raise ValueError(
                "fraud.model names a model (e.g. fraud_gbm); its champion in the store serves"
            )
        return value


def fraud_settings(settings: object) -> FraudSettings:
    """The ``fraud`` section of the app settings, or the defaults until it is wired."""
    found = getattr(settings, "fraud", None)
    return found if isinstance(found, FraudSettings) else FraudSettings()
