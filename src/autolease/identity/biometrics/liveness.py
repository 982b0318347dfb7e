"""Active liveness from 68-point face landmarks over a short frame sequence (pure).

The applicant is asked to blink, or to turn the head, while the camera records a few frames.
Each frame becomes a :class:`FrameObservation` (how many faces, and the 68 dlib landmarks of
the one face); :func:`evaluate_liveness` judges the sequence.

* **Blink**: the eye aspect ratio (EAR, Soukupová & Čech 2016) of both eyes falls well below
  the sequence's open-eye level and rises again (open → closed → open).
* **Head turn**: a yaw proxy, where the nose tip sits between the two jaw ends, starts near
  frontal and moves far enough in the asked direction. Directions are the applicant's own,
  for frames as a camera facing them records them (not mirrored); ``turn`` accepts either.

What this does not stop: a replayed video of the real person blinking, a good mask or
animated deep-fake, or frames injected in place of the camera stream. See docs/biometrics.md.

>>> eye_aspect_ratio([(0, 0), (1, -1), (2, -1), (3, 0), (2, 1), (1, 1)])
0.6666666666666666
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from autolease.identity.biometrics import reasons as rc
from autolease.identity.biometrics.challenge import Challenge

__all__ = [
    "LANDMARK_COUNT",
    "Challenge",
    "FrameObservation",
    "LivenessParams",
    "LivenessResult",
    "detect_blink",
    "detect_turn",
    "evaluate_liveness",
    "eye_aspect_ratio",
    "mean_eye_aspect_ratio",
    "yaw_proxy",
]

LANDMARK_COUNT = 68
RIGHT_EYE = slice(36, 42)  # the subject's right eye: image left in an unmirrored frame
LEFT_EYE = slice(42, 48)
JAW_RIGHT_END, JAW_LEFT_END, NOSE_TIP = 0, 16, 30

Point = tuple[float, float]


@dataclass(frozen=True)
class FrameObservation:
    """What one frame showed: the number of faces and, for exactly one, its 68 landmarks."""

    faces: int
    landmarks: tuple[Point, ...] | None = None

    @property
    def usable(self) -> bool:
        return (
            self.faces == 1 and self.landmarks is not None and len(self.landmarks) == LANDMARK_COUNT
        )


@dataclass(frozen=True)
class LivenessParams:
    """Tunable limits; the defaults suit 5-30 frames of a phone's front camera."""

    min_usable_frames: int = 3
    max_lost_fraction: float = 0.2
    blink_drop: float = 0.3
    reopen_level: float = 0.85
    min_open_ear: float = 0.15
    min_turn: float = 0.25
    max_start_yaw: float = 0.3


@dataclass(frozen=True)
class LivenessResult:
    challenge: Challenge
    passed: bool
    reasons: tuple[str, ...]
    frames: int
    usable_frames: int
    measure: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "challenge": self.challenge.value,
            "decision": "pass" if self.passed else "fail",
            "reasons": list(self.reasons),
            "frames": self.frames,
            "usable_frames": self.usable_frames,
            "measure": round(self.measure, 4),
        }


def _distance(a: Point, b: Point) -> float:
    return float(np.hypot(a[0] - b[0], a[1] - b[1]))


def eye_aspect_ratio(eye: Sequence[Point]) -> float:
    """Eye aspect ratio of one eye from its six landmarks.

    ``EAR = (|p2 - p6| + |p3 - p5|) / (2 |p1 - p4|)``: about 0.25-0.35 open, near 0 closed.

    Parameters
    ----------
    eye : sequence of (x, y)
        The six landmarks of one eye in dlib's order (corner, two upper, corner, two lower).

    Returns
    -------
    float

    Examples
    --------
    >>> eye_aspect_ratio([(0, 0), (1, 0), (2, 0), (3, 0), (2, 0), (1, 0)])
    0.0
    """
    if len(eye) != 6:
        raise ValueError("an eye has six landmarks")
    p1, p2, p3, p4, p5, p6 = eye
    width = _distance(p1, p4)
    if width == 0.0:
        raise ValueError("the eye corners coincide")
    return (_distance(p2, p6) + _distance(p3, p5)) / (2.0 * width)


def _check_landmarks(landmarks: Sequence[Point]) -> None:
    if len(landmarks) != LANDMARK_COUNT:
        raise ValueError(f"expected {LANDMARK_COUNT} landmarks, got {len(landmarks)}")


def mean_eye_aspect_ratio(landmarks: Sequence[Point]) -> float:
    """Mean EAR of both eyes from a 68-point landmark set.

    Examples
    --------
    >>> eye = [(0.0, 0.0), (1.0, -1.0), (2.0, -1.0), (3.0, 0.0), (2.0, 1.0), (1.0, 1.0)]
    >>> round(mean_eye_aspect_ratio([(0.0, 0.0)] * 36 + eye + eye + [(0.0, 0.0)] * 20), 4)
    0.6667
    """
    _check_landmarks(landmarks)
    points = list(landmarks)
    return (eye_aspect_ratio(points[RIGHT_EYE]) + eye_aspect_ratio(points[LEFT_EYE])) / 2.0


def yaw_proxy(landmarks: Sequence[Point]) -> float:
    """Where the nose tip sits between the jaw ends, scaled to ``[-1, 1]``.

    0 is frontal. Positive means the nose moved towards image right, which in an unmirrored
    frame is the applicant turning to their own left.

    Examples
    --------
    >>> pts = [(0.0, 0.0)] * 68
    >>> pts[0], pts[16], pts[30] = (0.0, 0.0), (10.0, 0.0), (7.5, 0.0)
    >>> yaw_proxy(pts)
    0.5
    """
    _check_landmarks(landmarks)
    left_x, right_x = landmarks[JAW_RIGHT_END][0], landmarks[JAW_LEFT_END][0]
    span = right_x - left_x
    if span == 0.0:
        raise ValueError("the jaw ends coincide")
    ratio = (landmarks[NOSE_TIP][0] - left_x) / span
    return float(np.clip(2.0 * ratio - 1.0, -1.0, 1.0))


def detect_blink(ears: Sequence[float], params: LivenessParams) -> tuple[bool, float]:
    """Whether the EAR series shows open → closed → open eyes.

    Parameters
    ----------
    ears : sequence of float
        Mean EAR per usable frame, in time order.
    params : LivenessParams

    Returns
    -------
    (bool, float)
        Whether a blink was seen, and the deepest relative drop below the open level.

    Examples
    --------
    >>> seen, drop = detect_blink([0.3, 0.3, 0.1, 0.3], LivenessParams())
    >>> seen, round(drop, 4)
    (True, 0.6667)
    >>> detect_blink([0.3, 0.3, 0.3, 0.1], LivenessParams())[0]
    False
    """
    if not ears:
        return False, 0.0
    series = np.asarray(ears, dtype=np.float64)
    open_level = float(np.percentile(series, 90))
    if open_level < params.min_open_ear:
        return False, 0.0
    drop = float(1.0 - series.min() / open_level)
    is_open = series >= open_level * params.reopen_level
    is_closed = series <= open_level * (1.0 - params.blink_drop)
    for index in np.flatnonzero(is_closed):
        if is_open[:index].any() and is_open[index + 1 :].any():
            return True, drop
    return False, drop


def detect_turn(
    yaws: Sequence[float], challenge: Challenge, params: LivenessParams
) -> tuple[bool, float]:
    """Whether the yaw series starts near frontal and turns far enough the asked way.

    Parameters
    ----------
    yaws : sequence of float
        :func:`yaw_proxy` per usable frame, in time order.
    challenge : Challenge
        ``turn_left``, ``turn_right`` or ``turn`` (either way).
    params : LivenessParams

    Returns
    -------
    (bool, float)
        Whether the turn was seen, and the largest change from the first frame in the asked
        direction (either direction for ``turn``).

    Examples
    --------
    >>> detect_turn([0.0, 0.2, 0.5], Challenge.TURN_LEFT, LivenessParams())
    (True, 0.5)
    >>> detect_turn([0.0, -0.2, -0.5], Challenge.TURN_LEFT, LivenessParams())[0]
    False
    """
    if len(yaws) < 2:
        return False, 0.0
    series = np.asarray(yaws, dtype=np.float64)
    start = float(series[0])
    change = series - start
    if challenge is Challenge.TURN_LEFT:
        best = float(change.max())
    elif challenge is Challenge.TURN_RIGHT:
        best = float(-change.min())
    else:
        best = float(np.abs(change).max())
    return abs(start) <= params.max_start_yaw and best >= params.min_turn, best


def evaluate_liveness(
    observations: Sequence[FrameObservation],
    challenge: Challenge,
    params: LivenessParams | None = None,
    *,
    face_changed: bool = False,
) -> LivenessResult:
    """Judge a challenge from per-frame observations.

    Parameters
    ----------
    observations : sequence of FrameObservation
        One per frame, in time order.
    challenge : Challenge
        What the applicant was asked to do.
    params : LivenessParams, optional
    face_changed : bool
        Set by the caller when the face in the frames is not one person throughout, or not
        the selfie's person; adds ``LIVENESS_FACE_CHANGED``.

    Returns
    -------
    LivenessResult
        ``passed`` only when the challenge was seen and no reason was found.

    Examples
    --------
    >>> evaluate_liveness([], Challenge.BLINK).reasons
    ('LIVENESS_TOO_FEW_FRAMES',)
    """
    challenge = Challenge(challenge)
    limits = params or LivenessParams()
    usable = [o.landmarks for o in observations if o.usable and o.landmarks is not None]
    total = len(observations)
    found: list[str] = []
    if total and 1.0 - len(usable) / total > limits.max_lost_fraction:
        found.append(rc.LIVENESS_FACE_LOST)
    if len(usable) < limits.min_usable_frames:
        found.append(rc.LIVENESS_TOO_FEW_FRAMES)
        return LivenessResult(challenge, False, tuple(found), total, len(usable), 0.0)
    if challenge is Challenge.BLINK:
        seen, measure = detect_blink([mean_eye_aspect_ratio(p) for p in usable], limits)
        missing = rc.LIVENESS_NO_BLINK
    else:
        seen, measure = detect_turn([yaw_proxy(p) for p in usable], challenge, limits)
        missing = rc.LIVENESS_NO_HEAD_TURN
    if not seen:
        found.append(missing)
    if face_changed:
        found.append(rc.LIVENESS_FACE_CHANGED)
    return LivenessResult(challenge, not found, tuple(found), total, len(usable), measure)
