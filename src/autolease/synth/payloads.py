"""Rows of a synthetic book → JSON bodies of ``POST /v1/applications`` (``ApplicationCreate``).

Pure: no I/O. Money is rendered as strings with two decimals from the int64 fen columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc


@dataclass(frozen=True)
class SynthPayload:
    """One application body, with the SP that submits it and an idempotency key."""

    application_id: int
    sp_code: str
    idempotency_key: str
    body: dict[str, Any]


def money(fen: int) -> str:
    """Render an amount in fen as yuan with two decimals.

    Parameters
    ----------
    fen : int

    Returns
    -------
    str

    Examples
    --------
    >>> money(1234567), money(5)
    ('12345.67', '0.05')
    """
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole}.{cents:02d}"


def _rows_by_id(table: Any, key: str, ids: list[int]) -> dict[int, dict[str, Any]]:
    mask = pc.is_in(table.column(key), value_set=pa.array(sorted(set(ids)), type=pa.int64()))
    return {row[key]: row for row in table.filter(mask).to_pylist()}


def _contacts(app: Mapping[str, Any]) -> list[dict[str, str]]:
    contacts = []
    for slot in (1, 2, 3):
        name = app[f"contact{slot}_name"]
        if name is not None:
            contacts.append(
                {
                    "name": name,
                    "phone": app[f"contact{slot}_phone"],
                    "relation": app[f"contact{slot}_relation"],
                }
            )
    return contacts


def _applicant(app: Mapping[str, Any], person: Mapping[str, Any]) -> dict[str, Any]:
    common = {
        "phone": person["phone"],
        "bank_card": app["bank_card"],
        "address": {
            "province": person["province"],
            "city": person["city"],
            "line": person["address_line"],
        },
        "monthly_income": money(app["monthly_income_fen"]),
        "emergency_contacts": _contacts(app),
    }
    if person["kind"] == "corporate":
        return {
            "type": "corporate",
            "name": person["name"],
            "uscc": person["uscc"],
            "legal_representative": {
                "name": person["legal_rep_name"],
                "id_number": person["legal_rep_id_number"],
                "phone": person["legal_rep_phone"],
            },
            **common,
        }
    individual = {"type": "individual", "name": person["name"], "id_number": person["id_number"]}
    if person["employer"] is not None:
        individual["employer"] = person["employer"]
    return {**individual, **common}


def _vehicle(app: Mapping[str, Any], car: Mapping[str, Any]) -> dict[str, Any]:
    registered: date = car["first_registration_date"]
    seller: dict[str, Any] = {"type": app["seller_type"]}
    if app["seller_name"] is not None:
        seller["name"] = app["seller_name"]
    vehicle = {
        "first_registration_date": registered.isoformat(),
        "vin": car["vin"],
        "plate": car["plate"],
        "brand": app["declared_brand"],
        "model": app["declared_model"],
        "fuel_type": app["fuel_type"],
        "mileage_km": int(app["declared_mileage_km"]),
        "asking_price": money(app["asking_price_fen"]),
        "seller": seller,
    }
    if app["invoice_price_fen"] is not None:
        vehicle["invoice_price"] = money(app["invoice_price_fen"])
    return vehicle


def _device(app: Mapping[str, Any]) -> dict[str, Any]:
    device: dict[str, Any] = {
        "fingerprint_id": app["device_fingerprint"],
        "ip": app["ip"],
        "user_agent": app["user_agent"],
        "signals": {
            "timezone": app["device_timezone"],
            "lang": app["device_lang"],
            "emulator": bool(app["device_emulator"]),
            "rooted": bool(app["device_rooted"]),
        },
    }
    if app["gps_lat"] is not None:
        device["gps_lat"], device["gps_lon"] = app["gps_lat"], app["gps_lon"]
    return device


def application_body(
    app: Mapping[str, Any], person: Mapping[str, Any], car: Mapping[str, Any]
) -> dict[str, Any]:
    """The ``ApplicationCreate`` body of one application row.

    Parameters
    ----------
    app : mapping
        A row of the ``applications`` table.
    person : mapping
        Its row of the ``applicants`` table.
    car : mapping
        Its row of the ``vehicles`` table.

    Returns
    -------
    dict
        JSON-serialisable body.
    """
    lead: dict[str, Any] = {"type": app["lead_source"]}
    if app["partner_name"] is not None:
        lead["partner_name"] = app["partner_name"]
    return {
        "lead_source": lead,
        "applicant": _applicant(app, person),
        "vehicle": _vehicle(app, car),
        "financing": {
            "product_type": app["product_type"],
            "amount": money(app["amount_fen"]),
            "term_months": int(app["term_months"]),
            "down_payment": money(app["down_payment_fen"]),
            "monthly_budget": money(app["monthly_budget_fen"]),
        },
        "device": _device(app),
    }


def build_payloads(
    tables: Mapping[str, Any], *, offset: int = 0, limit: int | None = None, seed: int = 0
) -> list[SynthPayload]:
    """Bodies for a slice of the ``applications`` table (in application order).

    Parameters
    ----------
    tables : mapping of str to pyarrow.Table
        ``applications``, ``applicants`` and ``vehicles``.
    offset : int
        First application row.
    limit : int, optional
        Number of rows (default: to the end).
    seed : int
        Used in the idempotency key (``synth-<seed>-<application_id>``).

    Returns
    -------
    list of SynthPayload
    """
    apps = tables["applications"].slice(offset, limit).to_pylist()
    people = _rows_by_id(tables["applicants"], "applicant_id", [a["applicant_id"] for a in apps])
    cars = _rows_by_id(tables["vehicles"], "vehicle_id", [a["vehicle_id"] for a in apps])
    return [
        SynthPayload(
            application_id=a["application_id"],
            sp_code=a["sp_code"],
            idempotency_key=f"synth-{seed}-{a['application_id']}",
            body=application_body(a, people[a["applicant_id"]], cars[a["vehicle_id"]]),
        )
        for a in apps
    ]
