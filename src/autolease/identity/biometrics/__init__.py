"""Biometrics for the identity domain: face match, active liveness, voiceprint.

The heavy libraries (dlib, torch, Resemblyzer, Pillow, soundfile) come with the optional
extra ``autolease[biometrics]`` and are imported only when an engine is first used, so
``import autolease.identity.biometrics`` works on a core install. This package imports
nothing from `origination` at import time, so `origination.pipeline` may import
`BiometricSamples` from here; the stage part is `assessment.assess_biometrics`.
"""

from autolease.identity.biometrics.samples import BiometricSamples

__all__ = ["BiometricSamples"]
