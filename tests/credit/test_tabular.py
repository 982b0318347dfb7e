"""Tests for autolease.credit.tabular and .encoding: any table → frame, target, schema, matrix."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from autolease.credit.encoding import ColumnSpec, InputSchema, encode, encode_row
from autolease.credit.exceptions import CreditDataInvalid
from autolease.credit.tabular import (
    binary_target,
    clean_names,
    detect_header,
    infer_schema,
    parse_table,
    resolve_column,
    sniff_delimiter,
)

SCHEMA = InputSchema(
    (ColumnSpec("age", "numeric"), ColumnSpec("home", "categorical", ("own", "rent")))
)


class TestParseTable:
    def test_whitespace_without_header(self) -> None:
        frame = parse_table("A11 6 A34 1\nA12 48 A32 2\nA14 12 A34 1\n")
        assert list(frame.columns) == ["col_0", "col_1", "col_2", "col_3"]
        assert frame["col_1"].tolist() == [6.0, 48.0, 12.0]
        assert frame["col_0"].tolist() == ["A11", "A12", "A14"]

    def test_semicolon_with_odd_header_and_bom(self) -> None:
        frame = parse_table('\ufeff "Age" ; Home ;;Status\n30;rent;1;good\n41;own;2;bad\n')
        assert list(frame.columns) == ["Age", "Home", "col_2", "Status"]

    def test_missing_markers_become_nan(self) -> None:
        frame = parse_table("x,y\n1,a\n?,NA\n3,\n")
        assert frame["x"].isna().tolist() == [False, True, False]
        assert frame["y"].isna().tolist() == [False, True, True]
        assert frame["x"].dtype == np.float64

    def test_quoted_delimiter_inside_a_value(self) -> None:
        frame = parse_table('name,v\n"Smith, J",1\n"Lee, K",2\n')
        assert frame["name"].tolist() == ["Smith, J", "Lee, K"]

    def test_explicit_header_and_separator(self) -> None:
        frame = parse_table("1|2\n3|4\n", sep="|", header=True)
        assert list(frame.columns) == ["1", "2"]
        assert frame["1"].tolist() == [3.0]

    def test_empty_text_is_refused(self) -> None:
        with pytest.raises(CreditDataInvalid, match="empty"):
            parse_table("  \n")

    def test_ragged_rows_are_refused(self) -> None:
        with pytest.raises(CreditDataInvalid, match="cannot be parsed"):
            parse_table("a,b\n1,2\n1,2,3,4\n", sep=",")


class TestSniffDelimiter:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [("a,b\n1,2\n", ","), ("a\tb\n1\t2\n", "\t"), ("a;b\n1;2\n", ";"), ("a b\n1 2\n", r"\s+")],
    )
    def test_delimiters(self, text: str, expected: str) -> None:
        assert sniff_delimiter(text) == expected


class TestDetectHeader:
    def test_names_are_a_header(self) -> None:
        raw = pd.DataFrame([["age", "home"], ["30", "own"], ["40", "rent"]])
        assert detect_header(raw) is True

    def test_repeated_value_is_not_a_header(self) -> None:
        raw = pd.DataFrame([["A11", "x"], ["A11", "y"]])
        assert detect_header(raw) is False

    def test_number_in_first_row_is_not_a_header(self) -> None:
        raw = pd.DataFrame([["a", "5"], ["b", "6"]])
        assert detect_header(raw) is False


class TestCleanNames:
    def test_blank_and_duplicate_names(self) -> None:
        assert clean_names(["x", " ", "x", "'q'"]) == ["x", "col_1", "x_2", "q"]


class TestResolveColumn:
    frame = pd.DataFrame({"Loan Status": [1], "b": [2], "c": [3]})

    @pytest.mark.parametrize(
        ("ref", "expected"),
        [("b", "b"), ("loan_status", "Loan Status"), ("0", "Loan Status"), ("-1", "c")],
    )
    def test_found(self, ref: str, expected: str) -> None:
        assert resolve_column(self.frame, ref) == expected

    def test_unknown_lists_columns(self) -> None:
        with pytest.raises(CreditDataInvalid, match="columns are: Loan Status, b, c"):
            resolve_column(self.frame, "zzz")

    def test_index_out_of_range(self) -> None:
        with pytest.raises(CreditDataInvalid, match="not found"):
            resolve_column(self.frame, "7")


class TestBinaryTarget:
    def test_good_bad_words(self) -> None:
        assert binary_target(pd.Series(["good", "Bad", "good"]), None).y.tolist() == [0, 1, 0]

    def test_zero_one_numbers(self) -> None:
        assert binary_target(pd.Series([0.0, 1.0, 1.0]), None).y.tolist() == [0, 1, 1]

    def test_explicit_bad_value_on_numbers(self) -> None:
        target = binary_target(pd.Series([1.0, 2.0, 1.0]), "2")
        assert target.y.tolist() == [0, 1, 0]
        assert target.bad_label == "2"

    def test_missing_target_rows_are_dropped(self) -> None:
        target = binary_target(pd.Series(["bad", None, "good"]), None)
        assert target.keep.tolist() == [True, False, True]
        assert target.y.tolist() == [1, 0]

    def test_ambiguous_values_ask_for_bad_value(self) -> None:
        with pytest.raises(CreditDataInvalid, match="--bad-value"):
            binary_target(pd.Series([1.0, 2.0]), None)

    def test_bad_value_not_present(self) -> None:
        with pytest.raises(CreditDataInvalid, match="no row of target"):
            binary_target(pd.Series(["a", "b"]), "c")

    def test_single_class_is_refused(self) -> None:
        with pytest.raises(CreditDataInvalid, match="one class"):
            binary_target(pd.Series(["a", "a"]), "a")


class TestInferSchema:
    def test_kinds_and_drops(self) -> None:
        n = 60
        frame = pd.DataFrame(
            {
                "ID": np.arange(1, n + 1, dtype=float),
                "const": np.ones(n),
                "empty": np.full(n, np.nan),
                "x": np.linspace(0, 1, n),
                "home": ["own", "rent", None] * (n // 3),
                "note": [f"free text {i}" for i in range(n)],
                "y": [0, 1] * (n // 2),
            }
        )
        schema, dropped = infer_schema(frame, exclude=["y"])
        assert schema.names == ("x", "home")
        home = schema.columns[1]
        assert home.other  # 20 rows a level is rare at 60 rows: both share the other level
        assert set(home.categories) | set(home.rare) == {"own", "rent"}
        assert dropped == {
            "ID": "identifier",
            "const": "constant",
            "empty": "empty",
            "note": "identifier or free text",
        }

    def test_nothing_usable(self) -> None:
        with pytest.raises(CreditDataInvalid, match="no usable input"):
            infer_schema(pd.DataFrame({"y": [0, 1]}), exclude=["y"])


class TestEncode:
    def test_batch(self) -> None:
        x = encode({"age": ["30", "x"], "home": np.array(["rent", "boat"], dtype=object)}, SCHEMA)
        assert x[0].tolist() == [30.0, 1.0]
        assert math.isnan(x[1, 0])
        assert math.isnan(x[1, 1])

    def test_missing_column_scores_missing(self) -> None:
        x = encode(pd.DataFrame({"home": ["own"]}), SCHEMA)
        assert math.isnan(x[0, 0])
        assert x[0, 1] == 0.0

    def test_no_known_column(self) -> None:
        with pytest.raises(CreditDataInvalid, match="none of the model's input"):
            encode({"other": [1]}, SCHEMA)


class TestEncodeRow:
    def test_row_matches_batch(self) -> None:
        row = encode_row({"age": 30, "home": "rent"}, SCHEMA)
        batch = encode({"age": [30], "home": ["rent"]}, SCHEMA)
        assert np.array_equal(row, batch)

    def test_missing_markers_and_bad_numbers(self) -> None:
        row = encode_row({"age": "n/a", "home": " own "}, SCHEMA)
        assert math.isnan(row[0, 0])
        assert row[0, 1] == 0.0
        assert math.isnan(encode_row({"age": "abc"}, SCHEMA)[0, 0])


class TestInputSchema:
    def test_json_round_trip(self) -> None:
        assert InputSchema.from_json(SCHEMA.to_json()) == SCHEMA

    def test_duplicate_names(self) -> None:
        with pytest.raises(ValueError, match="duplicate"):
            InputSchema((ColumnSpec("a", "numeric"), ColumnSpec("a", "numeric")))


def test_none_is_a_category_not_a_missing_value() -> None:
    frame = parse_table("guarantor,age\nnone,30\nparent,41\nnone,25\n,33\n")
    assert frame["guarantor"].tolist()[:3] == ["none", "parent", "none"]
    assert frame["guarantor"].isna().sum() == 1


def test_missing_markers_can_be_replaced() -> None:
    text = "home,age\n?,30\nown,-\nN/A,25\nrent,33\n"
    frame = parse_table(text, missing=["N/A"])
    assert frame["home"].tolist()[:2] == ["?", "own"]
    assert frame["home"].isna().sum() == 1
    assert frame["age"].tolist()[1] == "-"
