"""Credit settings section (add as ``credit: CreditSettings`` to `autolease.config.Settings`)."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

from autolease.credit.grades import DEFAULT_PD_CUTOFFS


class CreditSettings(BaseModel):
    """Which credit model serves, and how its output is presented to the policy.

    ``model`` names the model under ``settings.artifacts_dir`` whose *champion*, recorded in the
    store (`autolease model`), serves; with no champion the credit stage refers every
    application with ``CREDIT_MODEL_UNAVAILABLE``. ``enabled = False`` skips the credit
    assessment altogether (development and tests). ``grade_pd_cutoffs`` overrides the grades the
    model was trained with (upper PD bounds of A, B, C and D).
    """

    enabled: bool = True
    model: str = "credit_gbm"
    top_reasons: int = Field(default=3, ge=0, le=10)
    grade_pd_cutoffs: tuple[float, float, float, float] | None = None

    @field_validator("model")
    @classmethod
    def _model_ref(cls, value: str) -> str:
        if not value or "@" in value:
            raise ValueError(
                "credit.model names a model (e.g. credit_gbm); its champion in the store serves"
            )
        return value

    @field_validator("grade_pd_cutoffs")
    @classmethod
    def _cutoffs(
        cls, value: tuple[float, float, float, float] | None
    ) -> tuple[float, float, float, float] | None:
        if value is not None and (
            list(value) != sorted(value) or not value[0] > 0 or not value[-1] < 1
        ):
            raise ValueError("grade_pd_cutoffs must increase strictly inside (0, 1)")
        return value


DEFAULT_GRADE_PD_CUTOFFS = DEFAULT_PD_CUTOFFS
