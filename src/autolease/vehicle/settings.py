"""Settings of the vehicle domain: add ``vehicle: VehicleSettings`` to ``config.Settings``.

Environment (with the usual prefix and nesting): ``AUTOLEASE_VEHICLE__VALUATION_MODEL``,
``AUTOLEASE_VEHICLE__LTV_BASIS``, ``AUTOLEASE_VEHICLE__HISTORY_BOOK_DIR`` …
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from autolease.kit.guard import ProviderCallSettings


class VehicleSettings(BaseModel):
    """How the vehicle stage values a car and where its history comes from.

    ``valuation_model`` names the model under ``Settings.artifacts_dir`` whose champion,
    recorded in the store, serves; ``None`` switches valuation off, and the stage then refers
    with VALUATION_UNAVAILABLE, as it does when no champion is recorded.
    ``history_book_dir`` points at a synthetic book (``vehicle_history.parquet``); unset means
    no history source (HISTORY_UNAVAILABLE, info). ``valuation_unavailable_severity`` may be
    lowered to ``info`` where no model is expected (a demo or a developer machine).
    ``history_calls`` bounds each history look-up (``…__HISTORY_CALLS__TIMEOUT_MS``; see
    `kit/guard.py`).
    """

    valuation_model: str | None = "valuation"
    ltv_basis: Literal["p10", "p50"] = "p50"
    price_tolerance: float = Field(default=1.15, gt=1.0)
    max_ltv: float | None = Field(default=None, gt=0)
    history_book_dir: Path | None = None
    num_threads: int = Field(default=1, ge=0)
    valuation_unavailable_severity: Literal["info", "refer"] = "refer"
    history_calls: ProviderCallSettings = Field(default_factory=ProviderCallSettings)

    @field_validator("valuation_model")
    @classmethod
    def _model_name(cls, value: str | None) -> str | None:
        if value is not None and (not value or "@" in value):
            raise ValueError(
                "vehicle.valuation_model names a model (e.g. valuation); its champion serves"
            )
        return value
