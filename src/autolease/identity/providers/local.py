"""Local implementations of the provider checks over a book's tables (pure, in memory).

`LocalRegistry` plays carrier, card issuer, bureau and court from a synthetic book
(`autolease.synth`): the real-name record of a phone and of a bank card is the applicant who
first used it (as their own phone; as their card), tenure is the carrier tenure reported with
the latest application on or before the look-up time plus the months since, and bureau and
court answers are the latest bureau row of that resident ID dated on or before the look-up
date. Everything is indexed once in dictionaries, so a look-up is a few dict reads.

Build it with `LocalRegistry.from_tables` (pyarrow tables or pandas frames of
``applications``, ``applicants`` and ``bureau``); `repository.read_book_registry` reads them
from a book directory.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd  # type: ignore[import-untyped,unused-ignore]

from autolease.identity.providers.checks import (
    BankCardResult,
    BureauReport,
    CarrierResult,
    CheckStatus,
    CourtRecord,
)
from autolease.kit.clock import business_date

BUREAU_COLUMNS = (
    "report_date",
    "has_credit_file",
    "hard_queries_90d",
    "institutions_applied_30d",
    "open_credit_institutions",
    "delinquencies_24m",
    "max_dpd_24m",
    "court_dishonest",
    "spending_ban",
    "court_enforced",
    "first_credit_date",
    "outstanding_debt_fen",
)
OPTIONAL_BUREAU_COLUMNS = ("first_credit_date", "outstanding_debt_fen")
SECONDS_PER_MONTH = 30.4375 * 86_400


@dataclass(frozen=True)
class Holder:
    name: str
    id_number: str
    phone: str = ""


@dataclass(frozen=True)
class _BureauRow:
    report: BureauReport
    court: CourtRecord


def _frame(table: Any) -> pd.DataFrame:
    return table if isinstance(table, pd.DataFrame) else table.to_pandas()


def person_frame(tables: Mapping[str, Any]) -> pd.DataFrame:
    """Per application: time (epoch s), the person's name, ID, phone, card, phone tenure.

    For a corporate lessee the person is the legal representative (as in the application).
    """
    apps = _frame(tables["applications"])[
        ["application_id", "applicant_id", "submitted_at", "bank_card", "phone_tenure_months"]
    ]
    people = _frame(tables["applicants"])
    corporate = people["kind"].astype(str) == "corporate"
    person = pd.DataFrame(
        {
            "applicant_id": people["applicant_id"],
            "name": people["legal_rep_name"].where(corporate, people["name"]),
            "id_number": people["legal_rep_id_number"].where(corporate, people["id_number"]),
            "phone": people["legal_rep_phone"].where(corporate, people["phone"]),
        }
    )
    frame = apps.merge(person, on="applicant_id", how="left")
    stamp = pd.to_datetime(frame["submitted_at"], utc=True)
    frame["t"] = (stamp - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(seconds=1)
    return frame.sort_values(["t", "application_id"], kind="stable").reset_index(drop=True)


@dataclass
class LocalRegistry:
    """Carrier, card issuer, bureau and court over in-memory indexes (see module docstring)."""

    phones: dict[str, Holder] = field(default_factory=dict)
    tenure: dict[str, tuple[list[int], list[int]]] = field(default_factory=dict)
    cards: dict[str, Holder] = field(default_factory=dict)
    bureau: dict[str, tuple[list[int], list[_BureauRow]]] = field(default_factory=dict)
    name: str = "local-book"

    @classmethod
    def from_tables(cls, tables: Mapping[str, Any]) -> LocalRegistry:
        """Index a book's ``applications``, ``applicants`` and (optional) ``bureau``."""
        registry = cls()
        persons = person_frame(tables)
        registry._index_people(persons)
        if "bureau" in tables:
            registry._index_bureau(_frame(tables["bureau"]), persons)
        return registry

    def _index_people(self, persons: pd.DataFrame) -> None:
        columns = ("t", "name", "id_number", "phone", "bank_card", "phone_tenure_months")
        rows = zip(*(persons[c].tolist() for c in columns), strict=True)
        for t, name, id_number, phone, card, tenure in rows:
            if not phone or not id_number:
                continue
            self.phones.setdefault(phone, Holder(name, id_number))
            if card:
                self.cards.setdefault(card, Holder(name, id_number, phone))
            if tenure is not None and tenure == tenure:
                times, values = self.tenure.setdefault(phone, ([], []))
                times.append(int(t))
                values.append(int(tenure))

    def _index_bureau(self, bureau: pd.DataFrame, persons: pd.DataFrame) -> None:
        ids = persons.drop_duplicates("application_id").set_index("application_id")["id_number"]
        frame = bureau.assign(id_number=bureau["application_id"].map(ids))
        frame = frame.dropna(subset=["id_number"]).sort_values(
            ["report_date", "application_id"], kind="stable"
        )
        days = (pd.to_datetime(frame["report_date"]) - pd.Timestamp(0)) // pd.Timedelta(days=1)
        frame = frame.assign(day=days)
        for optional in OPTIONAL_BUREAU_COLUMNS:
            if optional not in frame:
                frame[optional] = None
        columns = ["id_number", "day", *BUREAU_COLUMNS]
        for id_number, day, *values in zip(*(frame[c].tolist() for c in columns), strict=True):
            days_list, rows = self.bureau.setdefault(id_number, ([], []))
            days_list.append(int(day))
            rows.append(_bureau_row(values))

    # ---- CarrierCheck ----------------------------------------------------------------------

    def verify_carrier(
        self, *, name: str, id_number: str, phone: str, as_of: datetime
    ) -> CarrierResult:
        holder = self.phones.get(phone)
        if holder is None:
            return CarrierResult(CheckStatus.NOT_FOUND)
        mismatched = _mismatched(holder, name=name, id_number=id_number)
        status = CheckStatus.MISMATCH if mismatched else CheckStatus.MATCH
        return CarrierResult(status, mismatched, self._tenure(phone, as_of), line_active=True)

    def _tenure(self, phone: str, as_of: datetime) -> int | None:
        found = self.tenure.get(phone)
        if found is None:
            return None
        times, values = found
        t = int(as_of.timestamp())
        i = bisect.bisect_right(times, t) - 1
        if i < 0:
            return None
        return values[i] + int((t - times[i]) // SECONDS_PER_MONTH)

    # ---- BankCardCheck ---------------------------------------------------------------------

    def verify_card(
        self, *, name: str, id_number: str, phone: str, card: str, as_of: datetime
    ) -> BankCardResult:
        holder = self.cards.get(card)
        if holder is None:
            return BankCardResult(CheckStatus.NOT_FOUND)
        mismatched = _mismatched(holder, name=name, id_number=id_number, phone=phone)
        return BankCardResult(CheckStatus.MISMATCH if mismatched else CheckStatus.MATCH, mismatched)

    # ---- BureauCheck and CourtCheck --------------------------------------------------------

    def _row(self, id_number: str, as_of: datetime) -> _BureauRow | None:
        found = self.bureau.get(id_number)
        if found is None:
            return None
        days, rows = found
        day = (business_date(as_of) - date(1970, 1, 1)).days
        i = bisect.bisect_right(days, day) - 1
        return rows[i] if i >= 0 else None

    def bureau_report(self, *, name: str, id_number: str, as_of: datetime) -> BureauReport:
        row = self._row(id_number, as_of)
        if row is None:
            return BureauReport(False, 0, 0, 0, 0, 0, business_date(as_of))
        return row.report

    def court_record(self, *, name: str, id_number: str, as_of: datetime) -> CourtRecord:
        row = self._row(id_number, as_of)
        return row.court if row is not None else CourtRecord(False, False, False)


def _mismatched(holder: Holder, **given: str) -> tuple[str, ...]:
    return tuple(k for k, v in given.items() if getattr(holder, k) != v)


def _bureau_row(values: list[Any]) -> _BureauRow:
    (report_date, has_file, hq, inst, opened, delinq, dpd, dishonest, ban, enforced,
     first_credit, debt_fen) = values  # fmt: skip
    report = BureauReport(
        has_file=bool(has_file),
        hard_queries_90d=int(hq),
        institutions_applied_30d=int(inst),
        open_credit_institutions=int(opened),
        delinquencies_24m=int(delinq),
        max_dpd_24m=int(dpd),
        report_date=_as_date(report_date),
        first_credit_date=None if _missing(first_credit) else _as_date(first_credit),
        outstanding_debt_yuan=None if _missing(debt_fen) else float(debt_fen) / 100,
    )
    return _BureauRow(report, CourtRecord(bool(dishonest), bool(ban), bool(enforced)))


def _missing(value: Any) -> bool:
    return value is None or bool(pd.isna(value))


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    parsed: date = pd.Timestamp(value).date()
    return parsed


def epoch(at: datetime) -> int:
    """Epoch seconds of an aware datetime."""
    return int(at.astimezone(UTC).timestamp())
