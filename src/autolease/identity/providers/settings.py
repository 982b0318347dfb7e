"""Settings of the identity providers: add ``identity_providers: IdentityProviderSettings``.

Environment: ``AUTOLEASE_IDENTITY_PROVIDERS__BOOK_DIR`` … Without ``book_dir`` (and until
real vendor clients exist) no provider is configured: the prefetcher is not built, the
features are missing and the policy's DATA_MISSING rules decide. ``sandbox`` adds the
made-up sandbox identities (docs/sandbox.md) to the local providers, with or without a book.
``calls`` bounds every provider call (``AUTOLEASE_IDENTITY_PROVIDERS__CALLS__TIMEOUT_MS`` …,
see `kit/guard.py`).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

from autolease.kit.guard import ProviderCallSettings


class IdentityProviderSettings(BaseModel):
    """Where the local providers read from, and the thresholds of the reason codes."""

    book_dir: Path | None = None
    # The sandbox identities (`sandbox.py`) on top of the book, or alone without one.
    sandbox: bool = False
    min_tenure_months: int = Field(default=6, ge=0)
    max_hard_queries_90d: int = Field(default=6, ge=0)
    max_institutions_applied_30d: int = Field(default=4, ge=0)
    max_open_credit_institutions: int = Field(default=4, ge=0)
    calls: ProviderCallSettings = Field(default_factory=ProviderCallSettings)
