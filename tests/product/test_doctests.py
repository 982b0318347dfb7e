"""The examples in the product modules' docstrings run and hold."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from autolease.product import apr, changes, pricing, request, schedule

MODULES = (apr, changes, pricing, request, schedule)


class TestDocstringExamples:
    @pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
    def test_examples(self, module: ModuleType) -> None:
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.attempted > 0
        assert result.failed == 0
