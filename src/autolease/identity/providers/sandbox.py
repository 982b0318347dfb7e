"""Sandbox identities (pure): made-up people the local providers know, one per outcome.

Integrators test against them (docs/sandbox.md, ``docs/examples/``). Each is a carrier
record of the mobile, a bank card in the person's name and a bureau + court row dated
`REPORT_DATE`; `sandbox_tables` gives them in the shape of a synthetic book's
``applications``, ``applicants`` and ``bureau`` tables, so `LocalRegistry.from_tables`
indexes them like any book. None of them is a real person: the resident IDs, mobiles and
cards are invented and only carry valid check digits.

===========  ==========================  =================================================
identity     what the providers say      outcome
===========  ==========================  =================================================
clean        carrier and card match,     no identity-check reason; without models a
             credit file, no findings    refer for the missing scores (approve rests on
                                         the demo's models)
multi_lend   9 hard queries in 90 days   refer (BUREAU_MULTI_LENDING)
court_list   on the judgment-defaulter   decline (COURT_DISHONEST)
             list (失信被执行人)
===========  ==========================  =================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd  # type: ignore[import-untyped,unused-ignore]

REPORT_DATE = date(2026, 1, 5)
KNOWN_SINCE = pd.Timestamp("2026-01-05", tz="UTC")
# Far above any synthetic book's ids, so a sandbox row never collides with a book's.
FIRST_ID = 990_000_001


@dataclass(frozen=True)
class SandboxIdentity:
    key: str
    outcome: str
    name: str
    id_number: str
    phone: str
    bank_card: str
    hard_queries_90d: int = 1
    court_dishonest: bool = False


SANDBOX_IDENTITIES = (
    SandboxIdentity(
        "clean", "approve", "沙箱通过", "310101198803151234", "13800000001", "6222021000000000017"
    ),
    SandboxIdentity(
        "multi_lend",
        "refer",
        "沙箱转人工",
        "110105197506204567",
        "13800000002",
        "6222021000000000025",
        hard_queries_90d=9,
    ),
    SandboxIdentity(
        "court_list",
        "decline",
        "沙箱拒绝",
        "440106199208117897",
        "13800000003",
        "6222021000000000033",
        court_dishonest=True,
    ),
)


def sandbox_tables() -> dict[str, pd.DataFrame]:
    """The sandbox identities as book tables (one application and bureau row each)."""
    ids = [FIRST_ID + i for i in range(len(SANDBOX_IDENTITIES))]
    people = SANDBOX_IDENTITIES
    blank = [None] * len(people)
    applications = pd.DataFrame(
        {
            "application_id": ids,
            "applicant_id": ids,
            "submitted_at": [KNOWN_SINCE] * len(people),
            "bank_card": [p.bank_card for p in people],
            "phone_tenure_months": [36] * len(people),
        }
    )
    applicants = pd.DataFrame(
        {
            "applicant_id": ids,
            "kind": ["individual"] * len(people),
            "name": [p.name for p in people],
            "id_number": [p.id_number for p in people],
            "phone": [p.phone for p in people],
            "legal_rep_name": blank,
            "legal_rep_id_number": blank,
            "legal_rep_phone": blank,
        }
    )
    return {"applications": applications, "applicants": applicants, "bureau": _bureau(ids)}


def _bureau(ids: list[int]) -> pd.DataFrame:
    people = SANDBOX_IDENTITIES
    zeros = [0] * len(people)
    return pd.DataFrame(
        {
            "application_id": ids,
            "report_date": [REPORT_DATE] * len(people),
            "has_credit_file": [True] * len(people),
            "hard_queries_90d": [p.hard_queries_90d for p in people],
            "institutions_applied_30d": [1] * len(people),
            "open_credit_institutions": [1] * len(people),
            "delinquencies_24m": zeros,
            "max_dpd_24m": zeros,
            "court_dishonest": [p.court_dishonest for p in people],
            "spending_ban": [False] * len(people),
            "court_enforced": [False] * len(people),
            "first_credit_date": [date(2015, 6, 1)] * len(people),
            "outstanding_debt_fen": zeros,
        }
    )


def with_sandbox(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """A book's tables with the sandbox identities appended."""
    extra = sandbox_tables()
    out = dict(tables)
    for name, frame in extra.items():
        if name in tables:
            book = tables[name]
            book = book if isinstance(book, pd.DataFrame) else book.to_pandas()
            out[name] = pd.concat([book, frame], ignore_index=True)
    return out
