"""Tests for autolease.product.service: the catalogue in the database, versions, quotes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from autolease.audit.models import AuditEvent
from autolease.audit.service import Actor
from autolease.exceptions import InputInvalid
from autolease.origination.pipeline import PrefetchRequest
from autolease.product import models as _models  # noqa: F401  (tables for the runtime fixture)
from autolease.product import service
from autolease.product.exceptions import ProductCodeTaken, ProductNotFound, ProductRuleViolation
from autolease.product.schemas import ProductSpec, ProductUpdate, QuoteRequest
from autolease.runtime import Runtime
from tests.product.helpers import spec

D = Decimal
TODAY = date(2026, 11, 29)


def actor(runtime: Runtime) -> Actor:
    return Actor(key=runtime.audit_key, name="admin", at=runtime.clock.now())


class TestSeedProducts:
    def test_seeds_once_and_matches_the_yaml(self, session: Session, runtime: Runtime) -> None:
        created = service.seed_products(session, actor=actor(runtime))
        assert created == len(service.seed_specs())
        assert service.seed_products(session, actor=actor(runtime)) == 0
        from_db = service.load_catalogue(session)
        from_yaml = service.load_seed_catalogue()
        assert from_db.fingerprint == from_yaml.fingerprint
        assert service.verify_hashes(session) == []
        actions = session.scalars(select(AuditEvent.action)).all()
        assert actions.count("product.created") == created


class TestCreateAndUpdate:
    def test_update_writes_a_new_version_and_keeps_the_old(
        self, session: Session, runtime: Runtime
    ) -> None:
        record = service.create(
            session, spec=ProductSpec.model_validate(spec()), actor=actor(runtime)
        )
        v1 = service.current_version(session, record)
        patch = ProductUpdate.model_validate({"terms_months": [12, 24], "name_zh": "新名称"})
        service.update(session, code="T-DL", patch=patch, actor=actor(runtime))
        assert record.current_version == 2
        assert record.name_zh == "新名称"
        versions = service.list_versions(session, code="T-DL")
        assert [v.version for v in versions] == [1, 2]
        assert versions[0].terms == v1.terms
        assert versions[1].terms["terms_months"] == [12, 24]
        assert versions[0].terms_hash != versions[1].terms_hash
        product = service.load_catalogue(session).by_code("T-DL")
        assert product is not None
        assert product.version == 2
        assert product.terms_months == (12, 24)

    def test_retire_hides_from_the_active_catalogue(
        self, session: Session, runtime: Runtime
    ) -> None:
        service.create(session, spec=ProductSpec.model_validate(spec()), actor=actor(runtime))
        service.update(
            session, code="T-DL", patch=ProductUpdate(active=False), actor=actor(runtime)
        )
        assert service.list_products(session, include_inactive=False) == []
        assert len(service.list_products(session, include_inactive=True)) == 1
        assert service.load_catalogue(session).active() == ()

    def test_duplicate_code(self, session: Session, runtime: Runtime) -> None:
        service.create(session, spec=ProductSpec.model_validate(spec()), actor=actor(runtime))
        with pytest.raises(ProductCodeTaken):
            service.create(session, spec=ProductSpec.model_validate(spec()), actor=actor(runtime))

    def test_contract_rule_on_update(self, session: Session, runtime: Runtime) -> None:
        service.create(session, spec=ProductSpec.model_validate(spec()), actor=actor(runtime))
        patch = ProductUpdate.model_validate({"balloon_ratios": ["0.7"]})
        with pytest.raises(ProductRuleViolation) as info:
            service.update(session, code="T-DL", patch=patch, actor=actor(runtime))
        assert info.value.errors[0].field == "balloon_ratios"

    def test_broken_rule_after_merge(self, session: Session, runtime: Runtime) -> None:
        service.create(session, spec=ProductSpec.model_validate(spec()), actor=actor(runtime))
        patch = ProductUpdate.model_validate({"financed_amount": {"min": "5", "max": "2"}})
        with pytest.raises(ProductRuleViolation) as info:
            service.update(session, code="T-DL", patch=patch, actor=actor(runtime))
        assert info.value.errors[0].field == "financed_amount"

    def test_stored_terms_the_schema_no_longer_accepts(
        self, session: Session, runtime: Runtime
    ) -> None:
        record = service.create(
            session, spec=ProductSpec.model_validate(spec()), actor=actor(runtime)
        )
        version = service.current_version(session, record)
        version.terms = {**version.terms, "retired_field": 1}
        session.flush()
        with pytest.raises(InputInvalid) as info:
            service.update(session, code="T-DL", patch=ProductUpdate(), actor=actor(runtime))
        assert info.value.errors[0].field == "retired_field"

    def test_unknown_code(self, session: Session) -> None:
        with pytest.raises(ProductNotFound):
            service.get(session, code="NOPE")


class TestCatalogueRefresher:
    def test_reloads_only_when_the_catalogue_changed(
        self, session: Session, runtime: Runtime
    ) -> None:
        stage, refresher = service.offers_wiring()
        request = PrefetchRequest(None, (), runtime.clock.now(), 1)  # type: ignore[arg-type]
        assert refresher.fetch(session, request) == {"product_catalogue_revision": "0:0"}
        assert stage.catalogue.current().products == ()
        service.seed_products(session, actor=actor(runtime))
        first = refresher.fetch(session, request)
        loaded = stage.catalogue.current()
        assert len(loaded.products) == len(service.seed_specs())
        assert refresher.fetch(session, request) == first
        assert stage.catalogue.current() is loaded


class TestQuote:
    def test_quote_from_the_database(self, session: Session, runtime: Runtime) -> None:
        service.seed_products(session, actor=actor(runtime))
        data = QuoteRequest(
            vehicle_price=D(120000),
            first_registration_date=date(2024, 1, 1),
            mileage_km=30000,
            down_payment_available=D(50000),
            term_months=36,
            monthly_budget=D(4000),
            monthly_income=D(20000),
            credit_grade="A",
            include_schedule=True,
        )
        result = service.quote(session, data=data, today=TODAY)
        assert result.offers
        assert len(result.offers[0]["schedule"]) >= 36
        assert {n["code"] for n in result.notes} == {
            "VALUATION_FROM_ASKING_PRICE",
            "RESIDUAL_ESTIMATED",
        }
        assert result.binding_constraint is None

    def test_registration_in_the_future(self) -> None:
        data = QuoteRequest(
            vehicle_price=D(120000), first_registration_date=date(2027, 1, 1), mileage_km=0
        )
        with pytest.raises(InputInvalid) as info:
            service.quote_request(data, today=TODAY)
        assert info.value.errors[0].field == "first_registration_date"
