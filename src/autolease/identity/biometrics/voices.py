"""Voice analysis results, enrolment and verification (pure).

A :class:`VoiceAnalysis` is what one recording gave (quality, reasons and, when usable, the
unit 256-d speaker embedding); :func:`enrolment` averages utterances into a template;
:func:`compare_voice` and :func:`search` score a probe against one template or many.

>>> probe = VoiceAnalysis(AudioQuality(3.0, 3.0, -20.0, 0.0), (), np.array([1.0, 0.0]))
>>> compare_voice(probe, np.array([1.0, 0.0]), threshold=0.75).decision.value
'match'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from autolease.identity.biometrics import reasons as rc
from autolease.identity.biometrics.quality import AudioQuality
from autolease.identity.biometrics.scoring import (
    Verification,
    centroid,
    cosine_similarity,
    decide,
)

__all__ = [
    "BlacklistResult",
    "VoiceAnalysis",
    "VoiceTemplate",
    "compare_voice",
    "enrolment",
    "search",
]


@dataclass(frozen=True)
class VoiceAnalysis:
    """One recording. ``embedding`` is personal data: never logged or returned."""

    quality: AudioQuality
    reasons: tuple[str, ...]
    embedding: NDArray[np.float64] | None = None

    def __repr__(self) -> str:
        return f"VoiceAnalysis(reasons={self.reasons})"

    def as_dict(self) -> dict[str, Any]:
        return {"reasons": list(self.reasons), "quality": self.quality.as_dict()}


@dataclass(frozen=True)
class VoiceTemplate:
    """An enrolment: the centroid of the usable utterances' embeddings."""

    embedding: NDArray[np.float64] | None
    utterances: tuple[VoiceAnalysis, ...]

    @property
    def usable(self) -> int:
        return sum(1 for u in self.utterances if u.embedding is not None)

    def __repr__(self) -> str:
        return f"VoiceTemplate(usable={self.usable}, of={len(self.utterances)})"


def enrolment(utterances: Sequence[VoiceAnalysis]) -> VoiceTemplate:
    """Average the usable utterances; ``embedding`` is ``None`` when none is usable."""
    usable = [u.embedding for u in utterances if u.embedding is not None]
    return VoiceTemplate(centroid(usable) if usable else None, tuple(utterances))


def compare_voice(
    probe: VoiceAnalysis, reference: NDArray[np.float64] | None, *, threshold: float
) -> Verification:
    """Cosine similarity of a probe with an enrolled template, decided at `threshold`."""
    score = None
    if probe.embedding is not None and reference is not None:
        score = cosine_similarity(probe.embedding, reference)
    blocking = probe.reasons if probe.embedding is None else ()
    return decide(
        score, threshold, mismatch_code=rc.VOICE_MISMATCH, blocking=blocking, modality="voice"
    )


@dataclass(frozen=True)
class BlacklistResult:
    """A 1:N search of a probe against blacklisted voices. ``hits`` are template ids."""

    searched: int
    threshold: float
    best_score: float | None
    hits: tuple[int, ...]

    def as_dict(self) -> dict[str, Any]:
        best = None if self.best_score is None else round(self.best_score, 4)
        return {
            "searched": self.searched,
            "threshold": self.threshold,
            "best_score": best,
            "hit": bool(self.hits),
            "hits": len(self.hits),
        }


def search(
    probe: VoiceAnalysis,
    templates: Sequence[tuple[int, NDArray[np.float64]]],
    *,
    threshold: float,
) -> BlacklistResult:
    """Score a probe against ``(template id, embedding)`` pairs; ids at or above threshold hit.

    Examples
    --------
    >>> probe = VoiceAnalysis(AudioQuality(3.0, 3.0, -20.0, 0.0), (), np.array([1.0, 0.0]))
    >>> search(probe, [(7, np.array([1.0, 0.1])), (8, np.array([0.0, 1.0]))], threshold=0.8).hits
    (7,)
    """
    if probe.embedding is None or not templates:
        return BlacklistResult(len(templates), threshold, None, ())
    scores = [(tid, cosine_similarity(probe.embedding, emb)) for tid, emb in templates]
    best = max(score for _, score in scores)
    hits = tuple(tid for tid, score in sorted(scores, key=lambda s: -s[1]) if score >= threshold)
    return BlacklistResult(len(templates), threshold, best, hits)
