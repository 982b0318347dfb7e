"""Settings of the decision domain (a section of `autolease.config.Settings`)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, model_validator

DEFAULT_POLICY_KEY = "origination/approve"


class ChallengerMode(StrEnum):
    SHADOW = "shadow"  # both evaluated and stored; the champion acts
    LIVE = "live"  # the challenger acts for its share; the champion is stored in shadow


class DecisionSettings(BaseModel):
    """Which policy decides, and the champion/challenger split.

    Environment: ``AUTOLEASE_DECISION__POLICY_KEY``, ``AUTOLEASE_DECISION__CHALLENGER_KEY``,
    ``AUTOLEASE_DECISION__CHALLENGER_SHARE``, ``AUTOLEASE_DECISION__CHALLENGER_MODE``,
    ``AUTOLEASE_DECISION__SPLIT_SEED``, ``AUTOLEASE_DECISION__POLICIES_DIR``,
    ``AUTOLEASE_DECISION__REFRESH_SECONDS``.
    """

    policy_key: str = DEFAULT_POLICY_KEY
    challenger_key: str | None = None
    challenger_share: float = Field(default=0.0, ge=0.0, le=1.0)
    challenger_mode: ChallengerMode = ChallengerMode.SHADOW
    split_seed: str = "autolease-cc-1"
    policies_dir: Path | None = None
    """Directory of policy files; ``None`` = the copy shipped inside the package."""
    refresh_seconds: float = Field(default=5.0, ge=0.0)
    """How stale the in-memory activation schedule may get before an intake re-reads it."""

    @model_validator(mode="after")
    def _challenger_differs(self) -> DecisionSettings:
        if self.challenger_key is not None and self.challenger_key == self.policy_key:
            raise ValueError("decision.challenger_key must differ from decision.policy_key")
        return self

    @property
    def challenger_active(self) -> bool:
        return self.challenger_key is not None and self.challenger_share > 0.0


def decision_settings(settings: Any) -> DecisionSettings:
    """The ``decision`` section of application settings, or defaults before it is wired."""
    section = getattr(settings, "decision", None)
    return section if isinstance(section, DecisionSettings) else DecisionSettings()
