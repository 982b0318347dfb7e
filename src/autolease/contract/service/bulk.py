"""Load a file of servicing events in one transaction: all of it, or none of it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from autolease.audit.service import Actor
from autolease.contract.bulk import BulkRow, RowError
from autolease.contract.models import Contract
from autolease.contract.service.servicing import record_event
from autolease.contract.settings import ContractSettings
from autolease.exceptions import AutoleaseError


class BulkLoadFailed(Exception):
    def __init__(self, errors: Sequence[RowError]) -> None:
        super().__init__(f"{len(errors)} row error(s)")
        self.errors = list(errors)


@dataclass(frozen=True)
class LoadReport:
    recorded: int
    replayed: int


def load_events(
    session: Session, rows: Sequence[BulkRow], *, actor: Actor, settings: ContractSettings
) -> LoadReport:
    """Record every row in file order; the first refused row fails the whole load.

    The caller owns the transaction and rolls it back on `BulkLoadFailed`.
    """
    recorded = replayed = 0
    for row in rows:
        contract = session.get(Contract, row.contract_id)
        if contract is None:
            raise BulkLoadFailed([RowError(row.line, "contract_id", "no such contract")])
        try:
            _, again = record_event(
                session, contract=contract, event=row.event, actor=actor, settings=settings
            )
        except AutoleaseError as exc:
            raise BulkLoadFailed([RowError(row.line, row.event.kind, exc.detail)]) from None
        replayed += int(again)
        recorded += int(not again)
    return LoadReport(recorded, replayed)
