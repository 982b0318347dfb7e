from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from autolease.app import create_app
from autolease.runtime import Runtime


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


@pytest.mark.usefixtures("unfrozen")
class TestStartupHeapFreeze:
    def _start(self, runtime: Runtime, freeze: bool, monkeypatch: pytest.MonkeyPatch) -> int:
        monkeypatch.setattr(runtime.settings.api, "freeze_startup_heap", freeze)
        with TestClient(create_app(runtime=runtime)) as client:
            assert client.get("/health").status_code == 200
            return gc.get_freeze_count()

    def test_start_up_moves_the_heap_to_the_permanent_generation(
        self, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        assert self._start(runtime, True, monkeypatch) > 10_000

    def test_the_setting_turns_it_off(
        self, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        assert self._start(runtime, False, monkeypatch) == 0
