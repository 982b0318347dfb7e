"""Fraud endpoints: the device collector and its fingerprints, and confirmed-fraud labels.

* ``GET /v1/device/collector.js`` — the JavaScript collector (public, cacheable);
* ``POST /v1/device/fingerprints`` — the collector posts its signals; the answer is the
  device identity to send as ``device.fingerprint_id`` with the application (public: it is
  called from the applicant's browser; it returns nothing but the id);
* ``POST /v1/fraud/labels`` — a reviewer confirms (or clears) fraud on an application
  (staff only; audited); ``GET /v1/fraud/applications/{id}/labels`` lists them.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from fastapi import APIRouter, Request, Response

from autolease.auth.dependencies import ActorDep, StaffDep
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.fraud.schemas import FingerprintIn, FingerprintOut, LabelIn, LabelOut
from autolease.fraud.service import devices, labels
from autolease.fraud.service.scoring import resolver_of
from autolease.fraud.settings import fraud_settings

router = APIRouter(tags=["fraud"])


@lru_cache(maxsize=1)
def collector_source() -> bytes:
    return resources.files("autolease.fraud").joinpath("static/collector.js").read_bytes()


@router.get("/v1/device/collector.js", include_in_schema=False)
def collector() -> Response:
    return Response(
        collector_source(),
        media_type="application/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"},
    )


def client_ip(request: Request, trust_forwarded_for: bool) -> str | None:
    """The caller's IP: the first X-Forwarded-For hop when the proxy is trusted."""
    if trust_forwarded_for:
        forwarded = request.headers.get("x-forwarded-for")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.client.host if request.client else None


@router.post("/v1/device/fingerprints", response_model=FingerprintOut, status_code=201)
def post_fingerprint(
    body: FingerprintIn, request: Request, session: SessionDep, runtime: RuntimeDep
) -> FingerprintOut:
    settings = fraud_settings(runtime.settings)
    found = devices.collect(
        session,
        raw_signals=body.signals,
        ip=client_ip(request, settings.trust_forwarded_for),
        at=runtime.clock.now(),
        ids=runtime.ids,
        cipher=runtime.cipher,
        resolver=resolver_of(settings),
        threshold=settings.device_match_threshold,
    )
    return FingerprintOut(fingerprint_id=found.device_id)


def _label_out(row: object) -> LabelOut:
    return LabelOut.model_validate(row, from_attributes=True)


@router.post(
    "/v1/fraud/labels",
    response_model=LabelOut,
    status_code=201,
    responses={404: {"description": "no such application"}},
)
def post_label(body: LabelIn, session: SessionDep, _: StaffDep, actor: ActorDep) -> LabelOut:
    row = labels.record_label(
        session,
        application_id=body.application_id,
        label=body.label,
        pattern=body.pattern,
        source=body.source,
        note=body.note,
        actor=actor,
    )
    return _label_out(row)


@router.get("/v1/fraud/applications/{application_id}/labels", response_model=list[LabelOut])
def get_labels(application_id: str, session: SessionDep, _: StaffDep) -> list[LabelOut]:
    return [_label_out(r) for r in labels.labels(session, application_id)]
