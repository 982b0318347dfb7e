"""Sample application bodies for the demo and tests (pure; seeded randomness).

A small hand-calibrated mix: mostly clean individual applications, some corporate lessees,
and a few with findings a reviewer should see (an imported VIN whose check digit does not
match, an applicant too old at maturity, a financed amount above the asking price, a
new-energy plate on a petrol car) plus a few invalid ones the API must reject with 422.
The synthetic book (`autolease synth`) is the realistic generator; this is the quick one.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from autolease.identity.identifiers import (
    current_region_codes,
    luhn_check_digit,
    resident_id_check_char,
    uscc_check_char,
    vin_check_digit,
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
CARS = [
    ("大众", "朗逸", "LSV", 128_000),
    ("丰田", "卡罗拉", "LFM", 136_000),
    ("本田", "雅阁", "LHG", 189_000),
    ("日产", "轩逸", "LGB", 119_000),
    ("别克", "英朗", "LSG", 115_000),
    ("比亚迪", "秦PLUS", "LGX", 139_000),
    ("吉利", "帝豪", "L6T", 79_000),
    ("宝马", "3系", "LBV", 299_000),
]
PROVINCES = {
    "11": ("北京", "北京市", "京"),
    "31": ("上海", "上海市", "沪"),
    "44": ("广东", "广州市", "粤"),
    "51": ("四川", "成都市", "川"),
    "41": ("河南", "郑州市", "豫"),
    "33": ("浙江", "杭州市", "浙"),
}
PLATE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"


def resident_id(rng: random.Random, birth: date, male: bool, province: str) -> str:
    regions = [c for c in current_region_codes() if c.startswith(province)]
    seq = rng.randrange(0, 499) * 2 + (1 if male else 0)
    first17 = f"{rng.choice(regions)}{birth:%Y%m%d}{seq:03d}"
    return first17 + resident_id_check_char(first17)


def vin(rng: random.Random, wmi: str, model_year: int) -> str:
    year_code = YEAR_CODES[(model_year - 1980) % 30]
    body = wmi + "".join(rng.choice(VIN_CHARS) for _ in range(5)) + "0" + year_code
    body += "".join(rng.choice(VIN_CHARS) for _ in range(1)) + f"{rng.randrange(10**6):06d}"
    return body[:8] + vin_check_digit(body) + body[9:]


def bank_card(rng: random.Random) -> str:
    partial = "622202" + "".join(str(rng.randrange(10)) for _ in range(12))
    return partial + luhn_check_digit(partial)


def mobile(rng: random.Random) -> str:
    return rng.choice(["138", "139", "186", "135", "177", "150"]) + f"{rng.randrange(10**8):08d}"


def uscc(rng: random.Random, province: str) -> str:
    regions = [c for c in current_region_codes() if c.startswith(province)]
    org = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    first17 = f"91{rng.choice(regions)}{org}"
    return first17 + uscc_check_char(first17)


def name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def sample_application(rng: random.Random, today: date, kind: str = "clean") -> dict[str, Any]:
    """One application body.

    `kind`: clean | corporate | import_vin | old | over_price | nev_plate.
    """
    province = rng.choice(list(PROVINCES))
    prov_name, city, plate_prefix = PROVINCES[province]
    brand, model, wmi, new_price = rng.choice(CARS)
    age_years = rng.uniform(1, 7)
    registered = today - timedelta(days=int(age_years * 365))
    asking = round(new_price * (0.85**age_years) * rng.uniform(0.9, 1.1), -2)
    age = rng.randint(66, 70) if kind == "old" else rng.randint(23, 55)
    birth = date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
    male = rng.random() < 0.7
    term = rng.choice([12, 24, 36])
    down = round(asking * rng.uniform(0.2, 0.4), -2)
    amount = asking * 1.2 if kind == "over_price" else asking - down
    car_vin = vin(rng, "WBA" if kind == "import_vin" else wmi, registered.year)
    if kind == "import_vin":
        car_vin = car_vin[:8] + ("X" if car_vin[8] != "X" else "0") + car_vin[9:]
    plate = plate_prefix + rng.choice("ABCDE")
    plate += (
        "D" + "".join(rng.choice("0123456789") for _ in range(5))
        if kind == "nev_plate"
        else ("".join(rng.choice(PLATE_CHARS) for _ in range(5)))
    )
    person = {
        "name": name(rng),
        "id_number": resident_id(rng, birth, male, province),
        "phone": mobile(rng),
    }
    address = {
        "province": prov_name,
        "city": city,
        "line": f"{rng.randint(1, 999)}号{rng.randint(1, 30)}栋",
    }
    applicant: dict[str, Any]
    if kind == "corporate":
        applicant = {
            "type": "corporate",
            "name": f"{city}{name(rng)}商贸有限公司",
            "uscc": uscc(rng, province),
            "legal_representative": person,
            "phone": mobile(rng),
            "bank_card": bank_card(rng),
            "address": address,
            "monthly_income": f"{rng.randint(50, 300) * 1000}.00",
        }
    else:
        applicant = {
            "type": "individual",
            **person,
            "bank_card": bank_card(rng),
            "address": address,
            "employer": f"{city}{rng.choice(['科技', '物流', '贸易'])}有限公司",
            "monthly_income": f"{rng.randint(6, 40) * 1000}.00",
            "emergency_contacts": [{"name": name(rng), "phone": mobile(rng), "relation": "spouse"}],
        }
    return {
        "lead_source": {"type": "sp"},
        "applicant": applicant,
        "vehicle": {
            "vin": car_vin,
            "plate": plate,
            "brand": brand,
            "model": model,
            "fuel_type": "petrol",
            "first_registration_date": registered.isoformat(),
            "mileage_km": int(age_years * rng.uniform(8_000, 20_000)),
            "asking_price": f"{asking:.2f}",
            "seller": {"type": "dealer", "name": f"{city}二手车市场"},
        },
        "financing": {
            "product_type": "direct_lease",
            "amount": f"{amount:.2f}",
            "term_months": term,
            "down_payment": f"{down:.2f}",
            "monthly_budget": f"{asking / term:.2f}",
        },
        "device": {
            "fingerprint_id": f"fp{rng.getrandbits(64):016x}",
            "ip": f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
            "user_agent": "Mozilla/5.0 (Linux; Android 14) AutoleaseH5/1.0",
        },
    }


KIND_WEIGHTS = {
    "clean": 70,
    "corporate": 10,
    "import_vin": 4,
    "old": 4,
    "over_price": 4,
    "nev_plate": 3,
    "invalid": 5,
}


def sample_batch(seed: int, n: int, today: date) -> list[tuple[str, dict[str, Any]]]:
    """`n` (kind, body) pairs; kind "invalid" bodies carry a bad resident-ID check digit."""
    rng = random.Random(seed)
    kinds = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()), k=n)
    out = []
    for kind in kinds:
        body = sample_application(rng, today, "clean" if kind == "invalid" else kind)
        if kind == "invalid":
            rid = body["applicant"]["id_number"]
            body["applicant"]["id_number"] = rid[:17] + ("0" if rid[17] != "0" else "1")
        out.append((kind, body))
    return out
