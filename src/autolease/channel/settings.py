"""Channel settings: the grading window and the credibility weight."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

# The prior strength (contracts) of the credibility weight n / (n + k); `channel.credibility`
# reads it from here, so the settings import no numpy.
CREDIBILITY_K = 100.0


class ChannelSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lookback_months: int = Field(default=6, ge=1, le=36)
    """Origination months each delinquency figure looks back over."""
    approval_months: int = Field(default=3, ge=1, le=12)
    """Months of decisions the approval rate counts."""
    credibility_k: float = Field(default=CREDIBILITY_K, ge=0)
    """Prior strength in contracts: an SP's own rate weighs n / (n + k)."""
