"""The queue's keyset cursor (pure): the sort key of the last row shown, opaque to callers.

>>> from datetime import UTC, datetime
>>> at = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
>>> decode(encode(at, "app_01")) == (at, "app_01")
True
>>> decode("not a cursor")
Traceback (most recent call last):
...
ValueError: the cursor is not one this queue gave out
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

SEPARATOR = "|"


def encode(referred_at: datetime, application_id: str) -> str:
    raw = f"{referred_at.isoformat()}{SEPARATOR}{application_id}".encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode(cursor: str) -> tuple[datetime, str]:
    """The (referred_at, application_id) a cursor holds; ValueError for anything else."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode("ascii")).decode()
        at, sep, app_id = text.partition(SEPARATOR)
        parsed = datetime.fromisoformat(at)
    except (ValueError, UnicodeError, binascii.Error):
        raise ValueError("the cursor is not one this queue gave out") from None
    if not sep or not app_id or parsed.tzinfo is None:
        raise ValueError("the cursor is not one this queue gave out")
    return parsed, app_id
