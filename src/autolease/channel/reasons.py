"""The channel's reason codes with their English and Chinese texts: the one place to read them
from (the reason-code catalogue takes them from here). Severity is what intake applies."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChannelReason:
    code: str
    severity: str
    message_en: str
    message_zh: str


REASONS: dict[str, ChannelReason] = {
    r.code: r
    for r in (
        ChannelReason(
            "SP_LIMIT_MONTHLY_VOLUME",
            "refer",
            "the SP has reached its monthly application limit",
            "服务商本月进件量已达上限",
        ),
        ChannelReason(
            "SP_LIMIT_AMOUNT",
            "refer",
            "the financed amount is above the SP's per-contract limit",
            "融资金额超过服务商单笔限额",
        ),
        ChannelReason(
            "SP_LIMIT_PRODUCT",
            "decline",
            "the SP is not allowed to sell this product",
            "服务商无权办理该产品",
        ),
        ChannelReason(
            "SP_NOT_ACTIVE",
            "decline",
            "the SP is not active (prospect, suspended or terminated)",
            "服务商未处于合作状态(准入中、已暂停或已终止)",
        ),
    )
}
