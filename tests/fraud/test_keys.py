from __future__ import annotations

import pytest

from autolease.fraud.keys import DEFAULT_POLICY, KindPolicy, hash_kind, link_hash


class TestHashKind:
    def test_contact_phones_hash_as_phones(self) -> None:
        assert hash_kind("contact_phone") == "phone"

    def test_other_kinds_hash_as_themselves(self) -> None:
        assert hash_kind("device") == "device"


class TestLinkHash:
    def test_a_phone_and_a_contact_phone_with_the_same_number_get_the_same_hash(self) -> None:
        def blind(kind: str, value: str) -> str:
            return f"{kind}|{value}"

        assert link_hash(blind, "contact_phone", "13800000000") == link_hash(
            blind, "phone", "13800000000"
        )
        assert link_hash(blind, "device", "x") != link_hash(blind, "phone", "x")


class TestKindPolicy:
    def test_weight_outside_the_unit_interval_is_refused(self) -> None:
        with pytest.raises(ValueError, match="weight"):
            KindPolicy("phone", 1.5)

    def test_namespace_defaults_to_the_kind(self) -> None:
        assert KindPolicy("vin", 0.5).namespace == "vin"


class TestLinkPolicy:
    def test_employer_and_ip_never_link(self) -> None:
        assert not DEFAULT_POLICY.of("employer").links
        assert not DEFAULT_POLICY.of("ip").links
        assert "employer" not in DEFAULT_POLICY.linking_kinds()

    def test_unknown_kinds_never_link(self) -> None:
        assert not DEFAULT_POLICY.of("shoe_size").links

    def test_rarer_values_weigh_more(self) -> None:
        assert DEFAULT_POLICY.link_weight("device", 1) > DEFAULT_POLICY.link_weight("device", 7)

    def test_phone_namespace_holds_both_phone_kinds(self) -> None:
        assert set(DEFAULT_POLICY.namespace_kinds("phone")) == {"phone", "contact_phone"}

    def test_with_kind_changes_one_kind_only(self) -> None:
        changed = DEFAULT_POLICY.with_kind("device", max_degree=3)
        assert changed.of("device").max_degree == 3
        assert changed.of("phone") == DEFAULT_POLICY.of("phone")
