"""Tests for autolease.product.catalogue (and the ProductSpec that builds it)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from pydantic import ValidationError

from autolease.product.catalogue import (
    Applicant,
    Catalogue,
    CatalogueBox,
    product_gate,
    term_gate,
    terms_hash,
)
from autolease.product.exceptions import ProductRuleViolation
from autolease.product.kinds import Constraint
from autolease.product.schemas import ProductSpec
from autolease.product.service import load_seed_catalogue, seed_specs
from tests.product.helpers import product, spec

D = Decimal


def who(**overrides: object) -> Applicant:
    values: dict[str, object] = {
        "applicant_kind": "individual",
        "product_type_wanted": "any",
        "seller_type": "dealer",
        "fuel_type": "petrol",
        "mileage_km": 50_000,
        "vehicle_age_years": D(2),
        "grade": "B",
    }
    values.update(overrides)
    return Applicant(**values)  # type: ignore[arg-type]


class TestContractRules:
    def test_sale_leaseback_must_stay_registered_to_the_lessee(self) -> None:
        with pytest.raises(ProductRuleViolation) as info:
            product(product_type="sale_leaseback", title_mode="lessor_titled")
        assert [e.rule for e in info.value.errors] == ["sale_leaseback_title"]

    def test_operating_lease_needs_lessor_title_and_a_residual(self) -> None:
        with pytest.raises(ProductRuleViolation) as info:
            product(product_type="operating_lease", balloon_ratios=["0", "0.3"])
        rules = {e.rule for e in info.value.errors}
        assert rules == {"operating_lease_title", "operating_lease_residual"}

    def test_operating_lease_valid(self) -> None:
        p = product(
            product_type="operating_lease", title_mode="lessor_titled", balloon_ratios=["0.3"]
        )
        assert p.cash_down_payment
        assert p.product_type.value == "operating_lease"

    def test_every_broken_rule_is_listed(self) -> None:
        with pytest.raises(ProductRuleViolation) as info:
            product(
                terms_months=[13],
                down_payment={"min_ratio": "0.5", "max_ratio": "0.2"},
                ltv_cap_by_grade={"Z": "0.5"},
            )
        fields = {e.field for e in info.value.errors}
        assert fields == {"terms_months", "down_payment", "pricing"}
        assert all(e.message_zh for e in info.value.errors)

    def test_spec_rejects_unknown_fields(self) -> None:
        with pytest.raises(ValidationError):
            ProductSpec.model_validate(spec(colour="red"))


class TestProductGate:
    def test_eligible(self) -> None:
        assert product_gate(product(), who()) is None

    @pytest.mark.parametrize(
        ("overrides", "expected"),
        [
            ({"product_type_wanted": "sale_leaseback"}, Constraint.PRODUCT_TYPE),
            ({"seller_type": "lessee"}, Constraint.SELLER),
            ({"mileage_km": 150_001}, Constraint.MILEAGE),
            ({"grade": "E"}, Constraint.GRADE),
        ],
    )
    def test_exclusions(self, overrides: dict[str, object], expected: Constraint) -> None:
        assert product_gate(product(), who(**overrides)) is expected

    def test_sale_leaseback_needs_the_lessee_as_seller(self) -> None:
        slb = product(product_type="sale_leaseback")
        assert product_gate(slb, who(seller_type="dealer")) is Constraint.SELLER
        assert product_gate(slb, who(seller_type="lessee")) is None

    def test_applicant_kind_and_new_energy(self) -> None:
        nev = product(eligibility={"applicant_kinds": ["individual"], "new_energy": "only"})
        assert product_gate(nev, who(applicant_kind="corporate")) is Constraint.APPLICANT_KIND
        assert product_gate(nev, who(fuel_type="petrol")) is Constraint.NEW_ENERGY
        assert product_gate(nev, who(fuel_type="bev")) is None


class TestTermGate:
    def test_age_plus_term(self) -> None:
        p = product(terms_months=[12, 24, 36, 48])
        assert term_gate(p, 36, D("5.0")) is None
        assert term_gate(p, 36, D("5.1")) is Constraint.AGE_PLUS_TERM

    def test_48_months_only_for_young_vehicles(self) -> None:
        p = product(terms_months=[12, 24, 36, 48])
        assert term_gate(p, 48, D(3)) is None
        assert term_gate(p, 48, D("3.5")) is Constraint.LONG_TERM_AGE


class TestTermsSnapshot:
    def test_round_trips_through_the_spec(self) -> None:
        p = product()
        again = ProductSpec.model_validate(p.terms).to_product()
        assert again == p
        assert again.terms_hash == p.terms_hash
        assert json.loads(json.dumps(p.terms)) == p.terms

    def test_hash_changes_with_any_term(self) -> None:
        a = product()
        b = product(pricing={**spec()["pricing"], "apr_ceiling": "0.20"})
        assert a.terms_hash != b.terms_hash
        assert terms_hash(a.terms) == a.terms_hash


class TestSeedCatalogue:
    def test_seed_products_are_valid_and_cover_the_three_types(self) -> None:
        cat = load_seed_catalogue()
        assert {p.product_type.value for p in cat.products} == {
            "direct_lease",
            "sale_leaseback",
            "operating_lease",
        }
        assert len({p.code for p in cat.products}) == len(cat.products) == len(seed_specs())

    def test_seed_follows_domain_defaults(self) -> None:
        std = load_seed_catalogue().by_code("DL-STD")
        assert std is not None
        assert std.ltv_cap_by_grade["A"] == D("0.70")
        assert std.eligibility.max_age_plus_term_years == 8
        assert std.eligibility.max_mileage_km == 150_000


class TestCatalogue:
    def test_lookup_active_and_fingerprint(self) -> None:
        live, retired = product(code="LIVE"), product(code="OLD", active=False)
        cat = Catalogue((live, retired))
        assert cat.by_code("OLD") is retired
        assert cat.by_code("NONE") is None
        assert cat.active() == (live,)
        assert cat.fingerprint != Catalogue((live,)).fingerprint

    def test_box_replaces_atomically(self) -> None:
        box = CatalogueBox()
        assert box.current().products == ()
        cat = Catalogue((product(),))
        box.replace(cat)
        assert box.current() is cat
