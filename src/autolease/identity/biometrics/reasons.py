"""Biometric reason codes with English and Chinese text (pure).

Engines return these codes; the identity stage turns them into decision reasons. A code never
carries the sample or any measurement that could identify the person.
"""

from __future__ import annotations

from typing import Final

from autolease.reasons.entries import text

__all__ = [
    "BIOMETRICS_UNAVAILABLE",
    "FACE_MISMATCH",
    "ID_PHOTO_MISSING",
    "LIVENESS_FACE_CHANGED",
    "LIVENESS_FACE_LOST",
    "LIVENESS_NO_BLINK",
    "LIVENESS_NO_HEAD_TURN",
    "LIVENESS_SAMPLE_MISSING",
    "LIVENESS_TOO_FEW_FRAMES",
    "LOW_QUALITY",
    "MULTIPLE_FACES",
    "NO_FACE",
    "SELFIE_MISSING",
    "TEXTS",
    "VOICE_BLACKLIST_HIT",
    "VOICE_LOW_QUALITY",
    "VOICE_MISMATCH",
    "VOICE_NOT_ENROLLED",
    "VOICE_NO_SPEECH",
    "VOICE_SAMPLE_MISSING",
    "VOICE_TOO_SHORT",
    "text_of",
]

NO_FACE: Final = "NO_FACE"
MULTIPLE_FACES: Final = "MULTIPLE_FACES"
LOW_QUALITY: Final = "LOW_QUALITY"
FACE_MISMATCH: Final = "FACE_MISMATCH"
LIVENESS_NO_BLINK: Final = "LIVENESS_NO_BLINK"
LIVENESS_NO_HEAD_TURN: Final = "LIVENESS_NO_HEAD_TURN"
LIVENESS_TOO_FEW_FRAMES: Final = "LIVENESS_TOO_FEW_FRAMES"
LIVENESS_FACE_LOST: Final = "LIVENESS_FACE_LOST"
LIVENESS_FACE_CHANGED: Final = "LIVENESS_FACE_CHANGED"
VOICE_NO_SPEECH: Final = "VOICE_NO_SPEECH"
VOICE_TOO_SHORT: Final = "VOICE_TOO_SHORT"
VOICE_LOW_QUALITY: Final = "VOICE_LOW_QUALITY"
VOICE_MISMATCH: Final = "VOICE_MISMATCH"
VOICE_BLACKLIST_HIT: Final = "VOICE_BLACKLIST_HIT"
VOICE_NOT_ENROLLED: Final = "VOICE_NOT_ENROLLED"
SELFIE_MISSING: Final = "SELFIE_MISSING"
ID_PHOTO_MISSING: Final = "ID_PHOTO_MISSING"
VOICE_SAMPLE_MISSING: Final = "VOICE_SAMPLE_MISSING"
LIVENESS_SAMPLE_MISSING: Final = "LIVENESS_SAMPLE_MISSING"
BIOMETRICS_UNAVAILABLE: Final = "BIOMETRICS_UNAVAILABLE"

_CODES: Final = (
    NO_FACE, MULTIPLE_FACES, LOW_QUALITY, FACE_MISMATCH, LIVENESS_NO_BLINK,
    LIVENESS_NO_HEAD_TURN, LIVENESS_TOO_FEW_FRAMES, LIVENESS_FACE_LOST, LIVENESS_FACE_CHANGED,
    VOICE_NO_SPEECH, VOICE_TOO_SHORT, VOICE_LOW_QUALITY, VOICE_MISMATCH, VOICE_BLACKLIST_HIT,
    VOICE_NOT_ENROLLED, SELFIE_MISSING, ID_PHOTO_MISSING, VOICE_SAMPLE_MISSING,
    LIVENESS_SAMPLE_MISSING, BIOMETRICS_UNAVAILABLE,
)  # fmt: skip
TEXTS: Final[dict[str, tuple[str, str]]] = {code: text(code) for code in _CODES}
"""English and Chinese text of each code: the catalogue's (`reasons.entries`)."""


def text_of(code: str) -> tuple[str, str]:
    """English and Chinese text for a reason code.

    Parameters
    ----------
    code : str
        A code from this module.

    Returns
    -------
    tuple of str
        ``(english, chinese)``; an unknown code gets a generic text.

    Examples
    --------
    >>> text_of("NO_FACE")[0]
    'no face can be seen in the photo'
    """
    return TEXTS.get(code, (f"biometric check reported {code}", f"生物识别检查结果：{code}"))
