"""Sample quality measures and the reasons they give (pure: arrays in, numbers out).

>>> rms_dbfs(np.zeros(16000, dtype=np.float32))
-inf
>>> face_quality_reasons(FaceQuality(face_px=40, sharpness=500.0, brightness=120.0))
('LOW_QUALITY',)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from autolease.identity.biometrics import reasons as rc

__all__ = [
    "AudioQuality",
    "AudioQualityParams",
    "FaceQuality",
    "FaceQualityParams",
    "audio_quality_reasons",
    "clipped_fraction",
    "face_quality_reasons",
    "laplacian_variance",
    "measure_audio",
    "rms_dbfs",
]


@dataclass(frozen=True)
class FaceQualityParams:
    """Limits for a face to be worth comparing.

    ``min_sharpness`` is the variance of the Laplacian of the 150x150 aligned face chip in
    grey levels; sharp phone photos score 70-2,000, a Gaussian blur of 2 px on a small face
    about 4.
    """

    min_face_px: int = 60
    min_sharpness: float = 12.0
    min_brightness: float = 40.0
    max_brightness: float = 220.0


@dataclass(frozen=True)
class FaceQuality:
    face_px: int
    sharpness: float
    brightness: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "face_px": self.face_px,
            "sharpness": round(self.sharpness, 1),
            "brightness": round(self.brightness, 1),
        }


def laplacian_variance(grey: NDArray[Any]) -> float:
    """Variance of the 4-neighbour Laplacian of a 2-D grey image: a sharpness measure.

    Parameters
    ----------
    grey : numpy.ndarray
        2-D array, at least 3x3.

    Returns
    -------
    float

    Examples
    --------
    >>> laplacian_variance(np.full((5, 5), 7.0))
    0.0
    """
    image = np.asarray(grey, dtype=np.float64)
    if image.ndim != 2 or min(image.shape) < 3:
        raise ValueError("expected a 2-D image of at least 3x3 pixels")
    lap = (
        image[:-2, 1:-1]
        + image[2:, 1:-1]
        + image[1:-1, :-2]
        + image[1:-1, 2:]
        - 4.0 * image[1:-1, 1:-1]
    )
    return float(lap.var())


def face_quality_reasons(
    quality: FaceQuality, params: FaceQualityParams | None = None
) -> tuple[str, ...]:
    """``('LOW_QUALITY',)`` when the face is too small, blurred, dark or bright, else ``()``.

    Examples
    --------
    >>> face_quality_reasons(FaceQuality(face_px=120, sharpness=300.0, brightness=110.0))
    ()
    """
    limits = params or FaceQualityParams()
    bad = (
        quality.face_px < limits.min_face_px
        or quality.sharpness < limits.min_sharpness
        or not limits.min_brightness <= quality.brightness <= limits.max_brightness
    )
    return (rc.LOW_QUALITY,) if bad else ()


@dataclass(frozen=True)
class AudioQualityParams:
    min_speech_seconds: float = 1.0
    silence_dbfs: float = -50.0
    max_clipped_fraction: float = 0.01


@dataclass(frozen=True)
class AudioQuality:
    duration_s: float
    speech_s: float
    level_dbfs: float
    clipped: float

    def as_dict(self) -> dict[str, Any]:
        level = self.level_dbfs if np.isfinite(self.level_dbfs) else None
        return {
            "duration_s": round(self.duration_s, 3),
            "speech_s": round(self.speech_s, 3),
            "level_dbfs": None if level is None else round(level, 1),
            "clipped_fraction": round(self.clipped, 4),
        }


def rms_dbfs(wav: NDArray[Any]) -> float:
    """RMS level of a float waveform in dB relative to full scale (``-inf`` for silence).

    Examples
    --------
    >>> round(rms_dbfs(np.ones(100)), 1)
    0.0
    """
    samples = np.asarray(wav, dtype=np.float64)
    if samples.size == 0:
        return float("-inf")
    rms = float(np.sqrt(np.mean(samples**2)))
    return 20.0 * float(np.log10(rms)) if rms > 0 else float("-inf")


def clipped_fraction(wav: NDArray[Any], level: float = 0.999) -> float:
    """Share of samples at or beyond ``level`` of full scale.

    Examples
    --------
    >>> clipped_fraction(np.array([0.0, 1.0, -1.0, 0.5]))
    0.5
    """
    samples = np.asarray(wav, dtype=np.float64)
    if samples.size == 0:
        return 0.0
    return float(np.mean(np.abs(samples) >= level))


def measure_audio(wav: NDArray[Any], sample_rate: int, speech_samples: int) -> AudioQuality:
    """Duration, speech duration, level and clipping of a mono float waveform.

    Parameters
    ----------
    wav : numpy.ndarray
        Mono samples in ``[-1, 1]``.
    sample_rate : int
        Samples per second of ``wav``.
    speech_samples : int
        Samples left after voice-activity trimming, counted at ``sample_rate``.

    Examples
    --------
    >>> measure_audio(np.zeros(8000), 16000, 0).duration_s
    0.5
    """
    if sample_rate <= 0:
        raise ValueError("sample rate must be positive")
    return AudioQuality(
        duration_s=len(wav) / sample_rate,
        speech_s=speech_samples / sample_rate,
        level_dbfs=rms_dbfs(wav),
        clipped=clipped_fraction(wav),
    )


def audio_quality_reasons(
    quality: AudioQuality, params: AudioQualityParams | None = None
) -> tuple[str, ...]:
    """Reasons a recording cannot be used: no speech, too little speech, or clipping.

    Examples
    --------
    >>> audio_quality_reasons(AudioQuality(3.0, 0.0, float("-inf"), 0.0))
    ('VOICE_NO_SPEECH',)
    >>> audio_quality_reasons(AudioQuality(3.0, 0.4, -20.0, 0.0))
    ('VOICE_TOO_SHORT',)
    """
    limits = params or AudioQualityParams()
    if quality.level_dbfs < limits.silence_dbfs or quality.speech_s == 0.0:
        return (rc.VOICE_NO_SPEECH,)
    found: list[str] = []
    if quality.speech_s < limits.min_speech_seconds:
        found.append(rc.VOICE_TOO_SHORT)
    if quality.clipped > limits.max_clipped_fraction:
        found.append(rc.VOICE_LOW_QUALITY)
    return tuple(found)
