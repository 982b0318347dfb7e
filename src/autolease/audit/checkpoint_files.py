"""Checkpoint files: write one to a file or a directory, read them back (file I/O).

A directory collects checkpoints: each write creates a new file named after its time and seq
and never replaces one (a hard link from a temporary file, which fails if the name exists). A
file path holds the latest checkpoint and is replaced atomically.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from autolease.audit.checkpoint import Checkpoint, CheckpointInvalid, dumps, loads

PATTERN = "audit-checkpoint-*.json"


def write(out: Path, checkpoint: Checkpoint) -> Path:
    """Write `checkpoint` to the file `out`, or to a new file in the directory `out`."""
    text = dumps(checkpoint)
    if out.is_dir():
        return _write_new(out, checkpoint, text)
    _replace(out, text)
    return out


def read(path: Path, key: bytes) -> list[tuple[Path, Checkpoint]]:
    """The authenticated checkpoints in the file `path` or in the directory `path`.

    Raises `CheckpointInvalid` naming the first file that cannot be trusted.
    """
    files = sorted(path.glob(PATTERN)) if path.is_dir() else [path]
    found = []
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise CheckpointInvalid(f"{file}: cannot be read ({err.__class__.__name__})") from err
        try:
            found.append((file, loads(text, key)))
        except CheckpointInvalid as err:
            raise CheckpointInvalid(f"{file}: {err}") from err
    return found


def _name(checkpoint: Checkpoint, n: int) -> str:
    stamp = checkpoint.at.strftime("%Y%m%dT%H%M%S%fZ")
    suffix = f"-{n}" if n else ""
    return f"audit-checkpoint-{stamp}-seq{checkpoint.seq}{suffix}.json"


def _write_new(directory: Path, checkpoint: Checkpoint, text: str) -> Path:
    temporary = _temporary(directory, text)
    try:
        for n in range(100):
            target = directory / _name(checkpoint, n)
            try:
                os.link(temporary, target)
            except FileExistsError:
                continue
            return target
        raise FileExistsError(f"no free checkpoint name in {directory}")
    finally:
        temporary.unlink()


def _replace(target: Path, text: str) -> None:
    temporary = _temporary(target.parent, text)
    try:
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _temporary(directory: Path, text: str) -> Path:
    handle, name = tempfile.mkstemp(prefix=".checkpoint-", dir=directory)
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())
    return Path(name)
