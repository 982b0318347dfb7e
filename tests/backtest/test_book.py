from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from autolease.backtest.book import BOOK_COLUMNS, _signing, left_join, load_book
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


def _rewrite(path: Path, change: Callable[[pa.Table], pa.Table]) -> None:
    pq.write_table(change(pq.read_table(path)), path)


def _shuffled(table: pa.Table) -> pa.Table:
    return table.take(np.random.default_rng(3).permutation(table.num_rows))


class TestJoin:
    def test_tables_in_another_row_order_join_the_same(
        self, book: pd.DataFrame, book_dir: Path, tmp_path: Path
    ) -> None:
        copy = tmp_path / "book"
        shutil.copytree(book_dir, copy)
        for table in ("applicants", "vehicles", "sps", "bureau", "truth"):
            _rewrite(copy / f"{table}.parquet", _shuffled)
        pd.testing.assert_frame_equal(load_book(copy), book, check_exact=True)

    def test_a_missing_applicant_leaves_blanks_like_a_merge(
        self, book: pd.DataFrame, book_dir: Path, tmp_path: Path
    ) -> None:
        copy = tmp_path / "book"
        shutil.copytree(book_dir, copy)
        first = int(book["application_id"].iloc[0])
        apps = pq.read_table(copy / "applications.parquet", columns=["applicant_id"])
        gone = apps["applicant_id"][0].as_py()
        _rewrite(copy / "applicants.parquet", lambda t: t.filter(pc.field("applicant_id") != gone))
        loaded = load_book(copy)
        row = loaded[loaded["application_id"] == first].iloc[0]
        assert pd.isna(row["person_name"])
        assert pd.isna(row["applicant_kind"])
        assert loaded["applicant_kind"].dtype == book["applicant_kind"].dtype
        kept = loaded["application_id"] != first
        pd.testing.assert_series_equal(loaded["person_name"][kept], book["person_name"][kept])

    def test_join_equals_a_left_merge(self) -> None:
        frame = pd.DataFrame({"k": [3, 1, 2], "a": ["x", "y", "z"]})
        cases = {
            "aligned": pd.DataFrame({"k": [3, 1, 2, 9], "b": [0.5, 1.5, 2.5, 9.5]}),
            "shuffled": pd.DataFrame({"k": [1, 2, 3], "b": [True, False, True]}),
            "missing": pd.DataFrame({"k": [1, 3], "b": [True, False]}),
            "repeated": pd.DataFrame({"k": [1, 1, 2, 3], "b": [1, 2, 3, 4]}),
        }
        for name, table in cases.items():
            expected = frame.merge(table, on="k", how="left")
            pd.testing.assert_frame_equal(left_join(frame, table, "k"), expected, obj=name)

    def test_text_columns_are_strings_not_categories(self, book: pd.DataFrame) -> None:
        for column in ("applicant_kind", "fuel_type", "lead_source", "sp_grade", "person_name"):
            assert book[column].dtype == "str", column


class TestSigning:
    def test_a_company_signs_through_its_legal_representative(self) -> None:
        people = pd.DataFrame(
            {
                "kind": pd.Categorical(["individual", "corporate", None]),
                "name": ["Li", "Acme", "Wu"],
                "id_number": ["1", None, "3"],
                "phone": ["p1", "p2", "p3"],
                "legal_rep_name": [None, "Zhao", None],
                "legal_rep_id_number": [None, "2", None],
                "legal_rep_phone": [None, "r2", None],
            }
        )
        signing = _signing(people)
        assert signing.columns.tolist() == ["kind", "name", "id_number", "phone"]
        assert signing["name"].tolist() == ["Li", "Zhao", "Wu"]
        assert signing["id_number"].tolist() == ["1", "2", "3"]
        assert signing["phone"].tolist() == ["p1", "r2", "p3"]
