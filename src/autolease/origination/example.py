"""The example application of the OpenAPI document (pure data).

The same body as ``docs/examples/application.json``, whose applicant is the "clean" sandbox
identity (docs/sandbox.md); `tests/api/test_openapi_descriptions.py` keeps the two equal.
"""

from __future__ import annotations

import copy
from typing import Any

_EXAMPLE: dict[str, Any] = {
    "lead_source": {"type": "sp"},
    "applicant": {
        "type": "individual",
        "name": "沙箱通过",
        "id_number": "310101198803151234",
        "phone": "13800000001",
        "bank_card": "6222021000000000017",
        "address": {"province": "广东", "city": "广州市", "line": "430号5栋"},
        "employer": "广州市贸易有限公司",
        "monthly_income": "10000.00",
        "emergency_contacts": [
            {"name": "沙箱联系人", "phone": "13900000009", "relation": "spouse"}
        ],
    },
    "vehicle": {
        "vin": "LHGF43ES0PF577814",
        "plate": "粤DDHQD1",
        "brand": "本田",
        "model": "雅阁",
        "fuel_type": "petrol",
        "first_registration_date": "2023-07-19",
        "mileage_km": 54458,
        "asking_price": "99400.00",
        "seller": {"type": "dealer", "name": "广州市二手车市场"},
    },
    "financing": {
        "product_type": "direct_lease",
        "amount": "59640.00",
        "term_months": 36,
        "down_payment": "39760.00",
        "monthly_budget": "2761.11",
    },
    "device": {
        "fingerprint_id": "fp-sandbox-clean",
        "ip": "10.160.238.150",
        "user_agent": "Mozilla/5.0 (Linux; Android 14) AutoleaseH5/1.0",
    },
}


def sample_body() -> dict[str, Any]:
    """A fresh copy of the example application body."""
    return copy.deepcopy(_EXAMPLE)
