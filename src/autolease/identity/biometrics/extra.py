"""Is the optional `biometrics` extra installed? Looked up without importing anything heavy."""

from __future__ import annotations

import importlib
import importlib.util
import warnings
from types import ModuleType

from autolease.identity.biometrics.exceptions import INSTALL_HINT, BiometricsUnavailable

FACE_MODULES = ("dlib", "face_recognition_models", "PIL")
VOICE_MODULES = ("resemblyzer", "torch", "librosa", "webrtcvad", "soundfile")
MEDIA_MODULES = {"image": ("PIL",), "audio": ("soundfile",)}


def missing_modules(modules: tuple[str, ...]) -> tuple[str, ...]:
    """The top-level modules of `modules` that cannot be found."""
    return tuple(name for name in modules if importlib.util.find_spec(name) is None)


def require(modules: tuple[str, ...]) -> None:
    """Raise `BiometricsUnavailable`, naming the extra, if any module is missing."""
    missing = missing_modules(modules)
    if missing:
        raise BiometricsUnavailable.missing(missing)


def face_available() -> bool:
    return not missing_modules(FACE_MODULES)


def voice_available() -> bool:
    return not missing_modules(VOICE_MODULES)


def load(module: str) -> ModuleType:
    """Import a module of the extra on first use.

    Going through `importlib` keeps the heavy, mostly untyped libraries out of the type
    checker and out of `import autolease`. `pkg_resources` deprecation warnings raised by
    webrtcvad's import are silenced; an import failure becomes `BiometricsUnavailable`.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            return importlib.import_module(module)
    except ImportError as exc:
        missing = exc.name or module
        raise BiometricsUnavailable(
            f"the biometrics extra failed to load ({type(exc).__name__}: module {missing!r});"
            f" install or repair it with: {INSTALL_HINT}"
        ) from None
