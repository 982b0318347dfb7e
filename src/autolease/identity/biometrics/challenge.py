"""The active-liveness challenges (apart from `liveness`, so that the samples a pipeline
carries do not import NumPy)."""

from __future__ import annotations

from enum import StrEnum


class Challenge(StrEnum):
    BLINK = "blink"
    TURN_LEFT = "turn_left"
    TURN_RIGHT = "turn_right"
    TURN = "turn"
