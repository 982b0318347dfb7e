"""Tests for autolease.identity.biometrics.service: templates, search, deletion, prefetcher."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from autolease.audit.service import Actor
from autolease.dealer.models import ServiceProvider
from autolease.exceptions import InputInvalid
from autolease.identity.biometrics import models as _models  # noqa: F401  (registers the table)
from autolease.identity.biometrics import service
from autolease.identity.biometrics.assessment import FEATURE_KEY, assess_biometrics
from autolease.identity.biometrics.exceptions import BiometricsUnavailable, SampleInvalid
from autolease.identity.biometrics.models import BiometricTemplate
from autolease.identity.biometrics.samples import BiometricSamples
from autolease.identity.biometrics.settings import BiometricsSettings
from autolease.identity.biometrics.templates import decode_embedding
from autolease.identity.identifiers import resident_id_check_char
from autolease.origination.facts import build_facts
from autolease.origination.pipeline import DecisionContext, PrefetchRequest
from autolease.origination.schemas import ApplicationCreate
from autolease.runtime import Runtime
from tests.factories import TODAY, make_body, make_sp
from tests.identity.biometrics.conftest import corrupt_bytes, silence, voice, wav_bytes

SETTINGS = BiometricsSettings()
AT = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)


def rid(seq: str = "013") -> str:
    first17 = f"31011019800615{seq}"
    return first17 + resident_id_check_char(first17)


def actor(runtime: Runtime) -> Actor:
    return Actor(key=runtime.audit_key, name="test:analyst", at=AT)


def request_for(body: dict[str, Any]) -> PrefetchRequest:
    facts = build_facts(ApplicationCreate.model_validate(body), sp_grade="B")
    return PrefetchRequest(facts, (), AT, 1)


def run_prefetch(
    session: Session, runtime: Runtime, samples: BiometricSamples, engines: Any
) -> tuple[dict[str, Any], DecisionContext]:
    prefetcher = service.BiometricPrefetcher(
        engines, SETTINGS, runtime.cipher, samples_of=lambda _: samples
    )
    request = request_for(make_body(1))
    features = prefetcher.fetch(session, request)
    ctx = DecisionContext(request.facts, as_of=AT, business_date=TODAY)
    ctx.features.update(features)
    assess_biometrics(ctx)
    return features[FEATURE_KEY], ctx


class TestSubjectRef:
    def test_keyed_and_normalised(self, runtime: Runtime) -> None:
        number = rid()
        ref = service.subject_ref(runtime.cipher, number.lower())
        assert ref == service.subject_ref(runtime.cipher, number)
        assert ref != runtime.cipher.blind_index("id_number", number)
        assert number not in ref

    def test_invalid_id_names_the_field(self, runtime: Runtime) -> None:
        with pytest.raises(InputInvalid) as caught:
            service.subject_ref(runtime.cipher, "123")
        assert caught.value.errors[0].field == "id_number"


class TestUnavailableEngines:
    def test_names_the_extra(self) -> None:
        with pytest.raises(BiometricsUnavailable, match=r"autolease\[biometrics\]"):
            service.UnavailableEngines().face()
        with pytest.raises(BiometricsUnavailable, match="pip install"):
            service.UnavailableEngines().voice()


class TestPrefetcherWithoutExtra:
    def test_no_samples_gives_missing_reasons(self, session: Session, runtime: Runtime) -> None:
        summary, ctx = run_prefetch(
            session, runtime, BiometricSamples(), service.UnavailableEngines()
        )
        assert summary["available"] is True
        assert {r.code for r in ctx.reasons} >= {"SELFIE_MISSING", "VOICE_SAMPLE_MISSING"}

    def test_samples_without_extra_record_unavailable(
        self, session: Session, runtime: Runtime
    ) -> None:
        samples = BiometricSamples(selfie=b"jpeg", voice=b"wav")
        summary, ctx = run_prefetch(session, runtime, samples, service.UnavailableEngines())
        assert summary == {
            "available": False,
            "samples": ["selfie", "voice"],
            "face": None,
            "liveness": None,
            "voice": None,
            "blacklist": None,
            "models": {},
        }
        unavailable = next(r for r in ctx.reasons if r.code == "BIOMETRICS_UNAVAILABLE")
        assert unavailable.severity.value == "refer"

    def test_default_samples_come_from_facts_when_wired(self) -> None:
        assert service.samples_from_facts(request_for(make_body(1))) is None


@pytest.fixture
def engines(face_engine: Any, voice_engine: Any) -> service.InstalledEngines:
    return service.InstalledEngines(SETTINGS)


class TestVoiceTemplates:
    def test_enrol_stores_only_ciphertext(
        self, session: Session, runtime: Runtime, engines: service.InstalledEngines
    ) -> None:
        done = service.enrol_voice(
            session,
            engines=engines,
            settings=SETTINGS,
            cipher=runtime.cipher,
            recordings=[voice("speaker_a_0"), voice("speaker_a_1")],
            id_number=rid(),
            purpose="applicant",
            actor=actor(runtime),
            sp_id=None,
        )
        assert done.template is not None
        row = session.scalars(select(BiometricTemplate)).one()
        assert row.samples == 2
        assert row.embedding_enc.startswith(runtime.cipher.active_key_id + ":")
        with pytest.raises(ValueError, match=r"base64|values"):
            decode_embedding(row.embedding_enc, dim=256)
        assert row.subject_bidx == service.subject_ref(runtime.cipher, rid())
        assert rid() not in repr(row.__dict__)

    def test_verify_against_enrolled_and_blacklist(
        self, session: Session, runtime: Runtime, engines: service.InstalledEngines
    ) -> None:
        common: dict[str, Any] = {
            "engines": engines,
            "settings": SETTINGS,
            "cipher": runtime.cipher,
        }
        service.enrol_voice(
            session,
            **common,
            recordings=[voice("speaker_a_0"), voice("speaker_a_1")],
            id_number=rid(),
            purpose="applicant",
            actor=actor(runtime),
            sp_id=None,
        )
        service.enrol_voice(
            session,
            **common,
            recordings=[voice("speaker_b_0"), voice("speaker_b_1")],
            id_number=None,
            purpose="blacklist",
            actor=actor(runtime),
            sp_id=None,
            reference="CASE-1",
        )
        genuine = service.verify_voice(
            session, **common, probe=voice("speaker_a_2"), id_number=rid()
        )
        assert genuine.result.decision.value == "match"
        assert genuine.enrolled
        assert not genuine.blacklist.hits
        fraud = service.verify_voice(session, **common, probe=voice("speaker_b_2"), id_number=rid())
        assert fraud.result.decision.value == "no_match"
        assert len(fraud.blacklist.hits) == 1
        stranger = service.verify_voice(
            session, **common, probe=voice("speaker_a_2"), id_number=None
        )
        assert not stranger.enrolled
        assert stranger.result.decision.value == "inconclusive"

    def test_unusable_recordings_are_not_enrolled(
        self, session: Session, runtime: Runtime, engines: service.InstalledEngines
    ) -> None:
        done = service.enrol_voice(
            session,
            engines=engines,
            settings=SETTINGS,
            cipher=runtime.cipher,
            recordings=[wav_bytes(silence(2.0), 16000)],
            id_number=rid(),
            purpose="applicant",
            actor=actor(runtime),
            sp_id=None,
        )
        assert done.template is None
        assert done.rejected == (("files[0]", ("VOICE_NO_SPEECH",)),)
        assert session.scalars(select(BiometricTemplate)).all() == []

    def test_applicant_needs_an_id_number(
        self, session: Session, runtime: Runtime, engines: service.InstalledEngines
    ) -> None:
        with pytest.raises(InputInvalid, match="id_number"):
            service.enrol_voice(
                session,
                engines=engines,
                settings=SETTINGS,
                cipher=runtime.cipher,
                recordings=[voice("speaker_a_0")],
                id_number=None,
                purpose="applicant",
                actor=actor(runtime),
                sp_id=None,
            )


class TestDeleteSubject:
    def test_sp_deletes_only_its_own(
        self, session: Session, runtime: Runtime, engines: service.InstalledEngines
    ) -> None:
        make_sp(session, runtime, "SP-BIO")
        sp_id = session.scalars(select(ServiceProvider.id)).one()
        subject = service.subject_ref(runtime.cipher, rid())
        for enrolled_by in (None, sp_id):
            service.enrol_voice(
                session,
                engines=engines,
                settings=SETTINGS,
                cipher=runtime.cipher,
                recordings=[voice("speaker_a_0")],
                id_number=rid(),
                purpose="applicant",
                actor=actor(runtime),
                sp_id=enrolled_by,
            )
        assert service.delete_subject(session, subject=subject, sp_id=sp_id + 1) == 0
        assert service.delete_subject(session, subject=subject, sp_id=sp_id) == 1
        assert service.delete_subject(session, subject=subject, sp_id=None) == 1
        assert session.scalars(select(BiometricTemplate)).all() == []


class TestPrefetcherWithExtra:
    def test_selfie_id_photo_and_voice(
        self,
        session: Session,
        runtime: Runtime,
        engines: service.InstalledEngines,
        face_bytes: bytes,
    ) -> None:
        person = make_body(1)["applicant"]["id_number"]
        service.enrol_voice(
            session,
            engines=engines,
            settings=SETTINGS,
            cipher=runtime.cipher,
            recordings=[voice("speaker_a_0"), voice("speaker_a_1")],
            id_number=person,
            purpose="applicant",
            actor=actor(runtime),
            sp_id=None,
        )
        samples = BiometricSamples(
            selfie=face_bytes, id_photo=face_bytes, voice=voice("speaker_a_2")
        )
        summary, ctx = run_prefetch(session, runtime, samples, engines)
        assert summary["face"]["reference"] == "id_photo"
        assert summary["face"]["decision"] == "match"
        assert summary["voice"]["decision"] == "match"
        assert summary["blacklist"]["hit"] is False
        assert [r.code for r in ctx.reasons] == ["LIVENESS_SAMPLE_MISSING"]
        assert set(ctx.model_versions) == {"biometrics.face", "biometrics.voice"}
        assert "embedding" not in str(summary)

    def test_selfie_against_enrolled_face(
        self,
        session: Session,
        runtime: Runtime,
        engines: service.InstalledEngines,
        face_bytes: bytes,
    ) -> None:
        person = make_body(1)["applicant"]["id_number"]
        service.enrol_face(
            session,
            engines=engines,
            settings=SETTINGS,
            cipher=runtime.cipher,
            image=face_bytes,
            id_number=person,
            actor=actor(runtime),
            sp_id=None,
        )
        summary, ctx = run_prefetch(session, runtime, BiometricSamples(selfie=face_bytes), engines)
        assert summary["face"]["reference"] == "enrolled"
        assert summary["face"]["decision"] == "match"
        assert "ID_PHOTO_MISSING" not in {r.code for r in ctx.reasons}

    def test_static_liveness_frames_fail(
        self,
        session: Session,
        runtime: Runtime,
        engines: service.InstalledEngines,
        face_bytes: bytes,
    ) -> None:
        samples = BiometricSamples(selfie=face_bytes, liveness_frames=(face_bytes,) * 4)
        summary, ctx = run_prefetch(session, runtime, samples, engines)
        assert summary["liveness"]["decision"] == "fail"
        assert summary["liveness"]["reasons"] == ["LIVENESS_NO_BLINK"]
        assert "LIVENESS_NO_BLINK" in {r.code for r in ctx.reasons}

    def test_corrupt_sample_is_an_error_naming_the_field(
        self, session: Session, runtime: Runtime, engines: service.InstalledEngines
    ) -> None:
        samples = BiometricSamples(selfie=corrupt_bytes())
        with pytest.raises(SampleInvalid) as caught:
            run_prefetch(session, runtime, samples, engines)
        assert caught.value.errors[0].field == "biometrics.selfie"


class TestEmbeddingNeverLeaves:
    def test_as_dict_of_results_has_no_vectors(self) -> None:
        from autolease.identity.biometrics.faces import FaceAnalysis, compare

        face = FaceAnalysis(1, (), embedding=np.ones(128))
        text = str(compare(face, face, distance_threshold=0.6).as_dict())
        assert "embedding" not in text
        assert base64.b64encode(np.ones(128, dtype="<f4").tobytes()).decode()[:20] not in text
