"""``GET /v1/reason-codes``: the reason-code catalogue (SP keys and staff; no personal data)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter

from autolease.auth.dependencies import PrincipalDep
from autolease.exceptions import FieldError, InputInvalid
from autolease.reasons import catalogue
from autolease.reasons.entries import Entry
from autolease.reasons.schemas import ReasonCodeRead

router = APIRouter(prefix="/v1", tags=["reason codes"])

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "missing or invalid credentials"},
    422: {"description": "an unknown stage, severity or kind"},
}


@router.get("/reason-codes", response_model=list[ReasonCodeRead], responses=ERRORS)
def list_reason_codes(
    _: PrincipalDep,
    stage: str | None = None,
    severity: Literal["info", "refer", "decline"] | None = None,
    kind: Literal["reason", "offer"] | None = None,
) -> list[ReasonCodeRead]:
    """Every reason code the system can emit, by code: stage, severity, texts and what to do."""
    if stage is not None and stage not in catalogue.stages():
        known = ", ".join(catalogue.stages())
        raise InputInvalid(
            f"stage: not one of {known}",
            errors=[
                FieldError(
                    "stage", "unknown_stage", f"stage must be one of {known}", f"阶段须为：{known}"
                )
            ],
        )
    found = catalogue.entries(stage=stage, severity=severity, kind=kind)
    return [_read(e) for e in found]


def _read(e: Entry) -> ReasonCodeRead:
    return ReasonCodeRead(
        code=e.code,
        stage=e.stage,
        severity=e.severity,
        kind=e.kind,
        shown_to_sp=catalogue.shown_to_sp(e.code, e.severity, e.kind),
        text_zh=e.text_zh,
        text_en=e.text_en,
        action_zh=e.action.zh,
        action_en=e.action.en,
    )
