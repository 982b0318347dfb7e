"""Product use cases: the catalogue in the database, seeds, versions, quotes. Never commits.

- `create` / `update` write a new version row each time (terms JSON + sha256); `update`
  merges the fields given over the current version and re-checks every contract rule.
- `load_catalogue(session)` builds the pure `Catalogue` from the current versions;
  `load_seed_catalogue()` builds it straight from the packaged YAML (no database).
- `offers_wiring()` returns the offers stage and a prefetcher that refreshes its catalogue
  from the database when it has changed, once per submission (one cheap query).
- `quote` matches a request without a full application.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from importlib import resources
from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy.orm import Session

from autolease.audit import service as audit_service
from autolease.audit.service import Actor
from autolease.exceptions import FieldError, InputInvalid
from autolease.origination.pipeline import PrefetchRequest
from autolease.product import repository
from autolease.product.catalogue import Catalogue, CatalogueBox, CatalogueSource, terms_hash
from autolease.product.exceptions import ProductCodeTaken, ProductNotFound
from autolease.product.matching import match
from autolease.product.models import LeaseProductRecord, LeaseProductVersion
from autolease.product.present import (
    NOTE_RESIDUAL,
    NOTE_VALUATION,
    Note,
    note_grade,
    result_dict,
)
from autolease.product.request import (
    CustomerNeeds,
    MatchRequest,
    MatchSettings,
    RiskView,
    VehicleView,
)
from autolease.product.schemas import (
    ProductRead,
    ProductSpec,
    ProductUpdate,
    ProductVersionRead,
    QuoteRequest,
    QuoteResponse,
)
from autolease.product.stage import DEFAULT_GRADE, OffersStage

SEED_FILE = "products.yaml"
DAYS_PER_YEAR = Decimal("365.25")


# ---- seeds --------------------------------------------------------------------------------------


def seed_specs(name: str = SEED_FILE) -> list[ProductSpec]:
    """The product specs in `autolease/seeds/<name>`, validated (ValueError names the entry)."""
    text = resources.files("autolease.seeds").joinpath(name).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, list):
        raise ValueError(f"seed file {name} must hold a list of products")
    specs = []
    for index, raw in enumerate(data):
        try:
            specs.append(ProductSpec.model_validate(raw))
        except ValidationError as err:
            raise ValueError(f"seed file {name}, product #{index + 1}: {err}") from None
    return specs


def load_seed_catalogue(name: str = SEED_FILE) -> Catalogue:
    """The catalogue straight from the packaged YAML seed, without a database."""
    return Catalogue(tuple(spec.to_product() for spec in seed_specs(name)))


def seed_products(session: Session, *, actor: Actor) -> int:
    """Create the seed products that do not exist yet (by code); returns how many were created."""
    created = 0
    for spec in seed_specs():
        if repository.by_code(session, spec.code) is None:
            create(session, spec=spec, actor=actor)
            created += 1
    return created


# ---- the catalogue in the database ----------------------------------------------------------


def _version_row(
    record_id: int, number: int, spec: ProductSpec, actor: Actor
) -> LeaseProductVersion:
    product = spec.to_product(number)  # raises ProductRuleViolation naming every broken rule
    return LeaseProductVersion(
        product_id=record_id,
        version=number,
        terms=product.terms,
        terms_hash=product.terms_hash,
        created_at=actor.at,
        created_by=actor.name,
    )


def create(session: Session, *, spec: ProductSpec, actor: Actor) -> LeaseProductRecord:
    """A new product at version 1 (audited)."""
    if repository.by_code(session, spec.code) is not None:
        raise ProductCodeTaken(f"product code {spec.code!r} is taken")
    spec.to_product(1)
    record = LeaseProductRecord(
        code=spec.code,
        product_type=spec.product_type.value,
        name_en=spec.name_en,
        name_zh=spec.name_zh,
        active=spec.active,
        current_version=1,
        created_at=actor.at,
        updated_at=actor.at,
    )
    session.add(record)
    session.flush()
    version = _version_row(record.id, 1, spec, actor)
    session.add(version)
    session.flush()
    _audit(session, actor, "product.created", record, version)
    return record


def update(
    session: Session, *, code: str, patch: ProductUpdate, actor: Actor
) -> LeaseProductRecord:
    """A new version with the fields in `patch` replacing the current version's (audited)."""
    record = get(session, code=code)
    current = current_version(session, record)
    merged = {**current.terms, **patch.model_dump(mode="json", exclude_unset=True)}
    try:
        spec = ProductSpec.model_validate(merged)
    except ValidationError as err:
        raise InputInvalid("the product terms are not valid", errors=_field_errors(err)) from None
    version = _version_row(record.id, record.current_version + 1, spec, actor)
    session.add(version)
    record.current_version = version.version
    record.name_en, record.name_zh, record.active = spec.name_en, spec.name_zh, spec.active
    record.updated_at = actor.at
    session.flush()
    _audit(session, actor, "product.updated", record, version)
    return record


def _field_errors(err: ValidationError) -> list[FieldError]:
    return [
        FieldError(".".join(str(p) for p in e["loc"]), e["type"], e["msg"], "字段不符合要求")
        for e in err.errors()
    ]


def _audit(
    session: Session, actor: Actor, action: str, record: LeaseProductRecord, v: LeaseProductVersion
) -> None:
    audit_service.log(
        session,
        actor,
        action,
        entity_type="lease_product",
        entity_id=record.code,
        payload={"version": v.version, "terms_hash": v.terms_hash, "active": record.active},
    )


def get(session: Session, *, code: str) -> LeaseProductRecord:
    record = repository.by_code(session, code)
    if record is None:
        raise ProductNotFound(f"no product with code {code!r}")
    return record


def current_version(session: Session, record: LeaseProductRecord) -> LeaseProductVersion:
    return get_version(session, record=record, number=record.current_version)


def get_version(
    session: Session, *, record: LeaseProductRecord, number: int
) -> LeaseProductVersion:
    version = repository.version(session, record.id, number)
    if version is None:
        raise ProductNotFound(f"product {record.code!r} has no version {number}")
    return version


def to_read(record: LeaseProductRecord, version: LeaseProductVersion) -> ProductRead:
    return ProductRead(
        code=record.code,
        version=version.version,
        product_type=record.product_type,
        name_en=record.name_en,
        name_zh=record.name_zh,
        active=record.active,
        terms=version.terms,
        terms_hash=version.terms_hash,
        created_at=record.created_at,
        updated_at=record.updated_at,
    )


def version_read(record: LeaseProductRecord, version: LeaseProductVersion) -> ProductVersionRead:
    return ProductVersionRead(
        code=record.code,
        version=version.version,
        terms=version.terms,
        terms_hash=version.terms_hash,
        created_at=version.created_at,
        created_by=version.created_by,
    )


def list_products(session: Session, *, include_inactive: bool) -> list[ProductRead]:
    return [
        to_read(record, version)
        for record, version in repository.current_versions(session)
        if include_inactive or record.active
    ]


def list_versions(session: Session, *, code: str) -> list[ProductVersionRead]:
    record = get(session, code=code)
    return [version_read(record, v) for v in repository.versions(session, record.id)]


def load_catalogue(session: Session) -> Catalogue:
    """The current version of every product (active or not), as the pure catalogue."""
    products = []
    for _, version in repository.current_versions(session):
        spec = ProductSpec.model_validate(version.terms)
        products.append(spec.to_product(version.version))
    return Catalogue(tuple(products))


def verify_hashes(session: Session) -> list[str]:
    """Codes whose stored terms no longer match their stored hash (should be empty)."""
    return [
        record.code
        for record, version in repository.current_versions(session)
        if terms_hash(version.terms) != version.terms_hash
    ]


# ---- the offers stage ----------------------------------------------------------------------------


def build_offers_stage(
    catalogue: CatalogueSource, settings: MatchSettings | None = None
) -> OffersStage:
    """The offers stage over `catalogue` (a `Catalogue`, or a `CatalogueBox` kept fresh)."""
    return OffersStage(catalogue, settings or MatchSettings())


@dataclass
class CatalogueRefresher:
    """A prefetcher that reloads the stage's catalogue when the database's has changed.

    One `count`/`max` query per submission; the catalogue is rebuilt only after an edit.
    """

    box: CatalogueBox
    name: str = "product_catalogue"
    _seen: tuple[int, int] | None = field(default=None, repr=False)

    def fetch(self, session: Session, request: PrefetchRequest) -> dict[str, Any]:
        revision = repository.revision(session)
        if revision != self._seen:
            self.box.replace(load_catalogue(session))
            self._seen = revision
        return {"product_catalogue_revision": f"{revision[0]}:{revision[1]}"}


def offers_wiring(settings: MatchSettings | None = None) -> tuple[OffersStage, CatalogueRefresher]:
    """The offers stage and the prefetcher that keeps its catalogue current (see docs)."""
    box = CatalogueBox()
    return build_offers_stage(box, settings), CatalogueRefresher(box)


# ---- quotes ----------------------------------------------------------------------


def _bad_quote(field_name: str, rule: str, en: str, zh: str) -> InputInvalid:
    return InputInvalid(f"{field_name}: {en}", errors=[FieldError(field_name, rule, en, zh)])


def quote_request(data: QuoteRequest, *, today: date) -> tuple[MatchRequest, list[Note]]:
    """The matcher's inputs for a quote, and notes on every fallback used."""
    if data.first_registration_date > today:
        raise _bad_quote("first_registration_date", "in_future", "is in the future", "晚于今天")
    notes: list[Note] = []
    p50 = data.valuation_p50
    if p50 is None:
        p50, notes = data.vehicle_price, [*notes, NOTE_VALUATION]
    if not data.residual_values:
        notes.append(NOTE_RESIDUAL)
    grade = data.credit_grade
    if grade is None:
        grade = DEFAULT_GRADE
        notes.append(note_grade(DEFAULT_GRADE))
    vehicle = VehicleView(
        price=data.vehicle_price,
        value_p10=data.valuation_p10 or p50,
        value_p50=p50,
        age_years=Decimal((today - data.first_registration_date).days) / DAYS_PER_YEAR,
        mileage_km=data.mileage_km,
        seller_type=data.seller_type,
        fuel_type=data.fuel_type,
        residuals=dict(data.residual_values),
    )
    needs = CustomerNeeds(
        down_payment_available=data.down_payment_available,
        applicant_kind=data.applicant_kind,
        product_type=data.product_type,
        amount_requested=data.amount,
        term_months=data.term_months,
        flexible_term=data.flexible_term,
        monthly_budget=data.monthly_budget,
        monthly_income=data.monthly_income,
    )
    settings = MatchSettings(top_n=data.top_n)
    return MatchRequest(needs, vehicle, RiskView(grade, data.fraud_score), settings), notes


def quote(session: Session, *, data: QuoteRequest, today: date) -> QuoteResponse:
    """Match a quote request against the catalogue in the database."""
    catalogue = load_catalogue(session)
    return quote_with(catalogue, data=data, today=today)


def quote_with(catalogue: Catalogue, *, data: QuoteRequest, today: date) -> QuoteResponse:
    req, notes = quote_request(data, today=today)
    result = match(catalogue, req)
    body = result_dict(result, req, notes, with_schedule=data.include_schedule)
    return QuoteResponse.model_validate({**body, "catalogue": catalogue.fingerprint[:16]})
