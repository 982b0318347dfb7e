"""A small synthetic book shared by the backtest tests (generated once per session)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from autolease.backtest.book import load_book
from autolease.decision.files import load_all, packaged_root
from autolease.decision.jdm import PolicyDocument
from autolease.synth.config import SynthConfig
from autolease.synth.writer import write_book

N_BOOK = 1_200


@pytest.fixture(scope="session")
def book_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("book")
    write_book(
        SynthConfig(n_applications=N_BOOK, seed=11, chunk_size=1_000, row_group_size=1_000), out
    )
    return out


@pytest.fixture(scope="session")
def book(book_dir: Path) -> pd.DataFrame:
    return load_book(book_dir)


@pytest.fixture(scope="session")
def policies() -> dict[str, PolicyDocument]:
    return {f.document.key: f.document for f in load_all(packaged_root())}
