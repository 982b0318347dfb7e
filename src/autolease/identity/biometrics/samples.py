"""The biometric samples an application may carry (pure).

Bytes stay in memory only: they are decoded, compared and dropped, never stored or logged.
"""

from __future__ import annotations

from dataclasses import dataclass

from autolease.identity.biometrics.challenge import Challenge

__all__ = ["BiometricSamples"]


@dataclass(frozen=True)
class BiometricSamples:
    """Selfie, ID-card photo, liveness frames with their challenge, and a voice recording."""

    selfie: bytes | None = None
    id_photo: bytes | None = None
    liveness_frames: tuple[bytes, ...] = ()
    liveness_challenge: Challenge = Challenge.BLINK
    voice: bytes | None = None

    def __repr__(self) -> str:  # never print sample bytes
        return f"BiometricSamples({', '.join(self.present()) or 'none'})"

    def present(self) -> tuple[str, ...]:
        """Names of the samples that are there, e.g. ``('selfie', 'voice')``."""
        names = {
            "selfie": self.selfie is not None,
            "id_photo": self.id_photo is not None,
            "liveness": bool(self.liveness_frames),
            "voice": self.voice is not None,
        }
        return tuple(name for name, there in names.items() if there)

    @property
    def any(self) -> bool:
        return bool(self.present())
