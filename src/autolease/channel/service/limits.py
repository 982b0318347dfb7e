"""Setting an SP's limits (audited), and the intake prefetcher that reads them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from autolease.audit import service as audit
from autolease.audit.service import Actor
from autolease.channel import repository
from autolease.channel.models import SpLimit
from autolease.channel.schemas import LimitsIn, LimitsRead
from autolease.channel.stage import FEATURE
from autolease.dealer.models import ServiceProvider
from autolease.kit.clock import CHINA_TZ
from autolease.kit.money import from_fen, to_fen
from autolease.origination.pipeline import PrefetchRequest


def set_limits(session: Session, sp: ServiceProvider, data: LimitsIn, actor: Actor) -> SpLimit:
    row = repository.limits(session, sp.id)
    if row is None:
        row = SpLimit(sp_id=sp.id)
        session.add(row)
    row.monthly_volume = data.monthly_volume
    row.max_amount_fen = None if data.max_amount is None else to_fen(data.max_amount)
    row.products = None if data.products is None else sorted(set(data.products))
    row.updated_by, row.updated_at = actor.name, actor.at
    session.flush()
    audit.log(
        session,
        actor,
        "sp.limits_set",
        entity_type="service_provider",
        entity_id=sp.code,
        payload=data.model_dump(mode="json"),
    )
    return row


def to_read(sp: ServiceProvider, row: SpLimit | None) -> LimitsRead:
    if row is None:
        return LimitsRead(sp_code=sp.code, monthly_volume=None, max_amount=None, products=None)
    amount = None if row.max_amount_fen is None else from_fen(row.max_amount_fen)
    return LimitsRead(
        sp_code=sp.code, monthly_volume=row.monthly_volume, max_amount=amount, products=row.products
    )


def month_start(at: datetime) -> datetime:
    local = at.astimezone(CHINA_TZ)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


class SpLimitPrefetcher:
    """Puts the SP's status, limits and month-to-date volume in ``features["sp_channel"]``.

    One select for status and limits (the SP row itself came with the API key); a count of
    this month's applications only when a monthly limit is set.
    """

    name = "sp_channel"

    def fetch(self, session: Session, request: PrefetchRequest) -> dict[str, Any]:
        row = repository.status_and_limits(session, request.sp_id)
        if row is None:
            return {}
        status, volume, max_fen, products = row
        limits = None
        if (volume, max_fen, products) != (None, None, None):
            amount = None if max_fen is None else str(from_fen(max_fen))
            limits = {"monthly_volume": volume, "max_amount": amount, "products": products}
        fetched: dict[str, Any] = {"status": status, "limits": limits}
        if volume is not None:
            since = month_start(request.as_of)
            fetched["month_volume"] = repository.applications_since(session, request.sp_id, since)
        return {FEATURE: fetched}
