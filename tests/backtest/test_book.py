from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from autolease.backtest.book import BOOK_COLUMNS, load_book
from autolease.backtest.exceptions import BookInvalid
from tests.backtest.conftest import N_BOOK


class TestLoadBook:
    def test_one_row_per_application_with_every_column(self, book: pd.DataFrame) -> None:
        assert len(book) == N_BOOK
        assert set(BOOK_COLUMNS) <= set(book.columns)
        assert book["application_id"].is_monotonic_increasing
        assert book["application_id"].is_unique

    def test_corporate_rows_carry_the_legal_representative(self, book: pd.DataFrame) -> None:
        corporate = book[book["applicant_kind"] == "corporate"]
        assert len(corporate) > 0
        assert corporate["id_number"].notna().all()
        assert corporate["uscc"].str.startswith(("91", "92")).all()

    def test_observed_defaults_only_for_booked_rows(self, book: pd.DataFrame) -> None:
        assert book.loc[~book["booked"], "default_flag"].isna().all()
        assert book.loc[book["booked"], "default_flag"].notna().all()

    def test_limit_keeps_the_first_applications(self, book_dir: Path) -> None:
        assert load_book(book_dir, limit=10)["application_id"].tolist() == list(range(1, 11))

    def test_scores_file_is_joined(self, book_dir: Path, tmp_path: Path) -> None:
        copy = tmp_path / "book"
        shutil.copytree(book_dir, copy)
        pd.DataFrame({"application_id": [1, 2], "credit_pd": [0.1, 0.2]}).to_parquet(
            copy / "scores.parquet"
        )
        loaded = load_book(copy, limit=3)
        assert loaded["credit_pd"].tolist()[:2] == [0.1, 0.2]
        assert pd.isna(loaded["credit_pd"].iloc[2])

    def test_a_missing_table_is_named(self, book_dir: Path, tmp_path: Path) -> None:
        copy = tmp_path / "book"
        shutil.copytree(book_dir, copy)
        (copy / "bureau.parquet").unlink()
        with pytest.raises(BookInvalid, match=r"bureau\.parquet is missing") as err:
            load_book(copy)
        assert err.value.errors[0].field == "data.bureau"
