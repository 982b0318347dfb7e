"""Biometric reason codes with English and Chinese text (pure).

Engines return these codes; the identity stage turns them into decision reasons. A code never
carries the sample or any measurement that could identify the person.
"""

from __future__ import annotations

from typing import Final

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

TEXTS: Final[dict[str, tuple[str, str]]] = {
    NO_FACE: ("no face was found in the image", "图像中未检测到人脸"),
    MULTIPLE_FACES: ("more than one face is in the image", "图像中有多张人脸"),
    LOW_QUALITY: (
        "the face is too small, blurred, too dark or too bright to compare",
        "人脸过小、模糊、过暗或过亮，无法比对",
    ),
    FACE_MISMATCH: ("the faces do not belong to the same person", "人脸比对不一致"),
    LIVENESS_NO_BLINK: ("no blink was seen in the frames", "视频帧中未检测到眨眼"),
    LIVENESS_NO_HEAD_TURN: (
        "the requested head turn was not seen in the frames",
        "视频帧中未检测到要求的转头动作",
    ),
    LIVENESS_TOO_FEW_FRAMES: (
        "too few frames with exactly one face to judge liveness",
        "仅含一张人脸的有效帧过少，无法判断活体",
    ),
    LIVENESS_FACE_LOST: (
        "the face was missing or doubled in too many frames",
        "过多帧中人脸缺失或出现多张人脸",
    ),
    LIVENESS_FACE_CHANGED: (
        "the face changed during the challenge or differs from the selfie",
        "活体检测过程中人脸发生变化或与自拍不一致",
    ),
    VOICE_NO_SPEECH: ("no speech was found in the recording", "录音中未检测到语音"),
    VOICE_TOO_SHORT: ("the recording has too little speech", "录音中有效语音过短"),
    VOICE_LOW_QUALITY: ("the recording is clipped or distorted", "录音存在削波或失真"),
    VOICE_MISMATCH: ("the voice does not match the enrolled voice", "声纹与登记声纹不一致"),
    VOICE_BLACKLIST_HIT: (
        "the voice matches a voice on the fraud blacklist",
        "声纹与欺诈黑名单中的声纹相符",
    ),
    VOICE_NOT_ENROLLED: (
        "no voice is enrolled for this applicant; only the blacklist was searched",
        "该申请人未登记声纹，仅进行了黑名单比对",
    ),
    SELFIE_MISSING: ("the application carries no selfie", "申请未提供自拍照"),
    ID_PHOTO_MISSING: (
        "the application carries no ID photo and no face is enrolled",
        "申请未提供身份证照片且无已登记人脸",
    ),
    VOICE_SAMPLE_MISSING: ("the application carries no voice sample", "申请未提供语音样本"),
    LIVENESS_SAMPLE_MISSING: (
        "the application carries no liveness frames",
        "申请未提供活体检测视频帧",
    ),
    BIOMETRICS_UNAVAILABLE: (
        "biometric samples were supplied but the biometrics extra is not installed",
        "已提供生物特征样本，但未安装生物识别组件",
    ),
}


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
    'no face was found in the image'
    """
    return TEXTS.get(code, (f"biometric check reported {code}", f"生物识别检查结果：{code}"))
