"""Monthly figures of a group of applications — the SPs, or the referring partners — through
the same functions (`channel.performance`, `channel.grading.policy_inputs`): raw rates and
credibility-shrunk ratios to the whole book."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from autolease.channel.grading import policy_inputs
from autolease.channel.models import ApplicationReferral, ChannelPartner
from autolease.channel.performance import METRICS, MonthFigures, at_month, count
from autolease.channel.schemas import PerformanceRow
from autolease.channel.service.book import load_book
from autolease.channel.settings import ChannelSettings
from autolease.contract.settings import ContractSettings


def rows_of(
    codes: Sequence[str], month: str, figures: MonthFigures, k: float
) -> list[PerformanceRow]:
    """One row per code (the first `len(codes)` groups of `figures`)."""
    inputs = policy_inputs(figures, k=k)
    out = []
    for i, code in enumerate(codes):
        rates: dict[str, float | None] = {}
        for metric in METRICS:
            n = int(figures.exposures[metric.name][i])
            hits = int(figures.hits[metric.name][i])
            rates[metric.name] = None if n == 0 else round(hits / n, 4)
        ratios = {f"{m.name}_ratio": inputs[i][f"{m.name}_ratio"] for m in METRICS}
        out.append(
            PerformanceRow(
                code=code,
                month=month,
                contracts=int(figures.contracts[i]),
                volume=int(figures.volume[i]),
                rates=rates,
                ratios=ratios,
            )
        )
    return out


def partners(
    session: Session,
    month: str,
    contract_settings: ContractSettings,
    settings: ChannelSettings,
    only: str | None = None,
) -> list[PerformanceRow]:
    """Every partner's figures at the end of `month`; ratios are to the whole book (referred
    or not), so 1.0 means the partner's referrals perform like the book."""
    book = load_book(session, month, contract_settings)
    found = list(session.scalars(select(ChannelPartner).order_by(ChannelPartner.code)))
    index = {p.id: i for i, p in enumerate(found)}
    query = select(ApplicationReferral.application_id, ApplicationReferral.partner_id)
    referral = {str(row[0]): int(row[1]) for row in session.execute(query)}
    rest = len(found)  # contracts not referred by a partner
    group = np.asarray(
        [index.get(referral.get(app, -1), rest) for app in book.application_ids], dtype=np.int32
    )
    panel = book.panel
    figures = at_month(
        count(panel, group, rest + 1), len(panel.months) - 1, settings.lookback_months
    )
    rows = rows_of([p.code for p in found], month, figures, settings.credibility_k)
    return [r for r in rows if only is None or r.code == only]
