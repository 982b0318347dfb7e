"""Request and response models of the H5 pages' JSON calls and of the applicant-link API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from autolease.identity.schemas import rule_error
from autolease.kit.strict_fields import Integer
from autolease.origination.schemas import ApplicationCreate, ConsentGiven

CONSENT_TEXT_VERSION = "h5-consent-2026-12"
"""The version of the consent texts the page shows (`h5/templates/h5/consent.html`)."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LinkCreate(Strict):
    """A short-lived link for one applicant, opened without a login."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"reference": "CRM-2026-0042", "ttl_minutes": 60}]},
    )

    reference: str | None = Field(
        default=None,
        max_length=64,
        pattern=r"^[A-Za-z0-9_.:-]{1,64}$",
        description="The SP's own reference for the applicant or the deal (no personal data)",
    )
    ttl_minutes: Integer = Field(
        default=60, ge=5, le=1440, description="How long the link stays open, minutes (5-1440)"
    )


class LinkRead(BaseModel):
    url: str = Field(description="The page's path on this server: /h5/a/<token>")
    token: str = Field(description="The link's secret; shown once, only its hash is kept")
    reference: str | None = Field(description="The SP's reference, as given")
    expires_at: datetime = Field(description="When the link stops opening, UTC")


class ConsentIn(ConsentGiven):
    """The consents the page's two checkboxes give (the text version is the page's own,
    `CONSENT_TEXT_VERSION`)."""


class H5Submission(Strict):
    """What the H5 page submits: the application (the API's own model) and the consents."""

    application: ApplicationCreate
    consent: ConsentIn

    @model_validator(mode="after")
    def _biometrics_need_their_consent(self) -> H5Submission:
        if self.application.biometrics is not None and not self.consent.biometrics:
            raise rule_error(
                "biometric_consent_required",
                "biometric samples need the applicant's separate consent",
                "采集人脸和声纹须另行取得申请人的单独同意",
                field="biometrics",
            )
        return self


class ResultRead(BaseModel):
    """The result the page shows: outcome, offers, reasons with what the applicant can do."""

    application_id: str
    status: str
    outcome: str | None
    reasons: list[dict[str, str]]
    offers: list[dict[str, Any]]
    human_review: bool
    replayed: bool = False
