"""Biometric use cases: verify, enrol, search, delete, and the pipeline prefetcher.

Never commits. Samples are decoded, compared and dropped; only encrypted embeddings are
stored, and nothing here logs a sample, an embedding or an ID number.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import numpy as np
from numpy.typing import NDArray
from sqlalchemy.orm import Session

from autolease.audit.service import Actor
from autolease.exceptions import FieldError, InputInvalid
from autolease.identity.biometrics import extra, media, repository
from autolease.identity.biometrics.assessment import FEATURE_KEY, evidence_summary
from autolease.identity.biometrics.exceptions import BiometricsUnavailable
from autolease.identity.biometrics.face_engine import (
    FaceEngine,
    shared_face_engine,
)
from autolease.identity.biometrics.faces import FaceAnalysis, FaceVerification, compare
from autolease.identity.biometrics.liveness import Challenge, LivenessResult, evaluate_liveness
from autolease.identity.biometrics.models import BiometricTemplate
from autolease.identity.biometrics.samples import BiometricSamples
from autolease.identity.biometrics.scoring import Verification, euclidean_distance
from autolease.identity.biometrics.settings import BiometricsSettings
from autolease.identity.biometrics.templates import (
    FACE_DIM,
    VOICE_DIM,
    decode_embedding,
    encode_embedding,
)
from autolease.identity.biometrics.voice_engine import VoiceEngine, shared_voice_engine
from autolease.identity.biometrics.voices import (
    BlacklistResult,
    VoiceAnalysis,
    compare_voice,
    enrolment,
    search,
)
from autolease.identity.identifiers import IdentifierError, validate_resident_id
from autolease.kit.crypto import FieldCipher
from autolease.origination.pipeline import PrefetchRequest

SUBJECT_KIND = "biometric_subject"
EMBEDDING_CONTEXT = "biometric_template.embedding"
Modality = Literal["face", "voice"]
Purpose = Literal["applicant", "blacklist"]
DIMS: dict[str, int] = {"face": FACE_DIM, "voice": VOICE_DIM}


# --------------------------------------------------------------------------- engines


class EngineProvider(Protocol):
    """Where the loaded models come from; raises `BiometricsUnavailable` without the extra."""

    def face(self) -> FaceEngine: ...

    def voice(self) -> VoiceEngine: ...


@dataclass(frozen=True)
class InstalledEngines:
    """The process-wide engines, loaded on first use."""

    settings: BiometricsSettings

    def face(self) -> FaceEngine:
        return shared_face_engine(self.settings.analysis_max_side)

    def voice(self) -> VoiceEngine:
        return shared_voice_engine(self.settings.torch_threads)


@dataclass(frozen=True)
class UnavailableEngines:
    """An engine provider for a core install (and its tests): every use says what is missing."""

    def face(self) -> FaceEngine:
        raise BiometricsUnavailable.missing(extra.missing_modules(extra.FACE_MODULES) or ["dlib"])

    def voice(self) -> VoiceEngine:
        missing = extra.missing_modules(extra.VOICE_MODULES) or ["resemblyzer"]
        raise BiometricsUnavailable.missing(missing)


# --------------------------------------------------------------------------- subjects and templates


def subject_ref(cipher: FieldCipher, id_number: str, *, field: str = "id_number") -> str:
    """The keyed blind index that stands for a person in `biometric_template`."""
    try:
        number = validate_resident_id(id_number).number
    except IdentifierError as err:
        raise InputInvalid(
            f"{field}: {err.message_en}",
            errors=[FieldError(field, err.rule, err.message_en, err.message_zh)],
        ) from None
    return cipher.blind_index(SUBJECT_KIND, number)


def _store(
    session: Session,
    cipher: FieldCipher,
    embedding: NDArray[np.float64],
    *,
    modality: Modality,
    purpose: Purpose,
    subject: str | None,
    model: str,
    samples: int,
    actor: Actor,
    sp_id: int | None,
    reference: str | None,
) -> BiometricTemplate:
    sealed = cipher.encrypt(encode_embedding(embedding), context=EMBEDDING_CONTEXT)
    row = BiometricTemplate(
        subject_bidx=subject,
        modality=modality,
        purpose=purpose,
        embedding_enc=sealed,
        model=model[:120],
        samples=samples,
        sp_id=sp_id,
        reference=reference,
        created_at=actor.at,
        created_by=actor.name,
    )
    return repository.add(session, row)


def _embedding(cipher: FieldCipher, row: BiometricTemplate) -> NDArray[np.float64]:
    text = cipher.decrypt(row.embedding_enc, context=EMBEDDING_CONTEXT)
    return decode_embedding(text, dim=DIMS[row.modality])


def enrolled(
    session: Session, cipher: FieldCipher, subject: str, modality: Modality
) -> NDArray[np.float64] | None:
    """The subject's newest enrolled template of `modality`, decrypted, or None."""
    rows = repository.for_subject(session, subject, modality=modality)
    return _embedding(cipher, rows[0]) if rows else None


def delete_subject(session: Session, *, subject: str, sp_id: int | None) -> int:
    """Delete a person's templates; an SP deletes only what it enrolled."""
    return repository.delete_for_subject(session, subject, sp_id=sp_id)


# --------------------------------------------------------------------------- faces


def _image(data: bytes, field: str, settings: BiometricsSettings) -> media.Image:
    return media.decode_image(
        data, field=field, max_bytes=settings.max_image_bytes, max_pixels=settings.max_image_pixels
    )


def analyse_face(
    engines: EngineProvider, settings: BiometricsSettings, data: bytes, *, field: str
) -> FaceAnalysis:
    engine = engines.face()
    return engine.analyse(_image(data, field, settings))


def verify_faces(
    engines: EngineProvider,
    settings: BiometricsSettings,
    *,
    probe: bytes,
    reference: bytes,
    fields: tuple[str, str] = ("image_a", "image_b"),
) -> FaceVerification:
    """Compare two images at the configured threshold."""
    engine = engines.face()
    first = engine.analyse(_image(probe, fields[0], settings))
    second = engine.analyse(_image(reference, fields[1], settings))
    return compare(first, second, distance_threshold=settings.face_distance_threshold)


@dataclass(frozen=True)
class Enrolled:
    template: BiometricTemplate | None
    subject: str | None
    rejected: tuple[tuple[str, tuple[str, ...]], ...]


def enrol_face(
    session: Session,
    *,
    engines: EngineProvider,
    settings: BiometricsSettings,
    cipher: FieldCipher,
    image: bytes,
    id_number: str,
    actor: Actor,
    sp_id: int | None,
) -> Enrolled:
    """Store the face of one image for a person; a face that cannot be used is not stored."""
    subject = subject_ref(cipher, id_number)
    analysis = analyse_face(engines, settings, image, field="image")
    if analysis.embedding is None or analysis.reasons:
        return Enrolled(None, subject, (("image", analysis.reasons),))
    row = _store(
        session,
        cipher,
        analysis.embedding,
        modality="face",
        purpose="applicant",
        subject=subject,
        model=engines.face().version,
        samples=1,
        actor=actor,
        sp_id=sp_id,
        reference=None,
    )
    return Enrolled(row, subject, ())


def check_liveness(
    engines: EngineProvider,
    settings: BiometricsSettings,
    *,
    frames: Sequence[bytes],
    challenge: Challenge,
    selfie: FaceAnalysis | None = None,
    field: str = "frames",
) -> LivenessResult:
    """Judge a challenge; also check the face stays one person (and is the selfie's)."""
    if len(frames) > settings.max_liveness_frames:
        raise InputInvalid(
            f"{field}: too many frames",
            errors=[
                FieldError(
                    field,
                    "too_long",
                    f"at most {settings.max_liveness_frames} frames",
                    f"最多{settings.max_liveness_frames}帧",
                )
            ],
        )
    engine = engines.face()
    images = [_image(data, f"{field}[{i}]", settings) for i, data in enumerate(frames)]
    observed = [engine.observe(image) for image in images]
    usable = [i for i, (obs, _) in enumerate(observed) if obs.usable]
    changed = False
    if len(usable) >= 2:
        first, last = engine.analyse(images[usable[0]]), engine.analyse(images[usable[-1]])
        changed = _differ(first, last, settings) or (
            selfie is not None and _differ(first, selfie, settings)
        )
    return evaluate_liveness([obs for obs, _ in observed], challenge, face_changed=changed)


def _differ(a: FaceAnalysis, b: FaceAnalysis, settings: BiometricsSettings) -> bool:
    if a.embedding is None or b.embedding is None:
        return False
    return euclidean_distance(a.embedding, b.embedding) > settings.face_distance_threshold


# --------------------------------------------------------------------------- voices


def analyse_voice(
    engines: EngineProvider, settings: BiometricsSettings, data: bytes, *, field: str
) -> VoiceAnalysis:
    engine = engines.voice()
    wav, rate = media.decode_audio(
        data,
        field=field,
        max_bytes=settings.max_audio_bytes,
        max_seconds=settings.max_audio_seconds,
    )
    return engine.analyse(wav, rate)


def _check_count(recordings: Sequence[bytes], settings: BiometricsSettings, field: str) -> None:
    if not recordings:
        raise InputInvalid(
            f"{field}: at least one recording is needed",
            errors=[FieldError(field, "missing", "at least one recording", "至少需要一段录音")],
        )
    if len(recordings) > settings.max_enrol_files:
        raise InputInvalid(
            f"{field}: too many recordings",
            errors=[
                FieldError(
                    field,
                    "too_long",
                    f"at most {settings.max_enrol_files} recordings",
                    f"最多{settings.max_enrol_files}段录音",
                )
            ],
        )


@dataclass(frozen=True)
class VoiceFileCheck:
    """A file-to-file verification (the CLI): enrolment from files, one probe."""

    result: Verification
    probe: VoiceAnalysis
    enrolment: tuple[VoiceAnalysis, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.result.as_dict(),
            "metric": "cosine similarity of Resemblyzer embeddings",
            "probe": self.probe.as_dict(),
            "enrolment": [u.as_dict() for u in self.enrolment],
            "enrolled_utterances": sum(1 for u in self.enrolment if u.embedding is not None),
        }


def verify_voice_files(
    engines: EngineProvider,
    settings: BiometricsSettings,
    *,
    enrol: Sequence[bytes],
    probe: bytes,
    threshold: float | None = None,
) -> VoiceFileCheck:
    _check_count(enrol, settings, "enrol")
    utterances = tuple(
        analyse_voice(engines, settings, data, field=f"enrol[{i}]") for i, data in enumerate(enrol)
    )
    analysed = analyse_voice(engines, settings, probe, field="probe")
    template = enrolment(utterances)
    limit = settings.voice_threshold if threshold is None else threshold
    result = compare_voice(analysed, template.embedding, threshold=limit)
    return VoiceFileCheck(result, analysed, utterances)


def enrol_voice(
    session: Session,
    *,
    engines: EngineProvider,
    settings: BiometricsSettings,
    cipher: FieldCipher,
    recordings: Sequence[bytes],
    id_number: str | None,
    purpose: Purpose,
    actor: Actor,
    sp_id: int | None,
    reference: str | None = None,
) -> Enrolled:
    """Enrol a speaker from the usable recordings (a blacklist entry needs no ID number)."""
    _check_count(recordings, settings, "files")
    if purpose == "applicant" and not id_number:
        raise InputInvalid(
            "id_number: needed to enrol an applicant",
            errors=[
                FieldError("id_number", "missing", "needed for an applicant", "登记申请人需提供")
            ],
        )
    subject = subject_ref(cipher, id_number) if id_number else None
    utterances = [
        analyse_voice(engines, settings, data, field=f"files[{i}]")
        for i, data in enumerate(recordings)
    ]
    template = enrolment(utterances)
    rejected = tuple(
        (f"files[{i}]", u.reasons) for i, u in enumerate(utterances) if u.embedding is None
    )
    if template.embedding is None:
        return Enrolled(None, subject, rejected)
    row = _store(
        session,
        cipher,
        template.embedding,
        modality="voice",
        purpose=purpose,
        subject=subject,
        model=engines.voice().version,
        samples=template.usable,
        actor=actor,
        sp_id=sp_id,
        reference=reference,
    )
    return Enrolled(row, subject, rejected)


def search_blacklist(
    session: Session, cipher: FieldCipher, probe: VoiceAnalysis, *, threshold: float
) -> BlacklistResult:
    """Score a probe against every blacklisted voice (linear scan; fine for thousands)."""
    rows = repository.blacklist(session, modality="voice")
    return search(probe, [(row.id, _embedding(cipher, row)) for row in rows], threshold=threshold)


@dataclass(frozen=True)
class VoiceCheck:
    result: Verification
    enrolled: bool
    probe: VoiceAnalysis
    blacklist: BlacklistResult

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.result.as_dict(),
            "enrolled": self.enrolled,
            "quality": self.probe.quality.as_dict(),
            "blacklist": self.blacklist.as_dict(),
        }


def verify_voice(
    session: Session,
    *,
    engines: EngineProvider,
    settings: BiometricsSettings,
    cipher: FieldCipher,
    probe: bytes,
    id_number: str | None,
    field: str = "probe",
) -> VoiceCheck:
    """Verify against the person's enrolled voice (if any) and search the blacklist."""
    subject = subject_ref(cipher, id_number) if id_number else None
    analysed = analyse_voice(engines, settings, probe, field=field)
    return _voice_check(session, cipher, settings, analysed, subject)


def _voice_check(
    session: Session,
    cipher: FieldCipher,
    settings: BiometricsSettings,
    analysed: VoiceAnalysis,
    subject: str | None,
) -> VoiceCheck:
    reference = enrolled(session, cipher, subject, "voice") if subject else None
    result = compare_voice(analysed, reference, threshold=settings.voice_threshold)
    hits = search_blacklist(session, cipher, analysed, threshold=settings.blacklist_threshold)
    return VoiceCheck(result, reference is not None, analysed, hits)


# --------------------------------------------------------------------------- the prefetcher


def samples_from_facts(request: PrefetchRequest) -> BiometricSamples | None:
    """The samples an application carries, once `ApplicationFacts` has a `biometrics` field."""
    samples = getattr(request.facts, "biometrics", None)
    return samples if isinstance(samples, BiometricSamples) else None


@dataclass(frozen=True)
class BiometricPrefetcher:
    """Runs the engines before the pure stages; leaves a summary in ``features["biometrics"]``.

    A missing sample is recorded, not raised. A sample that cannot be decoded raises
    `SampleInvalid` naming ``biometrics.<field>``. Without the extra, the summary says
    ``available: false`` and the identity stage records ``BIOMETRICS_UNAVAILABLE``.
    """

    engines: EngineProvider
    settings: BiometricsSettings
    cipher: FieldCipher
    samples_of: Callable[[PrefetchRequest], BiometricSamples | None] = samples_from_facts
    name: str = "biometrics"

    def fetch(self, session: Session, request: PrefetchRequest) -> dict[str, Any]:
        samples = self.samples_of(request) or BiometricSamples()
        present = samples.present()
        try:
            summary = self._assess(session, samples, request.facts.person.id_number)
        except BiometricsUnavailable:
            summary = evidence_summary(available=False, samples=present)
        return {FEATURE_KEY: summary}

    def _assess(
        self, session: Session, samples: BiometricSamples, id_number: str | None
    ) -> dict[str, Any]:
        present = samples.present()
        if not present:
            return evidence_summary(available=True, samples=())
        subject = _subject_or_none(self.cipher, id_number)
        models: dict[str, str] = {}
        face, selfie = self._face(session, samples, subject, models)
        liveness = None
        if samples.liveness_frames:
            liveness = check_liveness(
                self.engines,
                self.settings,
                frames=samples.liveness_frames,
                challenge=samples.liveness_challenge,
                selfie=selfie,
                field="biometrics.liveness_frames",
            ).as_dict()
            models["face"] = self.engines.face().version
        voice, blacklist = self._voice(session, samples, subject, models)
        return evidence_summary(
            available=True,
            samples=present,
            face=face,
            liveness=liveness,
            voice=voice,
            blacklist=blacklist,
            models=models,
        )

    def _face(
        self,
        session: Session,
        samples: BiometricSamples,
        subject: str | None,
        models: dict[str, str],
    ) -> tuple[dict[str, Any] | None, FaceAnalysis | None]:
        if samples.selfie is None:
            return None, None
        engine = self.engines.face()
        models["face"] = engine.version
        selfie = engine.analyse(_image(samples.selfie, "biometrics.selfie", self.settings))
        if samples.id_photo is not None:
            photo = engine.analyse(_image(samples.id_photo, "biometrics.id_photo", self.settings))
            checked = compare(
                selfie, photo, distance_threshold=self.settings.face_distance_threshold
            )
            return {"reference": "id_photo", **checked.as_dict()}, selfie
        stored = enrolled(session, self.cipher, subject, "face") if subject else None
        if stored is None:
            return None, selfie
        template = FaceAnalysis(1, (), embedding=stored)
        checked = compare(
            selfie, template, distance_threshold=self.settings.face_distance_threshold
        )
        return {"reference": "enrolled", **checked.as_dict()}, selfie

    def _voice(
        self,
        session: Session,
        samples: BiometricSamples,
        subject: str | None,
        models: dict[str, str],
    ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        if samples.voice is None:
            return None, None
        analysed = analyse_voice(
            self.engines, self.settings, samples.voice, field="biometrics.voice"
        )
        models["voice"] = self.engines.voice().version
        check = _voice_check(session, self.cipher, self.settings, analysed, subject)
        summary = check.as_dict()
        return {k: v for k, v in summary.items() if k != "blacklist"}, summary["blacklist"]


def _subject_or_none(cipher: FieldCipher, id_number: str | None) -> str | None:
    if not id_number:
        return None
    try:
        return subject_ref(cipher, id_number)
    except InputInvalid:  # the identity stage reports an invalid ID number itself
        return None
