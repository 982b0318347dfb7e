"""Speaker embeddings with Resemblyzer (not pure: loads the model, runs torch on the CPU).

Resemblyzer's GE2E voice encoder (a 3-layer LSTM over 40-channel mel frames, weights in the
``resemblyzer`` wheel) maps an utterance to a unit 256-d embedding. Before embedding, its
``preprocess_wav`` resamples to 16 kHz, normalises the level and cuts long silences with
WebRTC's voice-activity detector; the speech left after that is what quality is judged on.
torch and resemblyzer are imported on first use, so ``import autolease`` never needs them.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from autolease.identity.biometrics import extra
from autolease.identity.biometrics import reasons as rc
from autolease.identity.biometrics.quality import (
    AudioQualityParams,
    audio_quality_reasons,
    measure_audio,
)
from autolease.identity.biometrics.voices import VoiceAnalysis

MODEL_RATE = 16_000

Audio = NDArray[np.float32]


class VoiceEngine:
    """The loaded voice encoder. Thread-safe: one inference at a time per engine."""

    def __init__(
        self, *, threads: int | None = None, quality: AudioQualityParams | None = None
    ) -> None:
        extra.require(extra.VOICE_MODULES)
        resemblyzer = extra.load("resemblyzer")
        torch = extra.load("torch")
        if threads is not None:
            torch.set_num_threads(threads)
        self._encoder = resemblyzer.VoiceEncoder("cpu", verbose=False)
        self._preprocess = resemblyzer.preprocess_wav
        self._lock = threading.Lock()
        self.quality = quality or AudioQualityParams()
        self.version = f"resemblyzer {_version('resemblyzer')} GE2E, torch {torch.__version__}"

    def analyse(self, wav: Audio, rate: int) -> VoiceAnalysis:
        """Quality and, when the speech is usable, the embedding of one recording."""
        silent = measure_audio(wav, rate, speech_samples=0)
        if silent.level_dbfs < self.quality.silence_dbfs:
            return VoiceAnalysis(silent, (rc.VOICE_NO_SPEECH,))
        with self._lock:
            speech = self._preprocess(np.asarray(wav, dtype=np.float32), source_sr=rate)
            quality = measure_audio(
                wav, rate, speech_samples=round(len(speech) * rate / MODEL_RATE)
            )
            found = audio_quality_reasons(quality, self.quality)
            if rc.VOICE_NO_SPEECH in found or rc.VOICE_TOO_SHORT in found:
                return VoiceAnalysis(quality, found)
            embedding = np.asarray(self._encoder.embed_utterance(speech), dtype=np.float64)
        return VoiceAnalysis(quality, found, embedding)


def _version(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "unknown"


def shared_voice_engine(threads: int | None = 1) -> VoiceEngine:
    """The process's voice engine, loaded on first use (a few seconds, mostly torch)."""
    return _voice_engine(threads)


@lru_cache(maxsize=2)
def _voice_engine(threads: int | None) -> VoiceEngine:
    return VoiceEngine(threads=threads)
