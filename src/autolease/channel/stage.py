"""The channel stage (pure): the SP's limits and status, as fetched before the stages run."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from autolease.channel.limits import Limits, Usage, breaches
from autolease.channel.reasons import REASONS
from autolease.origination.pipeline import DecisionContext, Severity

FEATURE = "sp_channel"
"""``ctx.features[FEATURE]``: ``{"status", "limits": {...} | None, "month_volume"}``."""


@dataclass(frozen=True)
class ChannelStage:
    name: str = "channel"

    def run(self, ctx: DecisionContext) -> str:
        fetched: dict[str, Any] | None = ctx.features.get(FEATURE)
        if fetched is None:
            return "no SP limits fetched"
        codes = list(_codes(fetched, ctx))
        for code in codes:
            r = REASONS[code]
            ctx.add_reason(code, self.name, Severity(r.severity), r.message_en, r.message_zh)
        return f"{len(codes)} SP limit reason(s)"


def _codes(fetched: dict[str, Any], ctx: DecisionContext) -> list[str]:
    codes = (
        ["SP_NOT_ACTIVE"]
        if fetched.get("status") in ("prospect", "suspended", "terminated")
        else []
    )
    raw = fetched.get("limits")
    if raw is None:
        return codes
    limits = Limits(
        monthly_volume=raw.get("monthly_volume"),
        max_amount=Decimal(raw["max_amount"]) if raw.get("max_amount") else None,
        products=tuple(raw["products"]) if raw.get("products") is not None else None,
    )
    usage = Usage(int(fetched.get("month_volume", 0)))
    facts = ctx.facts
    return codes + list(breaches(limits, usage, amount=facts.amount, product=facts.product_type))
