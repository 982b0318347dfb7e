"""Response model of the reason-code catalogue."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class ReasonCodeRead(BaseModel):
    code: str = Field(description="the reason code, as on a decision or an offer")
    stage: str = Field(description="the pipeline stage that emits it")
    severity: Literal["info", "refer", "decline"] = Field(
        description="its usual severity: info informs, refer sends it to a reviewer, decline ends"
    )
    kind: Literal["reason", "offer"] = Field(
        description="reason: on a decision; offer: on an offer (departure, note, alert)"
    )
    shown_to_sp: bool = Field(description="whether SP-facing responses show it")
    text_zh: str = Field(description="what it means, in Chinese")
    text_en: str = Field(description="what it means, in English")
    action_zh: str = Field(description="what the applicant can do, in Chinese")
    action_en: str = Field(description="what the applicant can do, in English")
