"""Tests for autolease.identity.biometrics.assessment: the identity stage's biometric part."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from autolease.identity.biometrics.assessment import (
    FEATURE_KEY,
    BiometricPolicy,
    assess_biometrics,
    evidence_summary,
)
from autolease.origination.facts import build_facts
from autolease.origination.pipeline import DecisionContext, Severity
from autolease.origination.schemas import ApplicationCreate
from tests.factories import TODAY, make_body

AS_OF = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
ALL = ("selfie", "id_photo", "liveness", "voice")


def context(summary: dict[str, Any] | None) -> DecisionContext:
    facts = build_facts(ApplicationCreate.model_validate(make_body(1)), sp_grade="B")
    ctx = DecisionContext(facts, as_of=AS_OF, business_date=TODAY)
    if summary is not None:
        ctx.features[FEATURE_KEY] = summary
    return ctx


def face(decision: str, reasons: list[str], reference: str = "id_photo") -> dict[str, Any]:
    score = {"match": 0.62, "no_match": 0.2}.get(decision)
    return {"reference": reference, "score": score, "decision": decision, "reasons": reasons}


def voice(decision: str, reasons: list[str], *, enrolled: bool = True) -> dict[str, Any]:
    return {"score": 0.9, "decision": decision, "reasons": reasons, "enrolled": enrolled}


def blacklist(hit: bool) -> dict[str, Any]:
    return {"searched": 3, "threshold": 0.8, "best_score": 0.9, "hit": hit, "hits": int(hit)}


def codes(ctx: DecisionContext) -> dict[str, Severity]:
    return {r.code: r.severity for r in ctx.reasons}


class TestAssessBiometrics:
    def test_without_prefetcher_nothing_is_added(self) -> None:
        ctx = context(None)
        assert assess_biometrics(ctx) == "biometrics not assessed: no biometrics prefetcher ran"
        assert ctx.reasons == []

    def test_missing_samples_are_info_reasons_not_errors(self) -> None:
        ctx = context(evidence_summary(available=True, samples=()))
        assert assess_biometrics(ctx) == ""
        assert codes(ctx) == {
            "SELFIE_MISSING": Severity.INFO,
            "LIVENESS_SAMPLE_MISSING": Severity.INFO,
            "VOICE_SAMPLE_MISSING": Severity.INFO,
        }

    def test_all_clear(self) -> None:
        summary = evidence_summary(
            available=True,
            samples=ALL,
            face=face("match", []),
            liveness={"decision": "pass", "reasons": []},
            voice=voice("match", []),
            blacklist=blacklist(False),
            models={"face": "dlib x", "voice": "resemblyzer y"},
        )
        ctx = context(summary)
        assert assess_biometrics(ctx) == ""
        assert ctx.reasons == []
        assert ctx.features["biometric_face_score"] == 0.62
        assert ctx.features["biometric_face_decision"] == "match"
        assert ctx.features["biometric_liveness_passed"] is True
        assert ctx.features["biometric_voice_blacklist_hits"] == 0
        assert ctx.model_versions == {
            "biometrics.face": "dlib x",
            "biometrics.voice": "resemblyzer y",
        }

    def test_impostor_signals_are_referred(self) -> None:
        summary = evidence_summary(
            available=True,
            samples=ALL,
            face=face("no_match", ["FACE_MISMATCH"]),
            liveness={"decision": "fail", "reasons": ["LIVENESS_NO_BLINK"]},
            voice=voice("no_match", ["VOICE_MISMATCH"]),
            blacklist=blacklist(True),
        )
        ctx = context(summary)
        assess_biometrics(ctx)
        assert codes(ctx) == {
            "FACE_MISMATCH": Severity.REFER,
            "LIVENESS_NO_BLINK": Severity.REFER,
            "VOICE_MISMATCH": Severity.REFER,
            "VOICE_BLACKLIST_HIT": Severity.REFER,
        }
        mismatch = next(r for r in ctx.reasons if r.code == "FACE_MISMATCH")
        assert mismatch.stage == "identity"
        assert mismatch.message_en.startswith("selfie vs ID photo: ")
        assert mismatch.message_zh.startswith("自拍与身份证照片比对：")
        assert ctx.features["biometric_liveness_passed"] is False

    def test_policy_can_decline(self) -> None:
        policy = BiometricPolicy({"VOICE_BLACKLIST_HIT": Severity.DECLINE})
        summary = evidence_summary(
            available=True, samples=("voice",), voice=voice("match", []), blacklist=blacklist(True)
        )
        ctx = context(summary)
        assess_biometrics(ctx, policy)
        assert codes(ctx)["VOICE_BLACKLIST_HIT"] is Severity.DECLINE
        assert ctx.worst_severity() is Severity.DECLINE

    def test_unusable_selfie_is_referred_once(self) -> None:
        summary = evidence_summary(
            available=True,
            samples=("selfie", "id_photo"),
            face=face("inconclusive", ["NO_FACE", "NO_FACE"]),
        )
        ctx = context(summary)
        assess_biometrics(ctx)
        assert [r.code for r in ctx.reasons].count("NO_FACE") == 1
        assert codes(ctx)["NO_FACE"] is Severity.REFER

    def test_selfie_without_id_photo_or_enrolled_face(self) -> None:
        ctx = context(evidence_summary(available=True, samples=("selfie",)))
        assess_biometrics(ctx)
        assert "ID_PHOTO_MISSING" in codes(ctx)

    def test_selfie_against_enrolled_face_needs_no_id_photo(self) -> None:
        summary = evidence_summary(
            available=True, samples=("selfie",), face=face("match", [], reference="enrolled")
        )
        ctx = context(summary)
        assess_biometrics(ctx)
        assert "ID_PHOTO_MISSING" not in codes(ctx)

    def test_voice_not_enrolled_is_info(self) -> None:
        summary = evidence_summary(
            available=True,
            samples=("voice",),
            voice={"score": None, "decision": "inconclusive", "reasons": [], "enrolled": False},
            blacklist=blacklist(False),
        )
        ctx = context(summary)
        assess_biometrics(ctx)
        assert codes(ctx)["VOICE_NOT_ENROLLED"] is Severity.INFO

    @pytest.mark.parametrize(
        ("samples", "severity"), [(("selfie",), Severity.REFER), ((), Severity.INFO)]
    )
    def test_extra_missing(self, samples: tuple[str, ...], severity: Severity) -> None:
        ctx = context(evidence_summary(available=False, samples=samples))
        assert assess_biometrics(ctx) == "biometrics extra not installed"
        assert codes(ctx)["BIOMETRICS_UNAVAILABLE"] is severity

    def test_unknown_code_defaults_to_refer(self) -> None:
        assert BiometricPolicy().severity("SOMETHING_NEW") is Severity.REFER
