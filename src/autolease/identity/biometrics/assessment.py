"""The biometric part of the identity stage (pure).

The biometrics prefetcher (`service.BiometricPrefetcher`) runs the engines before the pure
stages and leaves one JSON-able summary in ``ctx.features["biometrics"]`` (scores, decisions
and reason codes only: never an embedding or an image). :func:`assess_biometrics`, called by
the identity stage, turns that summary into decision reasons, flat features and model
versions. A missing sample is an ``info`` reason, not an error.

>>> from autolease.origination.pipeline import Severity
>>> BiometricPolicy().severity("FACE_MISMATCH") is Severity.REFER
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from autolease.identity.biometrics import reasons as rc
from autolease.origination.pipeline import DecisionContext, Severity

__all__ = [
    "DEFAULT_SEVERITIES",
    "FEATURE_KEY",
    "BiometricPolicy",
    "assess_biometrics",
    "evidence_summary",
]

FEATURE_KEY = "biometrics"
STAGE = "identity"

DEFAULT_SEVERITIES: Mapping[str, Severity] = MappingProxyType(
    {
        rc.NO_FACE: Severity.REFER,
        rc.MULTIPLE_FACES: Severity.REFER,
        rc.LOW_QUALITY: Severity.REFER,
        rc.FACE_MISMATCH: Severity.REFER,
        rc.LIVENESS_NO_BLINK: Severity.REFER,
        rc.LIVENESS_NO_HEAD_TURN: Severity.REFER,
        rc.LIVENESS_TOO_FEW_FRAMES: Severity.REFER,
        rc.LIVENESS_FACE_LOST: Severity.REFER,
        rc.LIVENESS_FACE_CHANGED: Severity.REFER,
        rc.VOICE_NO_SPEECH: Severity.INFO,
        rc.VOICE_TOO_SHORT: Severity.INFO,
        rc.VOICE_LOW_QUALITY: Severity.INFO,
        rc.VOICE_MISMATCH: Severity.REFER,
        rc.VOICE_BLACKLIST_HIT: Severity.REFER,
        rc.VOICE_NOT_ENROLLED: Severity.INFO,
        rc.SELFIE_MISSING: Severity.INFO,
        rc.ID_PHOTO_MISSING: Severity.INFO,
        rc.VOICE_SAMPLE_MISSING: Severity.INFO,
        rc.LIVENESS_SAMPLE_MISSING: Severity.INFO,
        rc.BIOMETRICS_UNAVAILABLE: Severity.REFER,
    }
)

_SAMPLE_MISSING = {
    "selfie": rc.SELFIE_MISSING,
    "liveness": rc.LIVENESS_SAMPLE_MISSING,
    "voice": rc.VOICE_SAMPLE_MISSING,
}
_LABELS = {
    "id_photo": ("selfie vs ID photo", "自拍与身份证照片比对"),
    "enrolled": ("selfie vs enrolled face", "自拍与已登记人脸比对"),
    "liveness": ("liveness", "活体检测"),
    "voice": ("voiceprint", "声纹"),
}


@dataclass(frozen=True)
class BiometricPolicy:
    """Severity of each biometric reason code; unknown codes are ``refer``.

    ``BIOMETRICS_UNAVAILABLE`` takes its severity from here when samples were supplied and
    could not be checked, and is ``info`` when there was nothing to check.
    """

    severities: Mapping[str, Severity] = field(default_factory=lambda: DEFAULT_SEVERITIES)

    def severity(self, code: str) -> Severity:
        return self.severities.get(code, Severity.REFER)


def evidence_summary(
    *,
    available: bool,
    samples: tuple[str, ...],
    face: Mapping[str, Any] | None = None,
    liveness: Mapping[str, Any] | None = None,
    voice: Mapping[str, Any] | None = None,
    blacklist: Mapping[str, Any] | None = None,
    models: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The ``ctx.features["biometrics"]`` value, built from the results' ``as_dict()``.

    Examples
    --------
    >>> evidence_summary(available=True, samples=())["samples"]
    []
    """
    return {
        "available": available,
        "samples": list(samples),
        "face": None if face is None else dict(face),
        "liveness": None if liveness is None else dict(liveness),
        "voice": None if voice is None else dict(voice),
        "blacklist": None if blacklist is None else dict(blacklist),
        "models": dict(models or {}),
    }


def _add(
    ctx: DecisionContext, policy: BiometricPolicy, code: str, label: tuple[str, str] | None
) -> None:
    english, chinese = rc.text_of(code)
    if label is not None:
        english, chinese = f"{label[0]}: {english}", f"{label[1]}：{chinese}"
    ctx.add_reason(code, STAGE, policy.severity(code), english, chinese)


def _missing_samples(
    ctx: DecisionContext, policy: BiometricPolicy, evidence: Mapping[str, Any]
) -> None:
    samples = set(evidence.get("samples") or ())
    for name, code in _SAMPLE_MISSING.items():
        if name not in samples:
            _add(ctx, policy, code, None)
    face = evidence.get("face") or {}
    if "selfie" in samples and "id_photo" not in samples and face.get("reference") != "enrolled":
        _add(ctx, policy, rc.ID_PHOTO_MISSING, None)


def _face(ctx: DecisionContext, policy: BiometricPolicy, face: Mapping[str, Any]) -> None:
    label = _LABELS.get(str(face.get("reference")), _LABELS["id_photo"])
    for code in dict.fromkeys(face.get("reasons") or ()):
        _add(ctx, policy, str(code), label)
    ctx.features["biometric_face_score"] = face.get("score")
    ctx.features["biometric_face_decision"] = face.get("decision")


def _liveness(ctx: DecisionContext, policy: BiometricPolicy, liveness: Mapping[str, Any]) -> None:
    for code in dict.fromkeys(liveness.get("reasons") or ()):
        _add(ctx, policy, str(code), _LABELS["liveness"])
    ctx.features["biometric_liveness_passed"] = liveness.get("decision") == "pass"


def _voice(
    ctx: DecisionContext,
    policy: BiometricPolicy,
    voice: Mapping[str, Any],
    blacklist: Mapping[str, Any] | None,
) -> None:
    for code in dict.fromkeys(voice.get("reasons") or ()):
        _add(ctx, policy, str(code), _LABELS["voice"])
    if not voice.get("enrolled"):
        _add(ctx, policy, rc.VOICE_NOT_ENROLLED, None)
    ctx.features["biometric_voice_score"] = voice.get("score")
    ctx.features["biometric_voice_decision"] = voice.get("decision")
    if blacklist is not None:
        ctx.features["biometric_voice_blacklist_hits"] = blacklist.get("hits", 0)
        if blacklist.get("hit"):
            _add(ctx, policy, rc.VOICE_BLACKLIST_HIT, None)


def _unavailable(ctx: DecisionContext, policy: BiometricPolicy, with_samples: bool) -> None:
    english, chinese = rc.text_of(rc.BIOMETRICS_UNAVAILABLE)
    severity = policy.severity(rc.BIOMETRICS_UNAVAILABLE)
    if not with_samples:
        english = "the biometrics extra is not installed (no samples were supplied)"
        chinese = "未安装生物识别组件（未提供样本）"
        severity = Severity.INFO
    ctx.add_reason(rc.BIOMETRICS_UNAVAILABLE, STAGE, severity, english, chinese)


def assess_biometrics(ctx: DecisionContext, policy: BiometricPolicy | None = None) -> str:
    """Add the biometric reasons and features to `ctx`; return a short trace note.

    Parameters
    ----------
    ctx : DecisionContext
        Its ``features["biometrics"]`` holds the prefetcher's summary, if it ran.
    policy : BiometricPolicy, optional
        Severities; the defaults refer mismatches and failed liveness to a person.

    Returns
    -------
    str
        ``""`` when the summary was assessed, else why not.
    """
    rules = policy or BiometricPolicy()
    evidence = ctx.features.get(FEATURE_KEY)
    if not isinstance(evidence, Mapping):
        return "biometrics not assessed: no biometrics prefetcher ran"
    _missing_samples(ctx, rules, evidence)
    if not evidence.get("available", True):
        _unavailable(ctx, rules, bool(evidence.get("samples")))
        return "biometrics extra not installed"
    if evidence.get("face"):
        _face(ctx, rules, evidence["face"])
    if evidence.get("liveness"):
        _liveness(ctx, rules, evidence["liveness"])
    if evidence.get("voice"):
        _voice(ctx, rules, evidence["voice"], evidence.get("blacklist"))
    for modality, version in (evidence.get("models") or {}).items():
        ctx.model_versions[f"biometrics.{modality}"] = str(version)
    return ""
