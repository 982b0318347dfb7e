"""Webhook events (pure): their types, their ids and the body an endpoint receives.

An application status change is the event ``application.<new status>``. The body carries the
event id, the type, when it happened and what an SP may see: the application id, the new and
the previous status. Never a staff username or a note: the SP reads the details through the
API, where its own view applies.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from autolease.kit.ids import RandomSource

APPLICATION_STATUSES = (
    "submitted",
    "approved",
    "referred",
    "declined",
    "withdrawn",
    "contracted",
)
EVENT_TYPES = tuple(f"application.{status}" for status in APPLICATION_STATUSES)
ALL_EVENTS = "*"


def event_type_of(status: str) -> str:
    return f"application.{status}"


def new_event_id(rng: RandomSource) -> str:
    """A random (version 4) UUID whose bits come from the injected source."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def subscribed(event_types: list[str], event_type: str) -> bool:
    return ALL_EVENTS in event_types or event_type in event_types


@dataclass(frozen=True)
class StatusChange:
    """What an SP may know of one status change."""

    application_id: str
    status: str
    previous_status: str | None

    def data(self) -> dict[str, Any]:
        return {
            "application_id": self.application_id,
            "status": self.status,
            "previous_status": self.previous_status,
        }


def body_of(event_id: str, event_type: str, occurred_at: datetime, data: dict[str, Any]) -> bytes:
    """The bytes posted for an event: compact JSON with sorted keys, the same on every try."""
    envelope = {
        "id": event_id,
        "type": event_type,
        "occurred_at": occurred_at.isoformat().replace("+00:00", "Z"),
        "data": data,
    }
    return json.dumps(envelope, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
