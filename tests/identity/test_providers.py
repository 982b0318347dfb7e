from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from autolease.identity.providers.checks import (
    BankCardResult,
    BureauReport,
    CarrierResult,
    CheckStatus,
    CourtRecord,
    ProviderUnavailable,
)
from autolease.identity.providers.local import LocalRegistry, person_frame
from autolease.identity.providers.service import (
    IdentityChecksPrefetcher,
    build_identity_prefetcher,
    clear_cache,
)
from autolease.identity.providers.settings import IdentityProviderSettings
from autolease.identity.providers.stage import ChecksPolicy, ExternalChecksStage, check_codes
from autolease.kit.clock import business_date
from autolease.origination.facts import build_facts
from autolease.origination.pipeline import DecisionContext, LinkKey, PrefetchRequest, Severity
from autolease.origination.schemas import ApplicationCreate
from autolease.synth.book import generate_tables
from autolease.synth.config import SynthConfig
from autolease.synth.writer import write_book
from tests.factories import make_body

AT = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def tables() -> dict[str, Any]:
    return generate_tables(SynthConfig(n_applications=1500, seed=4, fraud_rate=0.2))


@pytest.fixture(scope="module")
def registry(tables: dict[str, Any]) -> LocalRegistry:
    return LocalRegistry.from_tables(tables)


@pytest.fixture(scope="module")
def persons(tables: dict[str, Any]) -> Any:
    return person_frame(tables).dropna(subset=["id_number"])


def _at(row: Any) -> datetime:
    return datetime.fromtimestamp(int(row["t"]), UTC)


class TestCarrier:
    def test_the_first_user_of_a_phone_matches(self, registry: LocalRegistry, persons: Any) -> None:
        row = persons.iloc[0]
        found = registry.verify_carrier(
            name=row["name"], id_number=row["id_number"], phone=row["phone"], as_of=_at(row)
        )
        assert found.status == CheckStatus.MATCH
        assert found.tenure_months == row["phone_tenure_months"]

    def test_someone_elses_phone_mismatches_and_says_which_field(
        self, registry: LocalRegistry, persons: Any
    ) -> None:
        a, b = persons.iloc[0], persons.iloc[1]
        found = registry.verify_carrier(
            name=a["name"], id_number=a["id_number"], phone=b["phone"], as_of=_at(a)
        )
        assert found.status == CheckStatus.MISMATCH
        assert "id_number" in found.mismatched

    def test_an_unknown_phone_is_not_found(self, registry: LocalRegistry) -> None:
        found = registry.verify_carrier(name="x", id_number="y", phone="19900000000", as_of=AT)
        assert found == CarrierResult(CheckStatus.NOT_FOUND)

    def test_tenure_grows_with_time(self, registry: LocalRegistry, persons: Any) -> None:
        row = persons.iloc[0]
        later = _at(row) + timedelta(days=92)
        found = registry.verify_carrier(
            name=row["name"], id_number=row["id_number"], phone=row["phone"], as_of=later
        )
        assert found.tenure_months == row["phone_tenure_months"] + 3

    def test_ring_members_using_a_shared_phone_mismatch(
        self, registry: LocalRegistry, persons: Any, tables: dict[str, Any]
    ) -> None:
        shared = persons[persons.duplicated("phone", keep="first")]
        shared = shared[~shared["id_number"].isin(
            persons.drop_duplicates("phone")["id_number"])]  # fmt: skip
        assert len(shared) > 0
        row = shared.iloc[0]
        found = registry.verify_carrier(
            name=row["name"], id_number=row["id_number"], phone=row["phone"], as_of=_at(row)
        )
        assert found.status == CheckStatus.MISMATCH


class TestBankCard:
    def test_four_factors_match_and_a_wrong_phone_mismatches(
        self, registry: LocalRegistry, persons: Any
    ) -> None:
        row = persons.iloc[3]
        args = {"name": row["name"], "id_number": row["id_number"], "card": row["bank_card"]}
        ok = registry.verify_card(phone=row["phone"], as_of=_at(row), **args)
        assert ok == BankCardResult(CheckStatus.MATCH)
        bad = registry.verify_card(phone="13000000000", as_of=_at(row), **args)
        assert bad == BankCardResult(CheckStatus.MISMATCH, ("phone",))


class TestBureauAndCourt:
    def test_the_report_as_of_the_application(
        self, registry: LocalRegistry, persons: Any, tables: dict[str, Any]
    ) -> None:
        bureau = tables["bureau"].to_pandas().set_index("application_id")
        row = persons.iloc[5]
        expected = bureau.loc[row["application_id"]]
        report = registry.bureau_report(name=row["name"], id_number=row["id_number"],
                                        as_of=_at(row))  # fmt: skip
        assert report.hard_queries_90d == expected["hard_queries_90d"]
        assert report.has_file == expected["has_credit_file"]
        court = registry.court_record(name=row["name"], id_number=row["id_number"], as_of=_at(row))
        assert court == CourtRecord(bool(expected["court_dishonest"]),
                                    bool(expected["spending_ban"]),
                                    bool(expected["court_enforced"]))  # fmt: skip

    def test_nothing_before_the_first_report(self, registry: LocalRegistry, persons: Any) -> None:
        row = persons.iloc[5]
        early = _at(row) - timedelta(days=400)
        report = registry.bureau_report(name="", id_number=row["id_number"], as_of=early)
        assert report.has_file is False
        assert registry.court_record(name="", id_number=row["id_number"], as_of=early) == (
            CourtRecord(False, False, False)
        )


class TestCheckCodes:
    def test_nothing_for_clean_answers(self) -> None:
        clean = {"carrier_status": "match", "phone_tenure_months": 40, "phone_line_active": True,
                 "bank_card_status": "match", "bureau_status": "ok", "thin_file": False,
                 "hard_queries_90d": 2, "court_status": "ok", "court_dishonest": False}  # fmt: skip
        assert check_codes(clean) == []

    @pytest.mark.parametrize(
        ("features", "code"),
        [
            ({"carrier_status": "mismatch"}, "CARRIER_3F_MISMATCH"),
            ({"carrier_status": "not_found"}, "CARRIER_NOT_FOUND"),
            ({"phone_line_active": False}, "PHONE_INACTIVE"),
            ({"bank_card_status": "mismatch"}, "BANK_CARD_4F_MISMATCH"),
            ({"institutions_applied_30d": 5}, "BUREAU_MULTI_LENDING"),
            ({"open_credit_institutions": 5}, "BUREAU_MULTI_LENDING"),
            ({"court_spending_ban": True}, "COURT_SPENDING_BAN"),
            ({"court_enforced": True}, "COURT_ENFORCED"),
            ({"court_status": "unavailable"}, "COURT_CHECK_UNAVAILABLE"),
            ({"court_status": "circuit_open"}, "COURT_CHECK_UNAVAILABLE"),
            ({"court_status": "timeout"}, "COURT_CHECK_TIMEOUT"),
            ({"bureau_status": "timeout"}, "BUREAU_TIMEOUT"),
            ({"bureau_status": "circuit_open"}, "BUREAU_UNAVAILABLE"),
            ({"carrier_status": "timeout"}, "CARRIER_CHECK_TIMEOUT"),
            ({"carrier_status": "circuit_open"}, "CARRIER_CHECK_UNAVAILABLE"),
            ({"bank_card_status": "timeout"}, "BANK_CARD_CHECK_TIMEOUT"),
            ({"bank_card_status": "unavailable"}, "BANK_CARD_CHECK_UNAVAILABLE"),
        ],
    )
    def test_each_finding(self, features: dict[str, Any], code: str) -> None:
        assert check_codes(features) == [code]

    def test_thresholds_are_configurable(self) -> None:
        assert check_codes({"hard_queries_90d": 7}) == ["BUREAU_MULTI_LENDING"]
        assert check_codes({"hard_queries_90d": 7}, ChecksPolicy(max_hard_queries_90d=10)) == []


def _ctx(**features: Any) -> DecisionContext:
    facts = build_facts(ApplicationCreate.model_validate(make_body(1)), sp_grade="B")
    ctx = DecisionContext(facts, AT, business_date(AT))
    ctx.features.update(features)
    return ctx


class TestExternalChecksStage:
    def test_court_lists_decline_enforcement_refers(self) -> None:
        ctx = _ctx(identity_checks={}, court_dishonest=True, court_enforced=True)
        ExternalChecksStage().run(ctx)
        assert {r.code: r.severity for r in ctx.reasons} == {
            "COURT_DISHONEST": Severity.DECLINE,
            "COURT_ENFORCED": Severity.REFER,
        }
        assert all(r.message_zh for r in ctx.reasons)

    def test_without_provider_data_it_only_notes(self) -> None:
        ctx = _ctx(court_dishonest=True)
        note = ExternalChecksStage().run(ctx)
        assert ctx.reasons == []
        assert "not configured" in note


@dataclass(frozen=True)
class Down:
    name: str = "down"

    def verify_carrier(self, **_: Any) -> CarrierResult:
        raise ProviderUnavailable("timeout")

    def verify_card(self, **_: Any) -> BankCardResult:
        raise ProviderUnavailable("timeout")

    def bureau_report(self, **_: Any) -> BureauReport:
        raise ProviderUnavailable("timeout")

    def court_record(self, **_: Any) -> CourtRecord:
        raise ProviderUnavailable("timeout")


@dataclass(frozen=True)
class Fixed:
    name: str = "fixed"
    seen: list[tuple[str, str]] | None = None

    def verify_carrier(self, *, name: str, id_number: str, **_: Any) -> CarrierResult:
        if self.seen is not None:
            self.seen.append((name, id_number))
        return CarrierResult(CheckStatus.MATCH, tenure_months=3, line_active=True)

    def bureau_report(self, **_: Any) -> BureauReport:
        return BureauReport(True, 9, 1, 1, 0, 0, date(2026, 11, 28))

    def court_record(self, **_: Any) -> CourtRecord:
        return CourtRecord(False, False, True)


def _request(kind: str = "clean") -> PrefetchRequest:
    facts = build_facts(ApplicationCreate.model_validate(make_body(3, kind)), sp_grade="B")
    return PrefetchRequest(facts, (LinkKey("phone", "h"),), AT, 1)


class TestPrefetcher:
    def test_answers_become_flat_features(self) -> None:
        fixed = Fixed()
        out = IdentityChecksPrefetcher(carrier=fixed, bureau=fixed, court=fixed).fetch(
            None,
            _request(),  # type: ignore[arg-type]
        )
        assert out["carrier_status"] == "match"
        assert out["phone_tenure_months"] == 3
        assert out["hard_queries_90d"] == 9
        assert out["court_enforced"] is True
        assert "bank_card_status" not in out
        assert out["identity_checks"]["providers"] == {"carrier": "fixed", "bureau": "fixed",
                                                       "court": "fixed"}  # fmt: skip
        ctx = _ctx(**out)
        ExternalChecksStage().run(ctx)
        assert [r.code for r in ctx.reasons] == [
            "PHONE_TENURE_SHORT", "BUREAU_MULTI_LENDING", "COURT_ENFORCED",
        ]  # fmt: skip

    def test_a_provider_outage_is_unavailable_not_an_error(self) -> None:
        down = Down()
        out = IdentityChecksPrefetcher(down, down, down, down).fetch(None, _request())  # type: ignore[arg-type]
        assert [out[k] for k in ("carrier_status", "bank_card_status", "bureau_status",
                                 "court_status")] == ["unavailable"] * 4  # fmt: skip

    def test_a_corporate_lessee_is_checked_through_its_legal_representative(self) -> None:
        seen: list[tuple[str, str]] = []
        request = _request("corporate")
        IdentityChecksPrefetcher(carrier=Fixed(seen=seen)).fetch(None, request)  # type: ignore[arg-type]
        assert seen == [(request.facts.person.name, request.facts.person.id_number)]


class TestBuild:
    def test_no_book_no_prefetcher(self) -> None:
        assert build_identity_prefetcher(IdentityProviderSettings()) is None

    def test_a_book_directory_gives_the_local_providers(self, tmp_path: Path) -> None:
        clear_cache()
        write_book(SynthConfig(n_applications=1000, seed=2), tmp_path)
        found = build_identity_prefetcher(IdentityProviderSettings(book_dir=tmp_path))
        assert found is not None
        assert isinstance(found.carrier, LocalRegistry)
        assert sorted(found.guards) == ["bank_card", "bureau", "carrier", "court"]
        assert not any(g.remote for g in found.guards.values())  # no thread per local call
        clear_cache()
