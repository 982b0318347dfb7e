"""Embedding comparison, decisions at a threshold, and error rates (pure).

Scores are similarities: higher means more alike, and a pair matches when its score is at or
above the threshold. Faces are compared by Euclidean distance between dlib's 128-d
descriptors and reported as ``similarity = 1 - distance``; voices by the cosine of their
(unit-length) Resemblyzer embeddings.

>>> decide(0.55, 0.4, mismatch_code="FACE_MISMATCH").decision.value
'match'
>>> equal_error_rate([0.9, 0.8], [0.1, 0.2]).eer
0.0
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from autolease.identity.biometrics.settings import DLIB_LFW_DISTANCE_THRESHOLD

__all__ = [
    "DLIB_LFW_DISTANCE_THRESHOLD",
    "Decision",
    "EqualErrorRate",
    "ErrorRates",
    "Verification",
    "centroid",
    "cosine_similarity",
    "decide",
    "equal_error_rate",
    "error_rates",
    "euclidean_distance",
    "face_similarity",
    "unit",
]


Vector = NDArray[np.float64]


class Decision(StrEnum):
    MATCH = "match"
    NO_MATCH = "no_match"
    INCONCLUSIVE = "inconclusive"


@dataclass(frozen=True)
class Verification:
    """The outcome of comparing a probe with a reference.

    ``score`` is ``None`` when no comparison could be made (no face, no speech ...); the
    decision is then ``inconclusive`` and ``reasons`` say why.
    """

    modality: str
    score: float | None
    threshold: float
    decision: Decision
    reasons: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "modality": self.modality,
            "score": None if self.score is None else round(self.score, 4),
            "threshold": round(self.threshold, 4),
            "decision": self.decision.value,
            "reasons": list(self.reasons),
        }


def _vector(values: ArrayLike) -> Vector:
    array = np.asarray(values, dtype=np.float64).reshape(-1)
    if array.size == 0 or not np.all(np.isfinite(array)):
        raise ValueError("an embedding must be a non-empty vector of finite numbers")
    return array


def unit(values: ArrayLike) -> Vector:
    """Scale a vector to unit length.

    Parameters
    ----------
    values : array_like
        A non-zero vector.

    Returns
    -------
    numpy.ndarray
        The vector divided by its Euclidean norm.

    Examples
    --------
    >>> unit([3.0, 4.0]).tolist()
    [0.6, 0.8]
    """
    vector = _vector(values)
    norm = float(np.linalg.norm(vector))
    if norm == 0.0:
        raise ValueError("cannot normalise a zero vector")
    return vector / norm


def euclidean_distance(a: ArrayLike, b: ArrayLike) -> float:
    """Euclidean distance between two embeddings of the same length.

    Examples
    --------
    >>> euclidean_distance([0.0, 0.0], [3.0, 4.0])
    5.0
    """
    va, vb = _vector(a), _vector(b)
    if va.shape != vb.shape:
        raise ValueError("embeddings have different lengths")
    return float(np.linalg.norm(va - vb))


def cosine_similarity(a: ArrayLike, b: ArrayLike) -> float:
    """Cosine of the angle between two embeddings, in ``[-1, 1]``.

    Examples
    --------
    >>> cosine_similarity([1.0, 0.0], [0.0, 2.0])
    0.0
    """
    va, vb = unit(a), unit(b)
    if va.shape != vb.shape:
        raise ValueError("embeddings have different lengths")
    return float(np.clip(va @ vb, -1.0, 1.0))


def face_similarity(distance: float) -> float:
    """Similarity reported for a face pair: ``1 - distance`` (dlib descriptors).

    dlib's threshold of 0.6 in distance is therefore 0.4 in similarity.

    Examples
    --------
    >>> round(face_similarity(0.35), 2)
    0.65
    """
    return 1.0 - distance


def centroid(embeddings: Sequence[ArrayLike]) -> Vector:
    """Unit-length mean of unit-length embeddings: a speaker's enrolment template (GE2E).

    Examples
    --------
    >>> centroid([[1.0, 0.0], [0.0, 1.0]]).round(4).tolist()
    [0.7071, 0.7071]
    """
    if not embeddings:
        raise ValueError("at least one embedding is needed")
    return unit(np.mean([unit(e) for e in embeddings], axis=0))


def decide(
    score: float | None,
    threshold: float,
    *,
    mismatch_code: str,
    blocking: Iterable[str] = (),
    modality: str = "face",
) -> Verification:
    """Turn a similarity into a decision.

    Parameters
    ----------
    score : float or None
        Similarity of the pair, or ``None`` when no comparison was possible.
    threshold : float
        Minimum similarity for a match.
    mismatch_code : str
        Reason code added when the score is below the threshold.
    blocking : iterable of str
        Reasons that make the comparison unreliable (no face, low quality ...): the decision
        is then ``inconclusive`` whatever the score.
    modality : str
        ``'face'`` or ``'voice'``, carried into the result.

    Returns
    -------
    Verification

    Examples
    --------
    >>> decide(0.2, 0.4, mismatch_code="FACE_MISMATCH").reasons
    ('FACE_MISMATCH',)
    >>> decide(0.9, 0.4, mismatch_code="FACE_MISMATCH", blocking=["LOW_QUALITY"]).decision.value
    'inconclusive'
    """
    reasons = tuple(dict.fromkeys(blocking))
    if score is None or reasons:
        return Verification(modality, score, threshold, Decision.INCONCLUSIVE, reasons)
    if score >= threshold:
        return Verification(modality, score, threshold, Decision.MATCH)
    return Verification(modality, score, threshold, Decision.NO_MATCH, (mismatch_code,))


@dataclass(frozen=True)
class ErrorRates:
    threshold: float
    false_accept_rate: float
    false_reject_rate: float
    accuracy: float
    genuine: int
    impostor: int


def _scores(values: Iterable[float], what: str) -> NDArray[np.float64]:
    array = np.asarray(list(values), dtype=np.float64)
    if array.size == 0:
        raise ValueError(f"no {what} scores")
    return array


def error_rates(
    genuine: Iterable[float], impostor: Iterable[float], threshold: float
) -> ErrorRates:
    """False-accept and false-reject rates and accuracy at one threshold.

    Parameters
    ----------
    genuine, impostor : iterable of float
        Similarities of same-person and different-person pairs.
    threshold : float
        A pair is accepted when its similarity is at or above it.

    Returns
    -------
    ErrorRates

    Examples
    --------
    >>> r = error_rates([0.9, 0.3], [0.1, 0.5], threshold=0.4)
    >>> r.false_accept_rate, r.false_reject_rate, r.accuracy
    (0.5, 0.5, 0.5)
    """
    gen, imp = _scores(genuine, "genuine"), _scores(impostor, "impostor")
    false_rejects = int(np.sum(gen < threshold))
    false_accepts = int(np.sum(imp >= threshold))
    total = gen.size + imp.size
    return ErrorRates(
        threshold=threshold,
        false_accept_rate=false_accepts / imp.size,
        false_reject_rate=false_rejects / gen.size,
        accuracy=(total - false_accepts - false_rejects) / total,
        genuine=int(gen.size),
        impostor=int(imp.size),
    )


@dataclass(frozen=True)
class EqualErrorRate:
    eer: float
    threshold: float


def equal_error_rate(genuine: Iterable[float], impostor: Iterable[float]) -> EqualErrorRate:
    """Equal error rate: where the false-accept and false-reject rates cross.

    Every observed score is tried as a threshold; at the one where the two rates are closest,
    the EER is their mean. When the classes separate perfectly the EER is 0 and the threshold
    is the midpoint of the gap.

    Parameters
    ----------
    genuine, impostor : iterable of float
        Similarities of same-person and different-person pairs.

    Returns
    -------
    EqualErrorRate

    Examples
    --------
    >>> equal_error_rate([0.9, 0.8, 0.3], [0.1, 0.2, 0.85]).eer
    0.3333333333333333
    """
    gen, imp = _scores(genuine, "genuine"), _scores(impostor, "impostor")
    if gen.min() > imp.max():
        return EqualErrorRate(0.0, float((gen.min() + imp.max()) / 2))
    candidates = np.unique(np.concatenate([gen, imp]))
    far = np.array([np.mean(imp >= t) for t in candidates])
    frr = np.array([np.mean(gen < t) for t in candidates])
    best = int(np.argmin(np.abs(far - frr)))
    return EqualErrorRate(float((far[best] + frr[best]) / 2), float(candidates[best]))
