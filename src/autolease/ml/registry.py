"""Model artifacts on disk: ``<root>/<name>/<version>/`` with files and a ``manifest.json``.

The manifest records name, version, created_at, training window, features with dtypes,
metrics, the sha256 of every file and the code version. `load` verifies every hash before
anything is read, so a changed or truncated file fails loudly. Files are native formats
(LightGBM text, JSON, CSV); pickle is never used.

>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> m = save(root, "demo", "1", {"model.json": b"{}"}, features=[Feature("x", "float")],
...          metrics={"auc": 0.7}, created_at="2026-11-29T00:00:00+00:00")
>>> load(root, "demo", "1").files["model.json"] == m.files["model.json"]
True
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from autolease import __version__
from autolease.ml.card import CARD_FILE, render

MANIFEST = "manifest.json"
_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class ArtifactError(ValueError):
    """An artifact is missing, malformed, or its files do not match the manifest."""


@dataclass(frozen=True)
class Feature:
    """One input: name, dtype and, where known, its value domain (``{"categories": [...]}``)."""

    name: str
    dtype: str
    description: str = ""
    domain: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Manifest:
    name: str
    version: str
    created_at: str
    features: tuple[Feature, ...]
    metrics: dict[str, Any]
    files: dict[str, str]
    training_window: dict[str, str] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    code_version: str = __version__
    card: dict[str, Any] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        return f"{self.name}@{self.version}"

    def to_json(self) -> str:
        data = asdict(self)
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def artifact_dir(root: Path, name: str, version: str) -> Path:
    """``<root>/<name>/<version>``; a name may have one namespace (``external/credit_gbm``)."""
    if not _SAFE.match(version):
        raise ArtifactError(f"unsafe artifact name or version {version!r}")
    return root.joinpath(*name_parts(name), version)


def name_parts(name: str) -> list[str]:
    """The folders of a model name, each checked (no ``..``, no absolute paths)."""
    parts = name.split("/")
    if len(parts) > 2:
        raise ArtifactError(f"unsafe artifact name {name!r}: one namespace at most")
    for part in parts:
        if not _SAFE.match(part):
            raise ArtifactError(f"unsafe artifact name or version {part!r}")
    return parts


def save(
    root: Path,
    name: str,
    version: str,
    files: dict[str, bytes],
    *,
    features: list[Feature],
    metrics: dict[str, Any],
    created_at: str,
    training_window: dict[str, str] | None = None,
    params: dict[str, Any] | None = None,
    card: dict[str, Any] | None = None,
) -> Manifest:
    """Write `files` and a manifest; refuses to overwrite an existing version.

    With `card` (``ml.card.card_facts``), the facts go in the manifest and ``model_card.md``
    is written beside it (a rendering of the manifest, so not itself in ``files``).
    """
    target = artifact_dir(root, name, version)
    if (target / MANIFEST).exists():
        raise ArtifactError(f"{name}@{version} exists; versions are immutable")
    target.mkdir(parents=True, exist_ok=True)
    hashes = {}
    for filename, data in files.items():
        if not _SAFE.match(filename) or filename == MANIFEST:
            raise ArtifactError(f"unsafe file name {filename!r}")
        (target / filename).write_bytes(data)
        hashes[filename] = sha256_bytes(data)
    manifest = Manifest(
        name=name,
        version=version,
        created_at=created_at,
        features=tuple(features),
        metrics=metrics,
        files=hashes,
        training_window=training_window or {},
        params=params or {},
        card=card or {},
    )
    (target / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
    if card:
        (target / CARD_FILE).write_text(render_card(manifest), encoding="utf-8")
    return manifest


def render_card(
    manifest: Manifest, approvals: list[dict[str, Any]] | None = None, stage: str | None = None
) -> str:
    """The Markdown model card of `manifest` (``approvals`` from the store, when known)."""
    return render(
        manifest.card,
        ref=manifest.ref,
        window=manifest.training_window,
        created_at=manifest.created_at,
        approvals=approvals,
        stage=stage,
    )


@dataclass(frozen=True)
class LoadedArtifact:
    manifest: Manifest
    files: dict[str, bytes]
    path: Path


def load(root: Path, name: str, version: str) -> LoadedArtifact:
    return load_dir(artifact_dir(root, name, version))


def load_dir(path: Path) -> LoadedArtifact:
    """Read an artifact folder, verifying every file's sha256 against the manifest."""
    manifest = read_manifest(path)
    files = {}
    for filename, expected in manifest.files.items():
        file_path = path / filename
        if not file_path.is_file():
            raise ArtifactError(f"{manifest.ref}: file {filename} is missing")
        data = file_path.read_bytes()
        if sha256_bytes(data) != expected:
            raise ArtifactError(f"{manifest.ref}: file {filename} does not match its sha256")
        files[filename] = data
    return LoadedArtifact(manifest, files, path)


def read_manifest(path: Path) -> Manifest:
    try:
        raw = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
        raw["features"] = tuple(Feature(**f) for f in raw["features"])
        return Manifest(**raw)
    except FileNotFoundError as exc:
        raise ArtifactError(f"no manifest in {path}") from exc
    except (KeyError, TypeError, json.JSONDecodeError) as exc:
        raise ArtifactError(f"malformed manifest in {path}: {exc}") from exc


def versions(root: Path, name: str) -> list[str]:
    base = root.joinpath(*name_parts(name))
    if not base.is_dir():
        return []
    return sorted(p.name for p in base.iterdir() if (p / MANIFEST).is_file())


def resolve(root: Path, ref: str) -> LoadedArtifact:
    """Load ``name@version`` or ``name@latest`` (the highest version, compared as text)."""
    name, _, version = ref.partition("@")
    if version in ("", "latest"):
        found = versions(root, name)
        if not found:
            raise ArtifactError(f"no versions of {name!r} under {root}")
        version = found[-1]
    return load(root, name, version)
