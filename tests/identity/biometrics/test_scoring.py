"""Tests for autolease.identity.biometrics.scoring (pure)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autolease.identity.biometrics.scoring import (
    Decision,
    centroid,
    cosine_similarity,
    decide,
    equal_error_rate,
    error_rates,
    euclidean_distance,
    face_similarity,
    unit,
)


class TestUnit:
    def test_scales_to_length_one(self) -> None:
        assert np.linalg.norm(unit([3.0, 4.0, 12.0])) == pytest.approx(1.0)

    def test_rejects_zero_and_non_finite(self) -> None:
        with pytest.raises(ValueError, match="zero"):
            unit([0.0, 0.0])
        with pytest.raises(ValueError, match="finite"):
            unit([1.0, math.nan])


class TestEuclideanDistance:
    def test_distance(self) -> None:
        assert euclidean_distance([1.0, 1.0], [4.0, 5.0]) == 5.0

    def test_length_mismatch(self) -> None:
        with pytest.raises(ValueError, match="lengths"):
            euclidean_distance([1.0], [1.0, 2.0])


class TestCosineSimilarity:
    def test_parallel_opposite_orthogonal(self) -> None:
        assert cosine_similarity([1.0, 2.0], [2.0, 4.0]) == pytest.approx(1.0)
        assert cosine_similarity([1.0, 0.0], [-3.0, 0.0]) == pytest.approx(-1.0)
        assert cosine_similarity([1.0, 0.0], [0.0, 1.0]) == pytest.approx(0.0)


class TestFaceSimilarity:
    def test_dlib_threshold_maps_to_point_four(self) -> None:
        assert face_similarity(0.6) == pytest.approx(0.4)


class TestCentroid:
    def test_mean_of_unit_vectors_is_unit(self) -> None:
        result = centroid([[2.0, 0.0], [0.0, 5.0]])
        assert result.tolist() == pytest.approx([math.sqrt(0.5), math.sqrt(0.5)])

    def test_needs_an_embedding(self) -> None:
        with pytest.raises(ValueError, match="at least one"):
            centroid([])


class TestDecide:
    def test_match_at_threshold(self) -> None:
        result = decide(0.4, 0.4, mismatch_code="FACE_MISMATCH")
        assert result.decision is Decision.MATCH
        assert result.reasons == ()

    def test_below_threshold_is_mismatch_with_reason(self) -> None:
        result = decide(0.39, 0.4, mismatch_code="VOICE_MISMATCH", modality="voice")
        assert result.decision is Decision.NO_MATCH
        assert result.reasons == ("VOICE_MISMATCH",)
        assert result.as_dict()["modality"] == "voice"

    def test_blocking_reason_makes_it_inconclusive_even_when_similar(self) -> None:
        result = decide(0.99, 0.4, mismatch_code="FACE_MISMATCH", blocking=["LOW_QUALITY"] * 2)
        assert result.decision is Decision.INCONCLUSIVE
        assert result.reasons == ("LOW_QUALITY",)

    def test_no_score_is_inconclusive(self) -> None:
        result = decide(None, 0.4, mismatch_code="FACE_MISMATCH", blocking=["NO_FACE"])
        assert result.as_dict() == {
            "modality": "face",
            "score": None,
            "threshold": 0.4,
            "decision": "inconclusive",
            "reasons": ["NO_FACE"],
        }


class TestErrorRates:
    def test_counts_false_accepts_and_rejects(self) -> None:
        rates = error_rates([0.9, 0.8, 0.3, 0.7], [0.1, 0.75, 0.2], threshold=0.5)
        assert rates.false_reject_rate == pytest.approx(0.25)
        assert rates.false_accept_rate == pytest.approx(1 / 3)
        assert rates.accuracy == pytest.approx(5 / 7)
        assert (rates.genuine, rates.impostor) == (4, 3)

    def test_needs_both_kinds(self) -> None:
        with pytest.raises(ValueError, match="impostor"):
            error_rates([0.9], [], threshold=0.5)


class TestEqualErrorRate:
    def test_perfect_separation_is_zero_with_midpoint_threshold(self) -> None:
        result = equal_error_rate([0.9, 0.8], [0.1, 0.4])
        assert result.eer == 0.0
        assert result.threshold == pytest.approx(0.6)

    def test_overlap(self) -> None:
        genuine = [0.9, 0.85, 0.8, 0.7, 0.35]
        impostor = [0.1, 0.2, 0.3, 0.4, 0.75]
        result = equal_error_rate(genuine, impostor)
        assert result.eer == pytest.approx(0.2)
        rates = error_rates(genuine, impostor, result.threshold)
        assert rates.false_accept_rate == pytest.approx(rates.false_reject_rate)

    def test_total_overlap_is_half(self) -> None:
        assert equal_error_rate([0.5, 0.5], [0.5, 0.5]).eer == pytest.approx(0.5)
