"""Request and response models of the fraud endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from autolease.fraud.device import NAME_LIMIT, NUMBER_LIMIT, TEXT_LIMIT, out_of_bounds
from autolease.kit.ids import id_pattern


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


SignalValue = str | int | float | bool | None
SIGNAL_PROBLEMS = {
    "out_of_range": (
        f"a number within ±{NUMBER_LIMIT:,.0f}",
        f"应为±{NUMBER_LIMIT:,.0f}以内的数字",
    ),
    "too_long": (f"at most {TEXT_LIMIT} characters", f"不超过{TEXT_LIMIT}个字符"),
}


def _bounded_signals(value: Any) -> Any:
    """The collector's bounds on every signal an application carries, known or not."""
    if not isinstance(value, dict):
        return value
    for name, item in value.items():
        if not isinstance(name, str) or not 0 < len(name) <= NAME_LIMIT:
            raise PydanticCustomError(
                "signal_name",
                f"signal names have 1 to {NAME_LIMIT} characters",
                {"message_zh": f"信号名称应为1至{NAME_LIMIT}个字符"},
            )
        problem = out_of_bounds(item)
        if problem is not None:
            message_en, message_zh = SIGNAL_PROBLEMS[problem]
            raise PydanticCustomError(
                problem, message_en, {"message_zh": message_zh, "field": name}
            )
    return value


DeviceSignals = Annotated[
    dict[str, str | int | float | bool], BeforeValidator(_bounded_signals), Field(max_length=64)
]


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
