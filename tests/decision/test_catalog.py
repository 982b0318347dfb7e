from __future__ import annotations

from datetime import timedelta

import pytest

from autolease.decision.catalog import Activation, PolicyCatalog
from autolease.decision.exceptions import PolicyNotFound
from tests.decision.conftest import AT, document

V1 = document(key="k/p", version="1", rules=[("x > 1", "A", "refer")])
V2 = document(key="k/p", version="2", rules=[("x > 2", "A", "refer")])


def act(version: str, content_hash: str, hours: float, seq: int = 0) -> Activation:
    return Activation("k/p", version, content_hash, AT + timedelta(hours=hours), AT, "u", seq)


class TestResolve:
    def test_the_packaged_default_without_activations(self) -> None:
        assert PolicyCatalog([V1]).resolve("k/p", AT) is V1

    def test_unknown_keys_are_not_found(self) -> None:
        with pytest.raises(PolicyNotFound, match="no active version"):
            PolicyCatalog([V1]).resolve("k/other", AT)

    def test_an_activation_applies_from_its_effective_time(self) -> None:
        catalog = PolicyCatalog([V1])
        catalog.replace_schedules({"k/p": [act("2", V2.content_hash, 1)]}, [V2], at=AT)
        assert catalog.resolve("k/p", AT) is V1
        assert catalog.resolve("k/p", AT + timedelta(hours=1)) is V2

    def test_the_latest_effective_activation_wins_and_ties_go_to_the_later_one(self) -> None:
        catalog = PolicyCatalog([V1])
        schedule = [
            act("2", V2.content_hash, 2),
            act("1", V1.content_hash, 1),
            act("1", V1.content_hash, 2, seq=5),
        ]
        catalog.replace_schedules({"k/p": schedule}, [V2], at=AT)
        assert catalog.resolve("k/p", AT + timedelta(hours=1, minutes=30)) is V1
        assert catalog.resolve("k/p", AT + timedelta(hours=3)) is V1

    def test_a_hash_mismatch_is_not_silently_used(self) -> None:
        catalog = PolicyCatalog([V1])
        catalog.replace_schedules({"k/p": [act("2", "0" * 64, 0)]}, [V2], at=AT)
        with pytest.raises(PolicyNotFound, match="not loaded with hash"):
            catalog.resolve("k/p", AT)


class TestNeedsSync:
    def test_by_age(self) -> None:
        catalog = PolicyCatalog()
        assert catalog.needs_sync(AT, 5)
        catalog.replace_schedules({}, [], at=AT)
        assert not catalog.needs_sync(AT + timedelta(seconds=4), 5)
        assert catalog.needs_sync(AT + timedelta(seconds=5), 5)
        assert catalog.needs_sync(AT - timedelta(seconds=1), 5)
