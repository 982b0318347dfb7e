"""Tests for autolease.origination.facts: pipeline facts, link values and the canonical body."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from autolease.origination.facts import (
    build_facts,
    canonical_body,
    link_values,
    normalised_address,
)
from autolease.origination.pipeline import PersonFacts
from autolease.origination.schemas import ApplicationCreate
from tests.factories import make_body


def parse(body: dict[str, Any]) -> ApplicationCreate:
    return ApplicationCreate.model_validate(body)


def reversed_keys(value: Any) -> Any:
    """The same JSON value with every object's keys in reverse order."""
    if isinstance(value, dict):
        return {k: reversed_keys(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [reversed_keys(v) for v in value]
    return value


class TestBuildFactsIndividual:
    def test_person_comes_from_the_applicant(self) -> None:
        body = make_body(1, "clean")
        body["applicant"]["declared_birth_date"] = "1975-08-21"
        body["applicant"]["declared_gender"] = "M"
        facts = build_facts(parse(body), sp_grade="B")
        a = body["applicant"]
        assert facts.person == PersonFacts(
            a["name"], a["id_number"], a["phone"], date(1975, 8, 21), "M"
        )

    def test_kind_is_individual_without_uscc(self) -> None:
        facts = build_facts(parse(make_body(1, "clean")), sp_grade="B")
        assert facts.applicant_kind == "individual"
        assert facts.uscc is None

    def test_applicant_figures(self) -> None:
        body = make_body(1, "clean")
        facts = build_facts(parse(body), sp_grade="A")
        assert facts.bank_card == body["applicant"]["bank_card"]
        assert facts.province == body["applicant"]["address"]["province"]
        assert facts.monthly_income == Decimal(body["applicant"]["monthly_income"])
        assert facts.sp_grade == "A"
        assert facts.lead_source == "sp"

    def test_vehicle_figures(self) -> None:
        body = make_body(1, "clean")
        facts = build_facts(parse(body), sp_grade="B")
        v = body["vehicle"]
        assert facts.vin == v["vin"]
        assert facts.plate == v["plate"]
        assert facts.brand == v["brand"]
        assert facts.first_registration_date == date.fromisoformat(v["first_registration_date"])
        assert facts.mileage_km == v["mileage_km"]
        assert facts.asking_price == Decimal(v["asking_price"])
        assert facts.invoice_price is None
        assert facts.fuel_type == "petrol"
        assert facts.seller_type == "dealer"

    def test_financing_figures(self) -> None:
        body = make_body(1, "clean")
        facts = build_facts(parse(body), sp_grade="B")
        f = body["financing"]
        assert facts.product_type == "direct_lease"
        assert facts.amount == Decimal(f["amount"])
        assert facts.term_months == f["term_months"]
        assert facts.down_payment == Decimal(f["down_payment"])
        assert facts.monthly_budget == Decimal(f["monthly_budget"])

    def test_missing_fuel_type_is_none(self) -> None:
        body = make_body(1, "clean")
        del body["vehicle"]["fuel_type"]
        assert build_facts(parse(body), sp_grade="B").fuel_type is None

    def test_identifiers_are_normalised_by_validation(self) -> None:
        body = make_body(1, "clean")
        phone = body["applicant"]["phone"]
        body["applicant"]["phone"] = f"+86 {phone[:3]}-{phone[3:7]}-{phone[7:]}"
        assert build_facts(parse(body), sp_grade="B").person.phone == phone


class TestBuildFactsCorporate:
    def test_person_is_the_legal_representative(self) -> None:
        body = make_body(1, "corporate")
        rep = body["applicant"]["legal_representative"]
        facts = build_facts(parse(body), sp_grade="B")
        assert facts.person == PersonFacts(rep["name"], rep["id_number"], rep["phone"])

    def test_kind_is_corporate_with_uscc(self) -> None:
        body = make_body(1, "corporate")
        facts = build_facts(parse(body), sp_grade="B")
        assert facts.applicant_kind == "corporate"
        assert facts.uscc == body["applicant"]["uscc"]

    def test_declared_fields_are_empty(self) -> None:
        facts = build_facts(parse(make_body(1, "corporate")), sp_grade="B")
        assert facts.person.declared_birth_date is None
        assert facts.person.declared_gender is None

    def test_bank_card_and_income_are_the_company_s(self) -> None:
        body = make_body(1, "corporate")
        facts = build_facts(parse(body), sp_grade="B")
        assert facts.bank_card == body["applicant"]["bank_card"]
        assert facts.monthly_income == Decimal(body["applicant"]["monthly_income"])


class TestLinkValues:
    def test_individual_kinds_in_order(self) -> None:
        kinds = [kind for kind, _ in link_values(parse(make_body(1, "clean")))]
        assert kinds == [
            "id_number",
            "employer",
            "phone",
            "bank_card",
            "address",
            "vin",
            "contact_phone",
            "device",
            "ip",
        ]

    def test_individual_values(self) -> None:
        body = make_body(1, "clean")
        data = parse(body)
        values = dict(link_values(data))
        a = body["applicant"]
        assert values["id_number"] == a["id_number"]
        assert values["employer"] == a["employer"]
        assert values["phone"] == a["phone"]
        assert values["bank_card"] == a["bank_card"]
        assert values["address"] == normalised_address(data)
        assert values["vin"] == body["vehicle"]["vin"]
        assert values["contact_phone"] == a["emergency_contacts"][0]["phone"]
        assert values["device"] == body["device"]["fingerprint_id"]
        assert values["ip"] == body["device"]["ip"]

    def test_corporate_kinds_include_uscc_and_the_representative_id(self) -> None:
        body = make_body(1, "corporate")
        pairs = list(link_values(parse(body)))
        assert [kind for kind, _ in pairs] == [
            "uscc",
            "id_number",
            "phone",
            "bank_card",
            "address",
            "vin",
            "device",
            "ip",
        ]
        values = dict(pairs)
        assert values["uscc"] == body["applicant"]["uscc"]
        assert values["id_number"] == body["applicant"]["legal_representative"]["id_number"]

    def test_every_emergency_contact_is_a_contact_phone(self) -> None:
        body = make_body(1, "clean")
        body["applicant"]["emergency_contacts"].append(
            {"name": "李娜", "phone": "13900001111", "relation": "friend"}
        )
        contacts = [v for k, v in link_values(parse(body)) if k == "contact_phone"]
        assert contacts == [body["applicant"]["emergency_contacts"][0]["phone"], "13900001111"]

    def test_missing_device_fields_and_employer_are_skipped(self) -> None:
        body = make_body(1, "clean")
        body["device"] = {}
        del body["applicant"]["employer"]
        kinds = {kind for kind, _ in link_values(parse(body))}
        assert kinds.isdisjoint({"device", "ip", "employer"})
        assert {"id_number", "phone", "bank_card", "address", "vin"} <= kinds

    def test_ip_is_normalised_text(self) -> None:
        body = make_body(1, "clean")
        body["device"]["ip"] = "2001:DB8:0:0::1"
        assert dict(link_values(parse(body)))["ip"] == "2001:db8::1"


class TestNormalisedAddress:
    def test_joins_parts_without_whitespace_and_upper_cases(self) -> None:
        body = make_body(1, "clean")
        address = {"province": "上海", "city": "上海市", "line": "a 路 1号 B栋"}
        body["applicant"]["address"] = address
        assert normalised_address(parse(body)) == "上海上海市A路1号B栋"


class TestCanonicalBody:
    def test_is_stable_under_key_order_changes(self) -> None:
        body = make_body(1, "clean")
        assert canonical_body(parse(body)) == canonical_body(parse(reversed_keys(body)))

    def test_is_stable_for_corporate_bodies(self) -> None:
        body = make_body(2, "corporate")
        assert canonical_body(parse(body)) == canonical_body(parse(reversed_keys(body)))

    def test_is_compact_json_with_sorted_keys(self) -> None:
        text = canonical_body(parse(make_body(1, "clean")))
        parsed = json.loads(text)
        assert text == json.dumps(parsed, sort_keys=True, separators=(",", ":"))
        assert list(parsed) == sorted(parsed)

    def test_includes_defaults_so_omitting_them_changes_nothing(self) -> None:
        body = make_body(1, "clean")
        explicit = dict(body, lead_source={"type": "sp", "partner_name": None})
        assert canonical_body(parse(body)) == canonical_body(parse(explicit))

    def test_differs_when_a_value_differs(self) -> None:
        body = make_body(1, "clean")
        other = make_body(1, "clean")
        other["financing"]["amount"] = "1.00"
        assert canonical_body(parse(body)) != canonical_body(parse(other))

    def test_surrounding_whitespace_in_text_fields_changes_nothing(self) -> None:
        body = make_body(1, "clean")
        other = make_body(1, "clean")
        other["applicant"]["name"] = f"  {body['applicant']['name']} "
        assert canonical_body(parse(body)) == canonical_body(parse(other))


class TestCanonicalBodyAmounts:
    def test_amount_spelling_does_not_change_the_request(self) -> None:
        from autolease.origination.facts import canonical_body
        from autolease.origination.schemas import ApplicationCreate
        from tests.factories import make_body

        body = make_body(3)
        whole = f"{float(body['financing']['amount']):.0f}"
        body["financing"]["amount"] = whole
        other = make_body(3)
        other["financing"]["amount"] = whole + ".00"
        a = canonical_body(ApplicationCreate.model_validate(body))
        b = canonical_body(ApplicationCreate.model_validate(other))
        assert a == b
