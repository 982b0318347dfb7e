"""Load reference and demo data from the YAML files in `autolease/seeds/` (idempotent)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml
from sqlalchemy.orm import Session

from autolease.audit import service as audit_service
from autolease.audit.service import Actor
from autolease.auth import repository as auth_repository
from autolease.auth import service as auth_service
from autolease.auth.schemas import UserCreate
from autolease.dealer import repository as dealer_repository
from autolease.dealer import service as dealer_service
from autolease.dealer.schemas import SpCreate
from autolease.product import service as product_service


@dataclass(frozen=True)
class SeedReport:
    sps_created: int
    users_created: int
    products_created: int = 0


def load_yaml(name: str) -> list[dict[str, Any]]:
    text = resources.files("autolease.seeds").joinpath(name).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, list):
        raise ValueError(f"seed file {name} must hold a list")
    return data


def ensure_sp(session: Session, data: SpCreate, *, actor: Actor) -> bool:
    """Create the SP (audited) unless its code exists; True when created."""
    if dealer_repository.by_code(session, data.code) is not None:
        return False
    sp = dealer_service.create(session, data=data, at=actor.at)
    audit_service.log(
        session, actor, "sp.created", entity_type="service_provider", entity_id=sp.code
    )
    return True


def seed_demo(session: Session, *, actor: Actor) -> SeedReport:
    sps = users = 0
    for raw in load_yaml("demo_sps.yaml"):
        sps += ensure_sp(session, SpCreate.model_validate(raw), actor=actor)
    for raw in load_yaml("demo_users.yaml"):
        user = UserCreate.model_validate(raw)
        if auth_repository.user_by_username(session, user.username) is None:
            auth_service.create_user(
                session,
                username=user.username,
                display_name=user.display_name,
                role=user.role,
                password=user.password,
                sp_code=user.sp_code,
                at=actor.at,
            )
            audit_service.log(
                session, actor, "user.created", entity_type="staff_user", entity_id=user.username
            )
            users += 1
    products = product_service.seed_products(session, actor=actor)
    return SeedReport(sps, users, products)
