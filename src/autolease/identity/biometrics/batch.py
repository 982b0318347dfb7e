"""Lists of face pairs and voice trials for the batch CLI modes (pure: text in, paths out).

A batch runs in one process, so the face and voice models load once instead of once per
comparison. Both lists are comma- (or tab-) separated, one comparison per line; blank lines
and lines starting with ``#`` are skipped, a first line of column names is skipped, and
relative paths are read from the list's own folder.

Face pairs: ``image_a,image_b``. Voice trials: ``enrol,probe`` where ``enrol`` holds one or
more recordings separated by ``;``.

>>> pairs = read_pairs("image_a,image_b\\nselfie.jpg,/ids/card.jpg\\n", Path("/in"))
>>> [(a.as_posix(), b.as_posix()) for a, b in pairs]
[('/in/selfie.jpg', '/ids/card.jpg')]
>>> trials = read_trials("a0.flac;a1.flac,a2.flac\\n", Path("/in"))
>>> [p.name for p in trials[0][0]], trials[0][1].name
(['a0.flac', 'a1.flac'], 'a2.flac')
"""

from __future__ import annotations

from pathlib import Path

from autolease.identity.biometrics.exceptions import SampleInvalid

FACE_HEADER = ("image_a", "image_b")
VOICE_HEADER = ("enrol", "probe")


def _rows(text: str, header: tuple[str, str], field: str) -> list[tuple[int, list[str]]]:
    rows: list[tuple[int, list[str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.replace("\t", ",").split(",")]
        if not rows and tuple(c.lower() for c in cells) == header:
            continue
        if len(cells) != 2 or not all(cells):
            raise SampleInvalid(
                field,
                "format",
                f"line {number}: expected {','.join(header)}",
                f"第 {number} 行应为 {','.join(header)}",
            )
        rows.append((number, cells))
    if not rows:
        raise SampleInvalid(field, "empty", "the list holds no comparison", "列表中没有比对项")
    return rows


def _path(cell: str, folder: Path) -> Path:
    path = Path(cell)
    return path if path.is_absolute() else folder / path


def read_pairs(text: str, folder: Path) -> list[tuple[Path, Path]]:
    """The (image_a, image_b) pairs of a face-pairs list."""
    return [
        (_path(a, folder), _path(b, folder)) for _, (a, b) in _rows(text, FACE_HEADER, "--pairs")
    ]


def read_trials(text: str, folder: Path) -> list[tuple[list[Path], Path]]:
    """The (enrolment recordings, probe) trials of a voice-trials list."""
    out: list[tuple[list[Path], Path]] = []
    for _, (enrol, probe) in _rows(text, VOICE_HEADER, "--trials"):
        files = [_path(p.strip(), folder) for p in enrol.split(";") if p.strip()]
        out.append((files, _path(probe, folder)))
    return out
