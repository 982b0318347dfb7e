"""Webhook request and response bodies. The signing secret appears once, when made."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from autolease.identity.schemas import rule_error
from autolease.kit.strict_fields import Flag, Integer
from autolease.webhooks.events import ALL_EVENTS, EVENT_TYPES

EventType = Annotated[str, Field(max_length=40)]
EVENT_TYPES_HELP = (
    "Event types to receive: " + ", ".join(EVENT_TYPES) + f", or {ALL_EVENTS!r} for all"
)


def _event_types(values: list[str]) -> list[str]:
    out: list[str] = []
    for i, value in enumerate(values):
        if value != ALL_EVENTS and value not in EVENT_TYPES:
            raise rule_error(
                "event_type", "not a known event type", "不是已知的事件类型", field=str(i)
            )
        if value not in out:
            out.append(value)
    return out


class EndpointCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "url": "https://sp-example.cn/hooks/autolease",
                    "event_types": ["application.approved", "application.declined"],
                }
            ]
        },
    )

    url: str = Field(
        min_length=1,
        max_length=2000,
        description="Where events are POSTed: https (http only to localhost outside production)",
    )
    event_types: list[EventType] = Field(min_length=1, max_length=20, description=EVENT_TYPES_HELP)
    active: Flag = Field(default=True, description="Whether events are delivered to it")
    description: str | None = Field(
        default=None, max_length=200, description="A label for the SP's own use"
    )
    sp_code: str | None = Field(
        default=None,
        max_length=32,
        description="The SP the endpoint is for: staff (admin) only; an SP registers its own",
    )

    @field_validator("event_types")
    @classmethod
    def _types(cls, values: list[str]) -> list[str]:
        return _event_types(values)


class EndpointUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"active": False}]})

    url: str | None = Field(
        default=None, min_length=1, max_length=2000, description="A new URL (same rules)"
    )
    event_types: list[EventType] | None = Field(
        default=None, min_length=1, max_length=20, description=EVENT_TYPES_HELP
    )
    active: Flag | None = Field(default=None, description="false pauses delivery")
    description: str | None = Field(
        default=None, max_length=200, description="A label for the SP's own use (null clears)"
    )

    @field_validator("event_types")
    @classmethod
    def _types(cls, values: list[str] | None) -> list[str] | None:
        return None if values is None else _event_types(values)


class EndpointRead(BaseModel):
    id: int
    sp_code: str
    url: str
    event_types: list[str]
    active: bool
    description: str | None
    secret_hint: str = Field(description="The last characters of the signing secret")
    created_at: datetime
    updated_at: datetime


class EndpointCreated(EndpointRead):
    secret: str = Field(
        description="The signing secret (HMAC-SHA256 key): shown only now, store it safely"
    )


class EventRead(BaseModel):
    id: str = Field(description="The event id (UUID), the same on every retry and redelivery")
    type: str
    application_id: str
    occurred_at: datetime
    data: dict[str, Any]


class AttemptRead(BaseModel):
    number: int
    attempted_at: datetime
    status_code: int | None = Field(description="The receiver's HTTP status; null: no answer")
    latency_ms: float = Field(description="Time to the answer, milliseconds")
    error: str | None


class DeliveryRead(BaseModel):
    id: int
    event_id: str
    endpoint_id: int
    state: str = Field(description="pending | delivered | dead")
    attempts: int
    next_attempt_at: datetime | None = Field(description="When it is tried next, if pending")
    delivered_at: datetime | None
    log: list[AttemptRead]


class Redeliver(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"endpoint_id": 1}]})

    endpoint_id: Integer | None = Field(
        default=None,
        ge=1,
        le=2**31 - 1,
        description="One endpoint; none: every active endpoint subscribed to the event's type",
    )


class Redelivered(BaseModel):
    event_id: str
    deliveries: list[int] = Field(description="The new deliveries' ids (see the delivery log)")
