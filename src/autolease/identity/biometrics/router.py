"""Biometrics over HTTP: multipart uploads in, scores, decisions and reason codes out."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, UploadFile, status

from autolease.audit import service as audit_service
from autolease.auth.dependencies import ActorDep, PrincipalDep
from autolease.auth.exceptions import RoleNotAllowed
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.identity.biometrics import service
from autolease.identity.biometrics.challenge import Challenge
from autolease.identity.biometrics.dependencies import (
    BLACKLIST_ROLES,
    BiometricsSettingsDep,
    EnginesDep,
)
from autolease.identity.biometrics.exceptions import SampleInvalid, TemplateNotFound
from autolease.identity.biometrics.schemas import (
    DeletedRead,
    EnrolRead,
    FaceVerifyRead,
    LivenessRead,
    VoiceVerifyRead,
)
from autolease.kit.strict_fields import FormText

router = APIRouter(prefix="/v1/biometrics", tags=["biometrics"])

Upload = Annotated[UploadFile, File()]
ERRORS: dict[int | str, dict[str, str]] = {
    422: {"description": "a sample is empty, unreadable, of the wrong format or too large"},
    503: {"description": "the biometrics extra is not installed"},
}


def _read(upload: UploadFile, field: str, limit: int) -> bytes:
    data = upload.file.read(limit + 1)
    if not data:
        raise SampleInvalid(field, "empty", "the file is empty", "文件为空")
    return data


@router.post("/face/verify", response_model=FaceVerifyRead, responses=ERRORS)
def face_verify(
    image_a: Upload,
    image_b: Upload,
    _: PrincipalDep,
    settings: BiometricsSettingsDep,
    engines: EnginesDep,
) -> FaceVerifyRead:
    """Compare two face images (a selfie and an ID photo, or any two)."""
    limit = settings.max_image_bytes
    checked = service.verify_faces(
        engines,
        settings,
        probe=_read(image_a, "image_a", limit),
        reference=_read(image_b, "image_b", limit),
    )
    return FaceVerifyRead.model_validate(checked.as_dict())


@router.post(
    "/face/enrol", response_model=EnrolRead, status_code=status.HTTP_201_CREATED, responses=ERRORS
)
def face_enrol(
    image: Upload,
    id_number: Annotated[FormText, Form(max_length=32)],
    session: SessionDep,
    principal: PrincipalDep,
    actor: ActorDep,
    runtime: RuntimeDep,
    settings: BiometricsSettingsDep,
    engines: EnginesDep,
) -> EnrolRead:
    """Enrol a person's face (an encrypted embedding; the image is not kept)."""
    done = service.enrol_face(
        session,
        engines=engines,
        settings=settings,
        cipher=runtime.cipher,
        image=_read(image, "image", settings.max_image_bytes),
        id_number=id_number,
        actor=actor,
        sp_id=principal.sp_id,
    )
    return _enrolled(session, actor, done, modality="face", purpose="applicant")


@router.post("/liveness", response_model=LivenessRead, responses=ERRORS)
def liveness(
    frames: Annotated[list[UploadFile], File()],
    challenge: Annotated[Challenge, Form()],
    _: PrincipalDep,
    settings: BiometricsSettingsDep,
    engines: EnginesDep,
) -> LivenessRead:
    """Judge an active challenge (blink or head turn) from a short sequence of frames."""
    data = [_read(f, f"frames[{i}]", settings.max_image_bytes) for i, f in enumerate(frames)]
    result = service.check_liveness(engines, settings, frames=data, challenge=challenge)
    return LivenessRead.model_validate(result.as_dict())


@router.post(
    "/voice/enrol", response_model=EnrolRead, status_code=status.HTTP_201_CREATED, responses=ERRORS
)
def voice_enrol(
    files: Annotated[list[UploadFile], File()],
    session: SessionDep,
    principal: PrincipalDep,
    actor: ActorDep,
    runtime: RuntimeDep,
    settings: BiometricsSettingsDep,
    engines: EnginesDep,
    id_number: Annotated[FormText | None, Form(max_length=32)] = None,
    purpose: Annotated[Literal["applicant", "blacklist"], Form()] = "applicant",
    reference: Annotated[FormText | None, Form(max_length=64)] = None,
) -> EnrolRead:
    """Enrol a speaker from one or more recordings; ``blacklist`` is for risk staff only."""
    if purpose == "blacklist" and principal.role not in BLACKLIST_ROLES:
        raise RoleNotAllowed("only an admin or a risk analyst may add to the voice blacklist")
    limit = settings.max_audio_bytes
    done = service.enrol_voice(
        session,
        engines=engines,
        settings=settings,
        cipher=runtime.cipher,
        recordings=[_read(f, f"files[{i}]", limit) for i, f in enumerate(files)],
        id_number=id_number,
        purpose=purpose,
        actor=actor,
        sp_id=principal.sp_id,
        reference=reference,
    )
    return _enrolled(session, actor, done, modality="voice", purpose=purpose)


@router.post("/voice/verify", response_model=VoiceVerifyRead, responses=ERRORS)
def voice_verify(
    probe: Upload,
    session: SessionDep,
    _: PrincipalDep,
    runtime: RuntimeDep,
    settings: BiometricsSettingsDep,
    engines: EnginesDep,
    id_number: Annotated[FormText | None, Form(max_length=32)] = None,
) -> VoiceVerifyRead:
    """Verify a recording against the person's enrolled voice and search the blacklist."""
    checked = service.verify_voice(
        session,
        engines=engines,
        settings=settings,
        cipher=runtime.cipher,
        probe=_read(probe, "probe", settings.max_audio_bytes),
        id_number=id_number,
    )
    return VoiceVerifyRead.model_validate(checked.as_dict())


@router.delete("/subjects/{subject_ref}/templates", response_model=DeletedRead)
def delete_templates(
    subject_ref: str, session: SessionDep, principal: PrincipalDep, actor: ActorDep
) -> DeletedRead:
    """Delete every template of a person (an SP deletes only what it enrolled)."""
    deleted = service.delete_subject(session, subject=subject_ref, sp_id=principal.sp_id)
    if deleted == 0:
        raise TemplateNotFound("no biometric templates for this subject")
    audit_service.log(
        session,
        actor,
        "biometrics.templates_deleted",
        entity_type="biometric_subject",
        entity_id=subject_ref,
        payload={"deleted": deleted},
    )
    return DeletedRead(subject_ref=subject_ref, deleted=deleted)


def _enrolled(
    session: SessionDep,
    actor: ActorDep,
    done: service.Enrolled,
    *,
    modality: Literal["face", "voice"],
    purpose: Literal["applicant", "blacklist"],
) -> EnrolRead:
    rejected = [{"field": field, "reasons": list(codes)} for field, codes in done.rejected]
    if done.template is None:
        codes = sorted({code for _, reasons in done.rejected for code in reasons})
        raise SampleInvalid(
            "image" if modality == "face" else "files",
            "unusable",
            f"no usable sample to enrol ({', '.join(codes)})",
            f"没有可用于登记的样本（{', '.join(codes)}）",
        )
    audit_service.log(
        session,
        actor,
        "biometrics.template_enrolled",
        entity_type="biometric_template",
        entity_id=str(done.template.id),
        payload={"modality": modality, "purpose": purpose, "samples": done.template.samples},
    )
    return EnrolRead(
        template_id=done.template.id,
        subject_ref=done.subject,
        modality=modality,
        purpose=purpose,
        samples=done.template.samples,
        rejected=rejected,
    )
