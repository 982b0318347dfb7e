"""Build the pipeline's in-memory facts and link keys from a validated request (pure)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal

from autolease.origination.pipeline import ApplicationFacts, DeviceFacts, PersonFacts
from autolease.origination.schemas import ApplicationCreate, IndividualApplicant


def build_facts(data: ApplicationCreate, *, sp_grade: str) -> ApplicationFacts:
    applicant, vehicle, financing = data.applicant, data.vehicle, data.financing
    if isinstance(applicant, IndividualApplicant):
        person = PersonFacts(
            applicant.name,
            applicant.id_number,
            applicant.phone,
            applicant.declared_birth_date,
            applicant.declared_gender,
        )
        uscc = None
    else:
        rep = applicant.legal_representative
        person = PersonFacts(rep.name, rep.id_number, rep.phone)
        uscc = applicant.uscc
    return ApplicationFacts(
        applicant_kind=applicant.type,
        person=person,
        uscc=uscc,
        bank_card=applicant.bank_card,
        province=applicant.address.province,
        monthly_income=applicant.monthly_income,
        vin=vehicle.vin,
        plate=vehicle.plate,
        brand=vehicle.brand,
        first_registration_date=vehicle.first_registration_date,
        mileage_km=vehicle.mileage_km,
        asking_price=vehicle.asking_price,
        invoice_price=vehicle.invoice_price,
        fuel_type=vehicle.fuel_type.value if vehicle.fuel_type else None,
        seller_type=vehicle.seller.type,
        product_type=financing.product_type.value,
        amount=financing.amount,
        term_months=financing.term_months,
        down_payment=financing.down_payment,
        monthly_budget=financing.monthly_budget,
        lead_source=data.lead_source.type.value,
        sp_grade=sp_grade,
        device=device_facts(data),
        model=vehicle.model,
        biometrics=data.biometrics.to_samples() if data.biometrics is not None else None,
    )


def device_facts(data: ApplicationCreate) -> DeviceFacts | None:
    d = data.device
    if d.fingerprint_id is None and d.ip is None and d.user_agent is None and not d.signals:
        return None
    return DeviceFacts(
        fingerprint_id=d.fingerprint_id,
        ip=str(d.ip) if d.ip is not None else None,
        user_agent=d.user_agent,
        signals=dict(d.signals),
    )


def link_values(data: ApplicationCreate) -> Iterator[tuple[str, str]]:
    """(kind, plaintext) pairs this application contributes to velocity and the graph."""
    applicant = data.applicant
    if isinstance(applicant, IndividualApplicant):
        yield "id_number", applicant.id_number
        if applicant.employer:
            yield "employer", applicant.employer
    else:
        yield "uscc", applicant.uscc
        yield "id_number", applicant.legal_representative.id_number
    yield "phone", applicant.phone
    yield "bank_card", applicant.bank_card
    yield "address", normalised_address(data)
    yield "vin", data.vehicle.vin
    for contact in applicant.emergency_contacts:
        yield "contact_phone", contact.phone
    if data.device.fingerprint_id:
        yield "device", data.device.fingerprint_id
    if data.device.ip is not None:
        yield "ip", str(data.device.ip)


def normalised_address(data: ApplicationCreate) -> str:
    a = data.applicant.address
    return "".join(f"{a.province}{a.city}{a.line}".split()).upper()


def canonical_body(data: ApplicationCreate) -> str:
    """A stable text form of the request, for idempotency comparison.

    Amounts are normalised, so "70400" and "70400.00" are the same request.
    """
    return json.dumps(
        data.model_dump(mode="python"), sort_keys=True, separators=(",", ":"), default=_plain
    )


def _plain(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)
