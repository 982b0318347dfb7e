"""Webhook settings section (``webhooks: WebhookSettings`` in `autolease.config.Settings`)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class WebhookSettings(BaseModel):
    """How the delivery worker posts events.

    ``max_attempts``: attempts of one delivery before it is dead.
    ``backoff_base_s`` / ``backoff_cap_s``: the delay after attempt n is
    ``min(cap, base * 2**(n-1))``, of which a random half is taken off (jitter).
    ``timeout_s``: one POST's time limit. ``lease_s``: how long a claimed delivery stays
    invisible to other workers (longer than the timeout, so no two workers post it at once).
    ``batch_size`` / ``concurrency``: deliveries claimed per round, and POSTs in flight.
    ``allow_plain_http_localhost``: http:// to localhost/127.0.0.1 is accepted outside
    production (local receivers in development and tests); https is always required elsewhere.
    """

    max_attempts: int = Field(default=8, ge=1, le=30)
    backoff_base_s: float = Field(default=10.0, gt=0, le=3600)
    backoff_cap_s: float = Field(default=3600.0, gt=0, le=86400)
    timeout_s: float = Field(default=10.0, gt=0, le=60)
    lease_s: float = Field(default=60.0, gt=0, le=3600)
    batch_size: int = Field(default=100, ge=1, le=1000)
    concurrency: int = Field(default=8, ge=1, le=64)
    allow_plain_http_localhost: bool = True
