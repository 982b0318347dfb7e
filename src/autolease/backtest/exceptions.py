"""Backtest errors.

AutoleaseError
└── InputInvalid
    ├── BookInvalid        the history directory lacks a table or a column (names it)
    └── BacktestInvalid    bad options (unknown policy, executor, share …)
"""

from __future__ import annotations

from autolease.exceptions import InputInvalid


class BookInvalid(InputInvalid):
    code = "backtest_book_invalid"


class BacktestInvalid(InputInvalid):
    code = "backtest_invalid"
