"""Tests for autolease.identity.biometrics.liveness (pure), on synthetic landmark sets."""

from __future__ import annotations

import pytest

from autolease.identity.biometrics.liveness import (
    Challenge,
    FrameObservation,
    LivenessParams,
    detect_blink,
    detect_turn,
    evaluate_liveness,
    eye_aspect_ratio,
    mean_eye_aspect_ratio,
    yaw_proxy,
)

Point = tuple[float, float]


def eye(cx: float, openness: float) -> list[Point]:
    """Six eye landmarks 30 px wide; lids `openness` px apart (EAR = openness / 30)."""
    h = openness / 2
    return [
        (cx - 15, 100.0),
        (cx - 5, 100.0 - h),
        (cx + 5, 100.0 - h),
        (cx + 15, 100.0),
        (cx + 5, 100.0 + h),
        (cx - 5, 100.0 + h),
    ]


def face(openness: float = 9.0, yaw: float = 0.0) -> tuple[Point, ...]:
    """68 landmarks: jaw ends at x=0 and x=200, nose tip placed for the given yaw proxy."""
    points: list[Point] = [(100.0, 150.0)] * 68
    points[0], points[16] = (0.0, 120.0), (200.0, 120.0)
    points[30] = (100.0 + 100.0 * yaw, 130.0)
    points[36:42] = eye(60.0, openness)
    points[42:48] = eye(140.0, openness)
    return tuple(points)


def frames(*landmarks: tuple[Point, ...]) -> list[FrameObservation]:
    return [FrameObservation(1, lm) for lm in landmarks]


class TestEyeAspectRatio:
    def test_open_and_closed(self) -> None:
        assert eye_aspect_ratio(eye(0.0, 9.0)) == pytest.approx(0.3)
        assert eye_aspect_ratio(eye(0.0, 0.0)) == 0.0

    def test_needs_six_points(self) -> None:
        with pytest.raises(ValueError, match="six"):
            eye_aspect_ratio(eye(0.0, 9.0)[:5])


class TestMeanEyeAspectRatio:
    def test_both_eyes(self) -> None:
        assert mean_eye_aspect_ratio(face(openness=6.0)) == pytest.approx(0.2)

    def test_needs_68_points(self) -> None:
        with pytest.raises(ValueError, match="68"):
            mean_eye_aspect_ratio(face()[:67])


class TestYawProxy:
    @pytest.mark.parametrize("yaw", [-0.6, 0.0, 0.45])
    def test_recovers_nose_position(self, yaw: float) -> None:
        assert yaw_proxy(face(yaw=yaw)) == pytest.approx(yaw)

    def test_clipped_to_unit_range(self) -> None:
        assert yaw_proxy(face(yaw=1.7)) == 1.0


class TestDetectBlink:
    def test_open_closed_open(self) -> None:
        seen, drop = detect_blink([0.3, 0.31, 0.05, 0.29, 0.3], LivenessParams())
        assert seen
        assert drop == pytest.approx(1 - 0.05 / 0.306, abs=0.01)

    def test_static_eyes_are_no_blink(self) -> None:
        seen, drop = detect_blink([0.3] * 10, LivenessParams())
        assert not seen
        assert drop == pytest.approx(0.0)

    def test_eyes_closing_without_reopening_is_no_blink(self) -> None:
        assert not detect_blink([0.3, 0.3, 0.3, 0.05, 0.04], LivenessParams())[0]

    def test_eyes_never_visible_is_no_blink(self) -> None:
        assert detect_blink([0.05, 0.02, 0.05], LivenessParams()) == (False, 0.0)

    def test_shallow_dip_is_no_blink(self) -> None:
        assert not detect_blink([0.3, 0.3, 0.25, 0.3, 0.3], LivenessParams())[0]


class TestDetectTurn:
    def test_left_turn(self) -> None:
        seen, change = detect_turn([0.0, 0.1, 0.4], Challenge.TURN_LEFT, LivenessParams())
        assert seen
        assert change == pytest.approx(0.4)

    def test_wrong_direction(self) -> None:
        assert not detect_turn([0.0, -0.4], Challenge.TURN_LEFT, LivenessParams())[0]
        assert detect_turn([0.0, -0.4], Challenge.TURN_RIGHT, LivenessParams())[0]

    def test_either_direction(self) -> None:
        assert detect_turn([0.1, -0.3], Challenge.TURN, LivenessParams())[0]

    def test_must_start_near_frontal(self) -> None:
        assert not detect_turn([-0.5, 0.0], Challenge.TURN_LEFT, LivenessParams())[0]

    def test_small_turn_is_not_enough(self) -> None:
        assert not detect_turn([0.0, 0.1, 0.15], Challenge.TURN, LivenessParams())[0]

    def test_one_frame_is_not_enough(self) -> None:
        assert detect_turn([0.0], Challenge.TURN, LivenessParams()) == (False, 0.0)


class TestEvaluateLiveness:
    def test_blink_passes(self) -> None:
        sequence = frames(face(9.0), face(9.0), face(1.0), face(9.0))
        result = evaluate_liveness(sequence, Challenge.BLINK)
        assert result.passed
        assert result.reasons == ()
        assert result.as_dict()["decision"] == "pass"
        assert result.usable_frames == 4

    def test_photo_held_still_fails_blink(self) -> None:
        result = evaluate_liveness(frames(*[face(9.0)] * 6), Challenge.BLINK)
        assert not result.passed
        assert result.reasons == ("LIVENESS_NO_BLINK",)

    def test_head_turn_passes_and_fails(self) -> None:
        turning = frames(face(yaw=0.0), face(yaw=0.2), face(yaw=0.5))
        assert evaluate_liveness(turning, Challenge.TURN_LEFT).passed
        result = evaluate_liveness(turning, Challenge.TURN_RIGHT)
        assert result.reasons == ("LIVENESS_NO_HEAD_TURN",)

    def test_too_few_usable_frames(self) -> None:
        sequence = [FrameObservation(0), FrameObservation(2), *frames(face(), face())]
        result = evaluate_liveness(sequence, Challenge.BLINK)
        assert result.reasons == ("LIVENESS_FACE_LOST", "LIVENESS_TOO_FEW_FRAMES")
        assert (result.frames, result.usable_frames) == (4, 2)

    def test_face_lost_in_too_many_frames_even_when_blinking(self) -> None:
        blink = frames(face(9.0), face(9.0), face(1.0), face(9.0))
        result = evaluate_liveness(
            [*blink, FrameObservation(0), FrameObservation(0)], Challenge.BLINK
        )
        assert result.reasons == ("LIVENESS_FACE_LOST",)
        assert not result.passed

    def test_face_changed_fails(self) -> None:
        blink = frames(face(9.0), face(9.0), face(1.0), face(9.0))
        result = evaluate_liveness(blink, Challenge.BLINK, face_changed=True)
        assert result.reasons == ("LIVENESS_FACE_CHANGED",)

    def test_observation_with_wrong_landmark_count_is_unusable(self) -> None:
        assert not FrameObservation(1, face()[:10]).usable
        assert not FrameObservation(1, None).usable
        assert FrameObservation(1, face()).usable
