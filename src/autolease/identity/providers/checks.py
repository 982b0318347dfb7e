"""The provider interfaces and their results (pure; docs/domain.md §4.2, §2.6, §4.3).

* carrier three-factor (运营商三要素): name + resident ID + mobile against the carrier's
  real-name record, with the line's tenure (在网时长) and status (在网状态);
* bank-card four-factor (银行卡四要素): name + ID + mobile + card against the issuer;
* bureau (人行征信 / 百行 / multi-lending data): the file summary as of a date;
* court lists (最高法): 失信被执行人 (judgment defaulter), 限制高消费 (spending ban),
  被执行人 (subject of enforcement).

A vendor's "precise" variant says which field mismatched (``mismatched``). A provider that
cannot answer raises `ProviderUnavailable` (any other exception is treated alike); the
prefetcher calls through a `kit.guard.ProviderGuard` and records "unavailable", "timeout" or
"circuit_open". A provider that does network I/O declares ``remote = True``: only such a
provider's calls run on a thread with a time limit (the local ones answer in microseconds).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol


class ProviderUnavailable(RuntimeError):
    """The provider could not answer (timeout, outage, quota)."""


class CheckStatus(StrEnum):
    MATCH = "match"
    MISMATCH = "mismatch"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class CarrierResult:
    status: CheckStatus
    mismatched: tuple[str, ...] = ()
    tenure_months: int | None = None
    line_active: bool | None = None


@dataclass(frozen=True)
class BankCardResult:
    status: CheckStatus
    mismatched: tuple[str, ...] = ()


@dataclass(frozen=True)
class BureauReport:
    has_file: bool
    hard_queries_90d: int
    institutions_applied_30d: int
    open_credit_institutions: int
    delinquencies_24m: int
    max_dpd_24m: int
    report_date: date
    first_credit_date: date | None = None
    outstanding_debt_yuan: float | None = None


@dataclass(frozen=True)
class CourtRecord:
    dishonest: bool
    spending_ban: bool
    enforced: bool


class CarrierCheck(Protocol):
    @property
    def name(self) -> str: ...

    def verify_carrier(
        self, *, name: str, id_number: str, phone: str, as_of: datetime
    ) -> CarrierResult: ...


class BankCardCheck(Protocol):
    @property
    def name(self) -> str: ...

    def verify_card(
        self, *, name: str, id_number: str, phone: str, card: str, as_of: datetime
    ) -> BankCardResult: ...


class BureauCheck(Protocol):
    @property
    def name(self) -> str: ...

    def bureau_report(self, *, name: str, id_number: str, as_of: datetime) -> BureauReport:
        """The file as of `as_of`; a person unknown to the bureau has ``has_file=False``."""
        ...


class CourtCheck(Protocol):
    @property
    def name(self) -> str: ...

    def court_record(self, *, name: str, id_number: str, as_of: datetime) -> CourtRecord: ...
