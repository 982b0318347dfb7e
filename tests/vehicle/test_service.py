"""Wiring: the valuer cache and build_vehicle_stage from settings."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from autolease.origination.pipeline import Severity
from autolease.vehicle import service
from autolease.vehicle.history import EmptyHistoryProvider
from autolease.vehicle.settings import VehicleSettings


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    service.clear_cache()
    yield
    service.clear_cache()


class TestBuildStage:
    def test_with_a_registered_model(self, artifacts: Path) -> None:
        stage = service.build_vehicle_stage(
            VehicleSettings(ltv_basis="p50"), artifacts, "valuation@1"
        )
        assert stage.valuer is not None
        assert stage.valuer.ref == "valuation@1"
        assert stage.ltv_basis == "p50"
        assert isinstance(stage.history, service.GuardedHistoryProvider)
        assert isinstance(stage.history.provider, EmptyHistoryProvider)
        assert stage.history.guard.remote is False

    def test_without_a_champion_the_valuer_is_none(self, artifacts: Path) -> None:
        stage = service.build_vehicle_stage(VehicleSettings(), artifacts, None)
        assert stage.valuer is None

    def test_valuation_switched_off(self, artifacts: Path) -> None:
        settings = VehicleSettings(valuation_model=None)
        stage = service.build_vehicle_stage(settings, artifacts, "valuation@1")
        assert stage.valuer is None

    def test_unavailable_severity_can_be_lowered(self, tmp_path: Path) -> None:
        settings = VehicleSettings(valuation_unavailable_severity="info")
        stage = service.build_vehicle_stage(settings, tmp_path, None)
        assert stage.unavailable_severity == Severity.INFO

    def test_the_valuer_is_loaded_once(self, artifacts: Path) -> None:
        first = service.cached_valuer(artifacts, "valuation@latest")
        assert first is service.cached_valuer(artifacts, "valuation@latest")

    def test_a_version_folder_loads_directly(self, artifacts: Path) -> None:
        valuer = service.load_valuer(artifacts / "valuation" / "1", "ignored")
        assert valuer.ref == "valuation@1"

    def test_missing_book_is_an_error(self, tmp_path: Path) -> None:
        settings = VehicleSettings(history_book_dir=tmp_path)
        with pytest.raises(FileNotFoundError):
            service.build_vehicle_stage(settings, tmp_path, None)


class TestArtifactPath:
    @pytest.mark.parametrize(
        ("out", "expected"),
        [("art", ("art", "valuation")), ("art/valuation", ("art", "valuation"))],
    )
    def test_root_or_valuation_folder(self, out: str, expected: tuple[str, str]) -> None:
        root, name = service.artifact_path(Path(out))
        assert (str(root), name) == expected
