"""Request and response models of the fraud endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from autolease.kit.ids import id_pattern


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


SignalValue = str | int | float | bool | None


class FingerprintIn(Strict):
    """What the collector posts: its signals (see `fraud.device` for the names)."""

    signals: dict[str, SignalValue] = Field(max_length=64)


class FingerprintOut(BaseModel):
    """The device identity to send as ``device.fingerprint_id`` with the application."""

    fingerprint_id: str


class LabelIn(Strict):
    application_id: str = Field(
        min_length=1, max_length=40, json_schema_extra={"pattern": id_pattern("app")}
    )
    label: Literal["fraud", "not_fraud"]
    pattern: (
        Literal[
            "gang_ring",
            "identity_theft",
            "straw_buyer",
            "inflated_price",
            "double_financing",
            "odometer_rollback",
            "bad_sp",
            "other",
        ]
        | None
    ) = None
    source: Literal["reviewer", "investigation", "police", "bureau", "collections"] = "reviewer"
    note: str | None = Field(default=None, max_length=500)


class LabelOut(BaseModel):
    id: int
    application_id: str
    label: str
    pattern: str | None
    source: str
    labelled_by: str
    labelled_at: datetime
