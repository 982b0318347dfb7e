from __future__ import annotations

from pathlib import Path

import pytest

from autolease.ml import registry
from autolease.ml.registry import ArtifactError, Feature


def save_demo(root: Path, version: str = "1") -> registry.Manifest:
    return registry.save(
        root,
        "pd",
        version,
        {"model.txt": b"tree", "points.csv": b"a,b\n"},
        features=[Feature("income", "float", "monthly income")],
        metrics={"auc": 0.75},
        created_at="2026-11-29T00:00:00+00:00",
        training_window={"from": "2025-01", "to": "2025-12"},
    )


class TestRegistry:
    def test_round_trip_verifies_hashes(self, tmp_path: Path) -> None:
        manifest = save_demo(tmp_path)
        loaded = registry.load(tmp_path, "pd", "1")
        assert loaded.manifest == manifest
        assert loaded.files["model.txt"] == b"tree"
        assert loaded.manifest.features[0].name == "income"

    def test_changed_file_is_refused(self, tmp_path: Path) -> None:
        save_demo(tmp_path)
        (tmp_path / "pd" / "1" / "model.txt").write_bytes(b"evil")
        with pytest.raises(ArtifactError, match="sha256"):
            registry.load(tmp_path, "pd", "1")

    def test_missing_file_is_refused(self, tmp_path: Path) -> None:
        save_demo(tmp_path)
        (tmp_path / "pd" / "1" / "points.csv").unlink()
        with pytest.raises(ArtifactError, match="missing"):
            registry.load(tmp_path, "pd", "1")

    def test_versions_are_immutable(self, tmp_path: Path) -> None:
        save_demo(tmp_path)
        with pytest.raises(ArtifactError, match="immutable"):
            save_demo(tmp_path)

    def test_resolve_latest(self, tmp_path: Path) -> None:
        save_demo(tmp_path, "1")
        save_demo(tmp_path, "2")
        assert registry.resolve(tmp_path, "pd@latest").manifest.version == "2"
        assert registry.resolve(tmp_path, "pd@1").manifest.version == "1"

    def test_unsafe_names_are_refused(self, tmp_path: Path) -> None:
        with pytest.raises(ArtifactError, match="unsafe"):
            registry.artifact_dir(tmp_path, "../etc", "1")

    def test_malformed_manifest(self, tmp_path: Path) -> None:
        (tmp_path / "x").mkdir()
        (tmp_path / "x" / "manifest.json").write_text("{}")
        with pytest.raises(ArtifactError, match="malformed"):
            registry.load_dir(tmp_path / "x")
