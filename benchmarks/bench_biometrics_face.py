"""Face verification quality and speed on the face_recognition example photos.

Usage: python -m benchmarks.bench_biometrics_face [--data DIR] [--threshold 0.6] [--repeat 20]
       [--all-cores]

Every same-person and different-person pair of the single-identity photos among the
face_recognition example photos (docs/domain.md §7.3; `--data`; byte-identical copies counted
once; photos with several people left out, and reported) is verified at dlib's distance threshold:
accuracy, false-accept and false-reject rates, and the equal error rate. Speed is one full
verification from file bytes (decode both images, detect, align, embed, compare), pinned to
one core unless --all-cores.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import time
from pathlib import Path

from autolease.identity.biometrics.face_engine import FaceEngine
from autolease.identity.biometrics.faces import FaceAnalysis, compare
from autolease.identity.biometrics.media import decode_image
from autolease.identity.biometrics.scoring import (
    equal_error_rate,
    error_rates,
    face_similarity,
)
from benchmarks.common import emit, machine, peak_rss_mb, percentiles_ms

DEFAULT_DATA = (
    Path(__file__).resolve().parents[2] / "shared/data/biometrics/face_recognition_examples"
)
LIMITS = {"max_bytes": 10**8, "max_pixels": 10**8}
# Identity of each single-person photo, from the data set's source notes.
TEST_IDS = {
    "alex_lacamoire1.jpg": "alex_lacamoire",
    "johnsnow_test1.jpg": "kit_harington",
    "obama1.jpg": "obama",
    "biden.jpg": "biden",
    "obama.jpg": "obama",
    "obama2.jpg": "obama",
    "obama3.jpg": "obama",
    "obama_partial_face.jpg": "obama",
    "obama_partial_face2.jpg": "obama",
    "32bit.png": "obama",
}
GROUP_PHOTOS = {"kit_with_rose.jpg", "obama_and_biden.jpg"}


def labelled_photos(root: Path) -> tuple[list[tuple[Path, str]], list[str]]:
    """(path, identity) of the single-identity photos, byte duplicates dropped."""
    seen: set[str] = set()
    photos: list[tuple[Path, str]] = []
    skipped: list[str] = []
    for path in sorted(p for p in root.rglob("*") if p.suffix.lower() in {".jpg", ".jpeg", ".png"}):
        if path.name in GROUP_PHOTOS:
            skipped.append(f"{path.name} (several people)")
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest in seen:
            skipped.append(f"{path.relative_to(root)} (byte copy)")
            continue
        seen.add(digest)
        who = path.parent.name if path.parent.parent.name == "train" else TEST_IDS[path.name]
        photos.append((path, who))
    return photos, skipped


def quality(engine: FaceEngine, photos: list[tuple[Path, str]], threshold: float) -> None:
    analyses: dict[Path, FaceAnalysis] = {}
    for path, _ in photos:
        analyses[path] = engine.analyse(decode_image(path.read_bytes(), field="image", **LIMITS))
    genuine: list[float] = []
    impostor: list[float] = []
    inconclusive = 0
    for (a, who_a), (b, who_b) in itertools.combinations(photos, 2):
        result = compare(analyses[a], analyses[b], distance_threshold=threshold).result
        if result.decision.value == "inconclusive":
            inconclusive += 1
            continue
        (genuine if who_a == who_b else impostor).append(result.score)
    rates = error_rates(genuine, impostor, face_similarity(threshold))
    eer = equal_error_rate(genuine, impostor)
    emit(
        "biometrics_face_quality",
        photos=len(photos),
        identities=len({who for _, who in photos}),
        same_person_pairs=len(genuine),
        different_person_pairs=len(impostor),
        inconclusive_pairs=inconclusive,
        distance_threshold=threshold,
        accuracy=round(rates.accuracy, 4),
        false_accept_rate=round(rates.false_accept_rate, 4),
        false_reject_rate=round(rates.false_reject_rate, 4),
        eer=round(eer.eer, 4),
        eer_distance_threshold=round(1 - eer.threshold, 4),
        closest_different_distance=round(1 - max(impostor), 4),
        farthest_same_distance=round(1 - min(genuine), 4),
        reference="dlib ResNet, LFW 99.38 %",
    )


def speed(
    engine: FaceEngine, photos: list[tuple[Path, str]], threshold: float, repeat: int
) -> None:
    pairs = list(itertools.combinations([p for p, _ in photos], 2))[: max(1, repeat)]
    blobs = [(a.read_bytes(), b.read_bytes()) for a, b in pairs]
    samples: list[float] = []
    for _ in range(2):  # warm-up
        compare(
            engine.analyse(decode_image(blobs[0][0], field="a", **LIMITS)),
            engine.analyse(decode_image(blobs[0][1], field="b", **LIMITS)),
            distance_threshold=threshold,
        )
    for first, second in blobs:
        started = time.perf_counter()
        compare(
            engine.analyse(decode_image(first, field="a", **LIMITS)),
            engine.analyse(decode_image(second, field="b", **LIMITS)),
            distance_threshold=threshold,
        )
        samples.append(time.perf_counter() - started)
    emit(
        "biometrics_face_verify_latency",
        **percentiles_ms(samples),
        cores=sorted(os.sched_getaffinity(0)),
        max_side=engine.max_side,
        goal_ms=500,
        peak_rss_mb=peak_rss_mb(),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--threshold", type=float, default=0.6)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--all-cores", action="store_true")
    args = parser.parse_args()
    if not args.all_cores:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    photos, skipped = labelled_photos(args.data)
    started = time.perf_counter()
    engine = FaceEngine()
    emit("biometrics_face_load", seconds=round(time.perf_counter() - started, 3), skipped=skipped)
    quality(engine, photos, args.threshold)
    speed(engine, photos, args.threshold, args.repeat)
    emit("biometrics_face_machine", engine=engine.version, **machine())


if __name__ == "__main__":
    main()
