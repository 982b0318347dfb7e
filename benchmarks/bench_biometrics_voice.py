"""Speaker verification quality and speed on five LibriSpeech speakers.

Usage: python -m benchmarks.bench_biometrics_voice [--data DIR] [--enrol 3] [--repeat 30]
       [--all-cores]

Each speaker in the LibriSpeech sample (docs/domain.md §7.3; `--data`) is enrolled on its first
`--enrol` utterances (sorted by file name); every other utterance is scored against every
enrolled speaker: same speaker = genuine trial, other speaker = impostor trial. Reports the
equal error rate and the rates at the configured threshold. Speed is one verification of a
5-second clip from file bytes (decode, resample, VAD, embed, compare), pinned to one core and
one torch thread unless --all-cores.
"""

from __future__ import annotations

import argparse
import io
import os
import time
from pathlib import Path

import numpy as np

from autolease.identity.biometrics.media import decode_audio
from autolease.identity.biometrics.scoring import equal_error_rate, error_rates
from autolease.identity.biometrics.settings import BiometricsSettings
from autolease.identity.biometrics.voice_engine import VoiceEngine
from autolease.identity.biometrics.voices import VoiceAnalysis, compare_voice, enrolment
from benchmarks.common import emit, machine, peak_rss_mb, percentiles_ms

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/data/biometrics/librispeech_speakers"
LIMITS = {"max_bytes": 10**8, "max_seconds": 120.0}


def analyse(engine: VoiceEngine, data: bytes) -> VoiceAnalysis:
    return engine.analyse(*decode_audio(data, field="file", **LIMITS))


def quality(engine: VoiceEngine, root: Path, n_enrol: int, threshold: float) -> None:
    speakers = sorted(p for p in root.iterdir() if p.is_dir())
    files = {s.name: sorted(s.glob("*.flac")) for s in speakers}
    utterances = {
        name: [analyse(engine, f.read_bytes()) for f in paths] for name, paths in files.items()
    }
    templates = {name: enrolment(u[:n_enrol]).embedding for name, u in utterances.items()}
    genuine: list[float] = []
    impostor: list[float] = []
    unusable = 0
    for name, analysed in utterances.items():
        for probe in analysed[n_enrol:]:
            for other, template in templates.items():
                score = compare_voice(probe, template, threshold=threshold).score
                if score is None:
                    unusable += 1
                    continue
                (genuine if other == name else impostor).append(score)
    rates = error_rates(genuine, impostor, threshold)
    eer = equal_error_rate(genuine, impostor)
    durations = [u.quality.duration_s for us in utterances.values() for u in us]
    emit(
        "biometrics_voice_quality",
        speakers=len(speakers),
        enrol_utterances=n_enrol,
        genuine_trials=len(genuine),
        impostor_trials=len(impostor),
        unusable_trials=unusable,
        threshold=threshold,
        accuracy=round(rates.accuracy, 4),
        false_accept_rate=round(rates.false_accept_rate, 4),
        false_reject_rate=round(rates.false_reject_rate, 4),
        eer=round(eer.eer, 4),
        eer_threshold=round(eer.threshold, 4),
        lowest_genuine=round(min(genuine), 4),
        highest_impostor=round(max(impostor), 4),
        clip_seconds_min_max=[round(min(durations), 2), round(max(durations), 2)],
        reference="GE2E text-independent EER 3.55 % (its own data)",
    )


def five_second_clip(root: Path) -> bytes:
    import soundfile

    for path in sorted(root.rglob("*.flac")):
        wav, rate = soundfile.read(path, dtype="float32")
        if len(wav) >= 5 * rate:
            buffer = io.BytesIO()
            soundfile.write(buffer, wav[: 5 * rate], rate, format="FLAC")
            return buffer.getvalue()
    raise SystemExit("no clip of 5 s or more")


def speed(engine: VoiceEngine, root: Path, threshold: float, repeat: int) -> None:
    clip = five_second_clip(root)
    template = np.ones(256) / 16.0
    for _ in range(3):
        compare_voice(analyse(engine, clip), template, threshold=threshold)
    samples: list[float] = []
    for _ in range(repeat):
        started = time.perf_counter()
        compare_voice(analyse(engine, clip), template, threshold=threshold)
        samples.append(time.perf_counter() - started)
    emit(
        "biometrics_voice_verify_latency_5s",
        **percentiles_ms(samples),
        cores=sorted(os.sched_getaffinity(0)),
        goal_ms=300,
        peak_rss_mb=peak_rss_mb(),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--enrol", type=int, default=3)
    parser.add_argument("--threshold", type=float, default=BiometricsSettings().voice_threshold)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--all-cores", action="store_true")
    args = parser.parse_args()
    threads = None
    if not args.all_cores:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        threads = 1
    started = time.perf_counter()
    engine = VoiceEngine(threads=threads)
    emit("biometrics_voice_load", seconds=round(time.perf_counter() - started, 3))
    quality(engine, args.data, args.enrol, args.threshold)
    speed(engine, args.data, args.threshold, args.repeat)
    emit("biometrics_voice_machine", engine=engine.version, **machine())


if __name__ == "__main__":
    main()
