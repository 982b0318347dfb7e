"""Settings of the documents domain (`AUTOLEASE_DOCUMENTS__…`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

MIB = 1024 * 1024
MULTIPART_SLACK_BYTES = 64 * 1024
"""Room for the multipart envelope (boundaries, headers, the `kind` field) above the file cap,
so that a file just over the cap is refused by the endpoint, naming the field."""


class DocumentSettings(BaseModel):
    """Where files are kept and how large they may be.

    `root`: the folder of the local store (files are AES-GCM sealed under the data keys of
    `security`, under generated names). `max_bytes`: the largest file accepted.
    `max_per_application`: documents one application may hold. `sweep_grace_minutes`: a file
    without a row is an orphan for `autolease documents sweep` only once it is this old, so an
    upload whose transaction is still open is never swept. `retention_days_without_contract`:
    how long the documents of an application that ended without a contract (declined or
    withdrawn) are kept after its last change; `autolease documents purge` deletes them then.
    """

    root: Path = Path("var") / "documents"
    max_bytes: int = Field(default=10 * MIB, ge=1024, le=100 * MIB)
    max_per_application: int = Field(default=50, ge=1, le=1000)
    sweep_grace_minutes: int = Field(default=60, ge=0)
    retention_days_without_contract: int = Field(default=180, ge=1, le=3650)

    @property
    def max_body_bytes(self) -> int:
        """The request guard's body limit for an upload."""
        return self.max_bytes + MULTIPART_SLACK_BYTES
