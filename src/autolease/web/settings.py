"""Settings of the browser pages (`AUTOLEASE_WEB__…`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field


class WebSettings(BaseModel):
    """A browser session ends after `idle_minutes` without a request, and in any case
    `absolute_hours` after login. `trust_proxy_headers`: believe `X-Forwarded-Proto` (only
    behind a proxy that sets it) when deciding whether the session cookie is `Secure`.
    `books_dir`: where the console's backtest page finds books."""

    idle_minutes: int = Field(default=30, ge=1)
    absolute_hours: int = Field(default=12, ge=1)
    trust_proxy_headers: bool = False
    default_lang: str = "zh_CN"
    books_dir: Path | None = None
    """Synthetic books (each a folder with a manifest.json) the console offers for
    backtests, beside the demo's book."""
