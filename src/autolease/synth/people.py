"""Applicants: names, resident IDs, phones, cards, addresses, employers, income, contacts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from autolease.synth import calibration as cal
from autolease.synth import checkdigits as cd
from autolease.synth import text
from autolease.synth.fraud import BAD_ID_NUMBER, Plan
from autolease.synth.geo import Geo, region_codes_in_cities

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]
EPOCH_1900 = -25567  # 1900-01-01 in days since 1970-01-01


class IdAllocator:
    """Keeps resident IDs unique across chunks: the sequence number counts up per
    (region, birth date), starting from a hashed offset, so no two people share an ID."""

    def __init__(self, salt: int) -> None:
        self._keys = np.zeros(0, dtype=np.int64)
        self._counts = np.zeros(0, dtype=np.int64)
        self._salt = salt

    def sequence(self, region: I64, birth_day: I64, male: B) -> I64:
        """Three-digit sequence numbers (odd for men) unique per (region, birth date).

        Parameters
        ----------
        region : ndarray of int64
        birth_day : ndarray of int64
            Days since 1970-01-01.
        male : ndarray of bool

        Returns
        -------
        ndarray of int64
        """
        keys = region * 100_000 + (birth_day - EPOCH_1900)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        starts = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]
        group_start = np.maximum.accumulate(np.where(starts, np.arange(len(keys)), 0))
        rank = np.empty(len(keys), dtype=np.int64)
        rank[order] = np.arange(len(keys)) - group_start
        position = np.searchsorted(self._keys, keys)
        known = position < len(self._keys)
        known[known] = self._keys[position[known]] == keys[known]
        counts = np.r_[self._counts, 0]
        prior = np.where(known, counts[np.minimum(position, len(self._keys))], 0)
        base = (cd.mix64(keys, self._salt) % np.uint64(500)).astype(np.int64)
        self._update(sorted_keys[starts], np.diff(np.r_[np.flatnonzero(starts), len(keys)]))
        return ((base + prior + rank) % 500) * 2 + male.astype(np.int64)

    def _update(self, keys: I64, counts: I64) -> None:
        merged = np.concatenate([self._keys, keys])
        weights = np.concatenate([self._counts, counts])
        unique, inverse = np.unique(merged, return_inverse=True)
        self._keys = unique
        self._counts = np.bincount(inverse, weights=weights).astype(np.int64)


@dataclass
class People:
    """Applicant attributes per row (already copied for re-applications and rings)."""

    corporate: B
    name: Any
    male: B
    birth_day: I64
    age: F64
    id_number: Any
    id_region: I64
    phone: Any
    phone_tenure: I64
    bank_card: Any
    address_line: Any
    employer: Any
    income_fen: I64
    credit: F64
    n_contacts: I64
    contact_name: list[Any]
    contact_phone: list[Any]
    contact_relation: list[Any]
    face_match: F64
    company_name: Any
    uscc: Any
    company_phone: Any


def surname_weights() -> F64:
    """Surname probabilities: published top-10 shares, the rest spread evenly.

    Returns
    -------
    ndarray of float64
    """
    top = np.array(cal.SURNAME_TOP_SHARES)
    rest = len(cal.SURNAMES) - len(top)
    weights = np.concatenate([top, np.full(rest, (85.0 - top.sum()) / rest)])
    return np.asarray(weights / weights.sum(), dtype=np.float64)


def make_names(rng: np.random.Generator, male: B, surname: I64 | None = None) -> Any:
    """Chinese names: a surname and one or two given-name characters by gender.

    Parameters
    ----------
    rng : numpy.random.Generator
    male : ndarray of bool
    surname : ndarray of int64, optional
        Surname indices to reuse (family members); drawn when omitted.

    Returns
    -------
    pyarrow.StringArray
    """
    n = len(male)
    if surname is None:
        surname = rng.choice(len(cal.SURNAMES), size=n, p=surname_weights())
    pool = cal.GIVEN_MALE + cal.GIVEN_FEMALE
    lo = np.where(male, 0, len(cal.GIVEN_MALE))
    span = np.where(male, len(cal.GIVEN_MALE), len(cal.GIVEN_FEMALE))
    first = lo + (rng.random(n) * span).astype(np.int64)
    second = lo + (rng.random(n) * span).astype(np.int64)
    two = rng.random(n) < 0.75
    chars = tuple(pool)
    return text.join(
        text.take(tuple(cal.SURNAMES), surname),
        text.take(chars, first),
        text.where(two, text.take(chars, second), ""),
    )


def make_phones(index: I64, mvno_share: F64, salt: int) -> Any:
    """Mobile numbers, a deterministic function of a unique slot index.

    Parameters
    ----------
    index : ndarray of int64
        Unique phone-slot indices (below 10**8).
    mvno_share : ndarray of float64
        Probability of a virtual-operator prefix, per row.
    salt : int

    Returns
    -------
    pyarrow.StringArray
    """
    h = cd.mix64(index, salt)
    draw = (h % np.uint64(10_000)).astype(np.float64) / 10_000
    normal = (h >> np.uint64(20)) % np.uint64(len(cal.MOBILE_PREFIXES))
    virtual = (h >> np.uint64(40)) % np.uint64(len(cal.MVNO_PREFIXES))
    prefix_table = np.array([[int(c) for c in p] for p in cal.MOBILE_PREFIXES + cal.MVNO_PREFIXES])
    choice = np.where(
        draw < mvno_share, len(cal.MOBILE_PREFIXES) + virtual.astype(np.int64), normal
    ).astype(np.int64)
    tail = cd.shuffle_decimal(index, 8, salt + 1)
    digits = np.concatenate(
        [(prefix_table[choice] + 48).astype(np.uint8), cd.digits_to_ascii(tail, 8)], axis=1
    )
    return text.ascii_matrix_to_arrow(digits)


def make_cards(rng: np.random.Generator, index: I64, salt: int) -> Any:
    """UnionPay card numbers with valid Luhn digits, unique per index.

    Parameters
    ----------
    rng : numpy.random.Generator
    index : ndarray of int64
        Unique global indices.
    salt : int

    Returns
    -------
    pyarrow.StringArray
    """
    weights = np.array(cal.CARD_BIN_WEIGHTS, dtype=np.float64)
    bins = rng.choice(len(cal.CARD_BINS), size=len(index), p=weights / weights.sum())
    parts: list[Any] = []
    rows: list[I64] = []
    for b, (prefix, length) in enumerate(cal.CARD_BINS):
        sel = np.flatnonzero(bins == b)
        body = cd.shuffle_decimal(index[sel], length - 7, salt + 100 + b)
        head = np.tile(np.frombuffer(prefix.encode(), dtype=np.uint8), (len(sel), 1))
        partial = np.concatenate([head, cd.digits_to_ascii(body, length - 7)], axis=1)
        full = np.concatenate([partial, cd.luhn_check_digits(partial)[:, None]], axis=1)
        parts.append(text.ascii_matrix_to_arrow(full))
        rows.append(sel)
    order = np.argsort(np.concatenate(rows), kind="stable")
    return pa.concat_arrays(parts).take(pa.array(order))


def make_resident_ids(region: I64, birth_day: I64, sequence: I64, bad: B) -> Any:
    """18-character resident IDs; rows in ``bad`` get a wrong check character.

    Parameters
    ----------
    region, birth_day, sequence : ndarray of int64
    bad : ndarray of bool

    Returns
    -------
    pyarrow.StringArray
    """
    ymd = ymd_numbers(birth_day)
    body = np.concatenate(
        [
            cd.digits_to_ascii(region, 6),
            cd.digits_to_ascii(ymd, 8),
            cd.digits_to_ascii(sequence, 3),
        ],
        axis=1,
    )
    check = cd.resident_id_check_chars(body)
    wrong = np.frombuffer(b"10X98765432", dtype=np.uint8)
    position = np.searchsorted(np.sort(wrong), check)
    shifted = np.sort(wrong)[(position + 1) % 11]
    check = np.where(bad, shifted, check)
    return text.ascii_matrix_to_arrow(np.concatenate([body, check[:, None]], axis=1))


def ymd_numbers(day: I64) -> I64:
    """Dates (days since 1970-01-01) as ``YYYYMMDD`` integers.

    Parameters
    ----------
    day : ndarray of int64

    Returns
    -------
    ndarray of int64
    """
    d = day.astype("datetime64[D]")
    year = d.astype("datetime64[Y]")
    month = d.astype("datetime64[M]")
    y = year.astype(np.int64) + 1970
    m = (month - year.astype("datetime64[M]")).astype(np.int64) + 1
    dd = (d - month.astype("datetime64[D]")).astype(np.int64) + 1
    return np.asarray(y * 10_000 + m * 100 + dd, dtype=np.int64)


def make_uscc(rng: np.random.Generator, region: I64, sole_trader: B) -> Any:
    """Unified Social Credit Codes: 91 (enterprise) or 92 (sole trader) plus region.

    Parameters
    ----------
    rng : numpy.random.Generator
    region : ndarray of int64
    sole_trader : ndarray of bool

    Returns
    -------
    pyarrow.StringArray
    """
    n = len(region)
    head = np.full((n, 2), ord("9"), dtype=np.uint8)
    head[:, 1] = np.where(sole_trader, ord("2"), ord("1"))
    org = cd.chars_from_codes(rng.integers(0, 31, (n, 9)), cd.USCC_CHARSET)
    body = np.concatenate([head, cd.digits_to_ascii(region, 6), org], axis=1)
    full = np.concatenate([body, cd.uscc_check_chars(body)[:, None]], axis=1)
    return text.ascii_matrix_to_arrow(full)


def _ages(rng: np.random.Generator, plan: Plan) -> F64:
    age = np.clip(rng.normal(cal.AGE_MEAN, cal.AGE_SD, plan.n), 22.0, 60.0)
    victim = plan.is_type("identity_theft")
    age = np.where(victim, rng.uniform(40.0, 63.0, plan.n), age)
    straw = plan.is_type("straw_buyer") | plan.is_type("gang_ring")
    return np.where(straw & (rng.random(plan.n) < 0.6), rng.uniform(22.0, 30.0, plan.n), age)


def _id_regions(rng: np.random.Generator, plan: Plan, geo: Geo) -> I64:
    home = region_codes_in_cities(rng, plan.city, geo)
    migrant = geo.migrant_codes[rng.integers(0, len(geo.migrant_codes), plan.n)]
    anywhere = geo.all_codes[rng.integers(0, len(geo.all_codes), plan.n)]
    draw = rng.random(plan.n)
    region = np.where(draw < cal.MIGRANT_SHARE, migrant, home)
    far = plan.is_type("identity_theft") | plan.is_type("gang_ring")
    region = np.where(far & (draw < 0.8), anywhere, region)
    return np.where(plan.is_type("straw_buyer") & (draw < 0.5), anywhere, region)


def _income_fen(rng: np.random.Generator, plan: Plan, geo: Geo, age: F64, credit: F64) -> I64:
    life = -0.0012 * (age - 42.0) ** 2
    log_income = (
        np.log(geo.income[plan.city]) + 0.22 * credit + life
        + rng.normal(0, cal.INCOME_LOG_SD, plan.n)
    )  # fmt: skip
    packaged = plan.is_type("gang_ring") | plan.is_type("straw_buyer") | plan.is_type("bad_sp")
    log_income = log_income + np.where(packaged, np.log(rng.uniform(1.2, 2.2, plan.n)), 0.0)
    return (np.round(np.exp(log_income) / 100) * 100 * 100).astype(np.int64)


def _phone_tenure(rng: np.random.Generator, plan: Plan) -> I64:
    tenure = rng.lognormal(np.log(cal.PHONE_TENURE_MEDIAN_MONTHS), 0.9, plan.n)
    new = rng.uniform(0.0, 6.0, plan.n)
    draw = rng.random(plan.n)
    new_share = np.select(
        [plan.is_type("identity_theft"), plan.is_type("gang_ring"), plan.is_type("straw_buyer")],
        [0.70, 0.40, 0.30],
        0.05,
    )
    return np.clip(np.where(draw < new_share, new, tenure), 0, 300).astype(np.int64)


def _addresses(rng: np.random.Generator, n: int) -> Any:
    district = rng.integers(0, len(cal.DISTRICT_WORDS), n)
    street = rng.integers(0, len(cal.STREETS), n)
    return text.join(
        text.take(cal.DISTRICT_WORDS, district), "区",
        text.take(cal.STREETS, street), "路",
        text.numbers(rng.integers(1, 999, n)), "号",
        text.numbers(rng.integers(1, 40, n)), "栋",
        text.numbers(rng.integers(1, 6, n)), "单元",
        text.numbers(rng.integers(1, 33, n) * 100 + rng.integers(1, 9, n)), "室",
    )  # fmt: skip


def _companies(rng: np.random.Generator, city: I64, geo: Geo, suffix: Any) -> Any:
    n = len(city)
    short = tuple(c.removesuffix("市") for c in geo.city)
    return text.join(
        text.take(short, city),
        text.take(cal.COMPANY_WORDS, rng.integers(0, len(cal.COMPANY_WORDS), n)),
        text.take(cal.INDUSTRIES, rng.integers(0, len(cal.INDUSTRIES), n)),
        suffix,
    )


def _relations(rng: np.random.Generator, n: int, slot: int) -> I64:
    weights = (
        (0.55, 0.30, 0.0, 0.15, 0.0, 0.0, 0.0),
        (0.0, 0.35, 0.05, 0.25, 0.10, 0.20, 0.05),
        (0.0, 0.05, 0.05, 0.10, 0.20, 0.35, 0.25),
    )[slot]
    return rng.choice(len(cal.RELATIONS), size=n, p=np.array(weights))


def _contacts(
    rng: np.random.Generator, plan: Plan, surname: I64, salt: int
) -> tuple[I64, list[Any], list[Any], list[Any]]:
    count = rng.choice([1, 2, 3], size=plan.n, p=[0.25, 0.5, 0.25])
    count = np.where(plan.is_type("identity_theft"), 1, count)
    names, phones, relations = [], [], []
    fraud_share = np.where(plan.is_fraud, cal.MVNO_SHARE_FRAUD, cal.MVNO_SHARE_LEGIT)
    for slot in range(3):
        relation = _relations(rng, plan.n, slot)
        family = np.isin(relation, [1, 2, 3])
        own_surname = np.where(
            family, surname, rng.choice(len(cal.SURNAMES), size=plan.n, p=surname_weights())
        )
        present = count > slot
        male = rng.random(plan.n) < 0.5
        names.append(text.where(present, make_names(rng, male, own_surname)))
        shared = plan.contact_idx[:, slot] % 6 == 5
        share = np.where(shared, cal.MVNO_SHARE_FRAUD, fraud_share)
        phones.append(text.where(present, make_phones(plan.contact_idx[:, slot], share, salt)))
        relations.append(text.where(present, text.take(cal.RELATIONS, relation)))
    return count, names, phones, relations


def generate_people(
    rng: np.random.Generator,
    plan: Plan,
    app_day: I64,
    geo: Geo,
    corporate_share: float,
    allocator: IdAllocator,
    salt: int,
) -> People:
    """Applicants of a chunk, with rings' shared attributes and re-applications copied.

    Parameters
    ----------
    rng : numpy.random.Generator
    plan : Plan
    app_day : ndarray of int64
        Application dates (days since 1970-01-01).
    geo : Geo
    corporate_share : float
    allocator : IdAllocator
        Carries ID uniqueness across chunks.
    salt : int
        Seed-derived salt of the identifier scrambles.

    Returns
    -------
    People
    """
    n = plan.n
    glob = np.arange(n, dtype=np.int64) + plan.offset
    individual_only = plan.is_type("identity_theft") | plan.is_type("straw_buyer")
    corporate = (rng.random(n) < corporate_share) & ~individual_only
    male = rng.random(n) < cal.MALE_SHARE
    age = _ages(rng, plan)
    birth_day = app_day - np.round(age * 365.25).astype(np.int64)
    region = _id_regions(rng, plan, geo)
    sequence = allocator.sequence(region, birth_day, male)
    credit = rng.normal(0.0, 1.0, n)
    surname = rng.choice(len(cal.SURNAMES), size=n, p=surname_weights())
    mvno = np.where(plan.is_fraud, cal.MVNO_SHARE_FRAUD, cal.MVNO_SHARE_LEGIT)
    mvno = np.where(plan.shared_phone, cal.MVNO_SHARE_FRAUD, mvno)
    count, c_names, c_phones, c_relations = _contacts(rng, plan, surname, salt)
    sole = rng.random(n) < 0.3
    suffix = text.take(("有限公司", "经营部"), sole.astype(np.int64))
    employer = _companies(rng, plan.city, geo, "有限公司")
    face = np.where(
        plan.is_type("identity_theft") | (rng.random(n) < 0.03),
        rng.beta(9.0, 4.0, n),
        rng.beta(40.0, 3.0, n),
    )
    people = People(
        corporate=corporate,
        name=make_names(rng, male, surname),
        male=male,
        birth_day=birth_day,
        age=age,
        id_number=make_resident_ids(region, birth_day, sequence, plan.bad_id == BAD_ID_NUMBER),
        id_region=region,
        phone=make_phones(plan.phone_idx, mvno, salt),
        phone_tenure=_phone_tenure(rng, plan),
        bank_card=make_cards(rng, glob, salt),
        address_line=_addresses(rng, n),
        employer=text.where(~corporate & (rng.random(n) > 0.08), employer),
        income_fen=_income_fen(rng, plan, geo, age, credit),
        credit=credit,
        n_contacts=count,
        contact_name=c_names,
        contact_phone=c_phones,
        contact_relation=c_relations,
        face_match=np.asarray(np.round(face, 4), dtype=np.float64),
        company_name=text.where(corporate, _companies(rng, plan.city, geo, suffix)),
        uscc=text.where(
            corporate, make_uscc(rng, region_codes_in_cities(rng, plan.city, geo), sole)
        ),
        company_phone=text.where(corporate, make_phones(glob * 6 + 4, mvno, salt)),
    )
    revenue = rng.lognormal(np.log(cal.CORPORATE_REVENUE_MEDIAN), 0.8, n)
    people.income_fen = np.where(
        corporate, (np.round(revenue / 100) * 10_000).astype(np.int64), people.income_fen
    )
    return _copy_shared(people, plan)


def _take(values: Any, src: I64) -> Any:
    if isinstance(values, np.ndarray):
        return values[src]
    return values.take(pa.array(src))


def _copy_shared(people: People, plan: Plan) -> People:
    """Apply re-application copies (whole person) and ring sharing (address, employer)."""
    person_fields = (
        "corporate", "name", "male", "birth_day", "age", "id_number", "id_region",
        "phone", "phone_tenure", "bank_card", "contact_phone", "income_fen", "credit",
        "n_contacts", "contact_name", "contact_relation", "company_name", "uscc", "company_phone",
    )  # fmt: skip
    src = plan.person_src
    if not np.array_equal(src, np.arange(plan.n)):
        for name in person_fields:
            value = getattr(people, name)
            copied = (
                [_take(v, src) for v in value] if isinstance(value, list) else _take(value, src)
            )
            setattr(people, name, copied)
    people.address_line = _take(people.address_line, plan.address_src)
    people.employer = _take(people.employer, plan.employer_src)
    return people
