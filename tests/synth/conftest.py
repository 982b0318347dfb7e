"""Shared synthetic books (generated once per session; small and fast)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from autolease.synth.book import generate_tables
from autolease.synth.config import SynthConfig
from autolease.synth.writer import write_book

SMALL = SynthConfig(n_applications=2_000, seed=11, chunk_size=1_000, row_group_size=1_000)
MEDIUM = SynthConfig(n_applications=20_000, seed=3)


@pytest.fixture(scope="session")
def small_book() -> dict[str, Any]:
    return generate_tables(SMALL)


@pytest.fixture(scope="session")
def medium_book() -> dict[str, Any]:
    return generate_tables(MEDIUM)


@pytest.fixture(scope="session")
def written_small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("book")
    write_book(SMALL, out)
    return out
