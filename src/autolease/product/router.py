"""Lease products (admins manage, everyone authenticated reads) and quotes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, status

from autolease.auth.dependencies import ActorDep, AdminDep, PrincipalDep, StaffDep
from autolease.auth.principal import STAFF_WIDE_ROLES, Principal
from autolease.dependencies import RuntimeDep, SessionDep
from autolease.kit.clock import business_date
from autolease.kit.ids import MAX_ID
from autolease.product import service
from autolease.product.exceptions import ProductNotFound
from autolease.product.schemas import (
    ProductRead,
    ProductSpec,
    ProductUpdate,
    ProductVersionRead,
    QuoteRequest,
    QuoteResponse,
)

router = APIRouter(tags=["products"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "no such product"},
    422: {"description": "invalid terms"},
}


def _staff(principal: Principal) -> bool:
    return principal.role in STAFF_WIDE_ROLES


@router.post(
    "/v1/products",
    response_model=ProductRead,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"description": "code taken"}, 422: ERRORS[422]},
)
def create_product(
    body: ProductSpec, session: SessionDep, _: AdminDep, actor: ActorDep
) -> ProductRead:
    record = service.create(session, spec=body, actor=actor)
    return service.to_read(record, service.current_version(session, record))


@router.get("/v1/products", response_model=list[ProductRead])
def list_products(
    session: SessionDep, principal: PrincipalDep, include_inactive: bool = False
) -> list[ProductRead]:
    """The catalogue; retired products only for staff who ask for them."""
    return service.list_products(session, include_inactive=include_inactive and _staff(principal))


@router.get("/v1/products/{code}", response_model=ProductRead, responses={404: ERRORS[404]})
def get_product(code: str, session: SessionDep, principal: PrincipalDep) -> ProductRead:
    record = service.get(session, code=code)
    if not record.active and not _staff(principal):
        raise ProductNotFound(f"no product with code {code!r}")
    return service.to_read(record, service.current_version(session, record))


@router.patch("/v1/products/{code}", response_model=ProductRead, responses=ERRORS)
def update_product(
    code: str, body: ProductUpdate, session: SessionDep, _: AdminDep, actor: ActorDep
) -> ProductRead:
    """Write a new version of the product's terms (earlier versions and offers are kept)."""
    record = service.update(session, code=code, patch=body, actor=actor)
    return service.to_read(record, service.current_version(session, record))


@router.get(
    "/v1/products/{code}/versions",
    response_model=list[ProductVersionRead],
    responses={404: ERRORS[404]},
)
def list_versions(code: str, session: SessionDep, _: StaffDep) -> list[ProductVersionRead]:
    return service.list_versions(session, code=code)


@router.get(
    "/v1/products/{code}/versions/{version}",
    response_model=ProductVersionRead,
    responses={404: ERRORS[404]},
)
def get_version(
    code: str, version: Annotated[int, Path(ge=1, le=MAX_ID)], session: SessionDep, _: StaffDep
) -> ProductVersionRead:
    record = service.get(session, code=code)
    return service.version_read(record, service.get_version(session, record=record, number=version))


@router.post("/v1/quotes", response_model=QuoteResponse, responses={422: ERRORS[422]})
def quote(
    body: QuoteRequest, session: SessionDep, runtime: RuntimeDep, _: PrincipalDep
) -> QuoteResponse:
    """Quote lease structures without a full application (nothing is stored)."""
    today = business_date(runtime.clock.now())
    return service.quote(session, data=body, today=today)
