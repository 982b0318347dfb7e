"""A synthetic book (`autolease.synth`) as link rows, model inputs and truth (pure).

The caller reads the Parquet tables (`fraud.service.read_book`); everything here transforms
pyarrow tables in memory.

**Links.** The values each application would contribute through the API
(`origination.facts.link_values`): resident ID (a corporate lessee's USCC and legal
representative's ID), employer, phone, bank card, normalised address, VIN, emergency
contact phones, device fingerprint, IP. They are compared in **plaintext** inside the
offline process, normalised like the blind index (trimmed, upper case), with contact phones
in the phone namespace — equal plaintexts are exactly the values whose blind indexes would be
equal. Exports never show plaintext: values are masked (`kit.masking`).

Applications the API would reject (a forged ID check character or a fictitious VIN — the
book marks them in ``truth.bad_identifier``) are left out, as they never reach the store.

**Inputs** (`book_features`) follow `fraud.features.FEATURES`: the same formulas as
`features.application_inputs`, the bureau and carrier answers of the local registry
(`identity.providers.local`), the book's device columns through `fraud.device`, and
velocity and as-of graph features over the link rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, overload

import numpy as np
import numpy.typing as npt
import pandas as pd  # type: ignore[import-untyped,unused-ignore]
import pyarrow as pa
import pyarrow.compute as pc

from autolease.fraud.device import languages_include_chinese, timezone_is_chinese
from autolease.fraud.features import FEATURES
from autolease.fraud.keys import DEFAULT_POLICY, LinkPolicy, hash_kind
from autolease.fraud.links import LinkRows, build_rows
from autolease.fraud.neighbourhood import GRAPH_FEATURES, graph_frame
from autolease.fraud.regions import PROVINCE_CODES, province_key
from autolease.fraud.velocity import velocity_frame
from autolease.identity.identifiers import is_virtual_operator
from autolease.identity.providers.local import LocalRegistry
from autolease.kit import masking

F64 = npt.NDArray[np.float64]
REQUIRED_TABLES = ("applications", "applicants", "vehicles")
MASKERS = {
    "id_number": masking.mask_id_number,
    "phone": masking.mask_phone,
    "bank_card": masking.mask_bank_card,
}


@dataclass(frozen=True)
class BookLinks:
    """The link rows of a book and the joined application frame (rows in app-index order)."""

    rows: LinkRows
    frame: pd.DataFrame
    values: list[str]
    """Per value id, ``"<blind-index kind>:<normalised plaintext>"`` (in process only)."""


def _frame(table: Any) -> pd.DataFrame:
    return table if isinstance(table, pd.DataFrame) else table.to_pandas()


def _valid_ids(tables: Mapping[str, Any]) -> pd.Series | None:
    truth = tables.get("truth")
    if truth is None:
        return None
    t = _frame(truth)
    if "bad_identifier" not in t.columns:
        return None
    return t.loc[t["bad_identifier"].isna(), "application_id"]


def application_frame(tables: Mapping[str, Any]) -> pd.DataFrame:
    """Applications joined with their applicant, vehicle and SP, in submission order.

    Adds ``t`` (epoch seconds), ``sp`` (integer SP code), ``person_id`` (resident ID of the
    applicant or legal representative), ``person_phone`` and ``link_phone`` (the phone the
    application links on: a company's own phone for a corporate lessee).
    """
    missing = [t for t in REQUIRED_TABLES if t not in tables]
    if missing:
        raise ValueError(f"the book lacks tables {missing}")
    apps = _frame(tables["applications"])
    valid = _valid_ids(tables)
    if valid is not None:
        apps = apps[apps["application_id"].isin(valid)]
    people = _frame(tables["applicants"]).rename(
        columns={"province": "res_province", "monthly_income_fen": "person_income_fen"}
    )
    cars = _frame(tables["vehicles"])[["vehicle_id", "vin", "first_registration_date"]]
    frame = apps.merge(people, on="applicant_id", how="left").merge(cars, on="vehicle_id")
    stamp = pd.to_datetime(frame["submitted_at"], utc=True)
    frame["t"] = (stamp - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(seconds=1)
    frame = frame.sort_values(["t", "application_id"], kind="stable").reset_index(drop=True)
    corporate = frame["kind"].astype(str) == "corporate"
    frame["corporate"] = corporate
    frame["person_id"] = frame["legal_rep_id_number"].where(corporate, frame["id_number"])
    frame["person_phone"] = frame["legal_rep_phone"].where(corporate, frame["phone"])
    frame["sp"] = pd.factorize(frame["sp_code"].astype(str), sort=True)[0]
    return frame


def _address(frame: pd.DataFrame) -> pd.Series:
    joined = frame["res_province"].astype(str) + frame["city"].astype(str)
    joined = joined + frame["address_line"].astype(str)
    return joined.str.replace(r"\s+", "", regex=True)


def _link_columns(frame: pd.DataFrame) -> list[tuple[str, pd.Series]]:
    corporate = frame["corporate"]
    employer = frame["employer"].where(~corporate)
    columns = [
        ("id_number", frame["person_id"]),
        ("uscc", frame["uscc"].where(corporate)),
        ("employer", employer),
        ("phone", frame["phone"]),
        ("bank_card", frame["bank_card"]),
        ("address", _address(frame)),
        ("vin", frame["vin"]),
        ("device", frame["device_fingerprint"]),
        ("ip", frame["ip"]),
    ]
    for slot in (1, 2, 3):
        columns.append(("contact_phone", frame[f"contact{slot}_phone"]))
    return columns


def _mask(kind: str, value: str) -> str:
    masker = MASKERS.get(hash_kind(kind))
    if masker is not None:
        return masker(value)
    keep = 4 if kind in ("address", "employer") else 6
    return value[:keep] + "…"


class MaskedValues(Sequence[str]):
    """The masked display form of each value id, computed when asked (exports are few)."""

    def __init__(self, values: list[str]) -> None:
        self._values = values

    def __len__(self) -> int:
        return len(self._values)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        kind, _, value = self._values[index].partition(":")
        return _mask(kind, value)


def book_link_rows(tables: Mapping[str, Any]) -> BookLinks:
    """Link rows of every application of the book the API would accept.

    Parameters
    ----------
    tables : mapping of str to pyarrow.Table or pandas.DataFrame
        ``applications``, ``applicants``, ``vehicles`` (and ``truth`` to drop the rows the
        API would reject).

    Returns
    -------
    BookLinks
    """
    frame = application_frame(tables)
    apps, kinds, texts = [], [], []
    index = np.arange(len(frame), dtype=np.int64)
    for kind, series in _link_columns(frame):
        present = series.notna().to_numpy()
        values = pc.utf8_upper(
            pc.utf8_trim_whitespace(pa.array(series[present].astype(str), type=pa.string()))
        )
        apps.append(index[present])
        kinds.extend([kind] * int(present.sum()))
        texts.append(pc.binary_join_element_wise(hash_kind(kind), values, ":"))
    joined = pa.chunked_array(texts).combine_chunks()
    encoded = joined.dictionary_encode()
    keys = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    app = np.concatenate(apps)
    # drop duplicate (app, kind, value) rows, as `origination.service.persist.link_keys` does
    kind_codes = pd.factorize(pd.Series(kinds))[0]
    unique = ~pd.DataFrame({"a": app, "k": kind_codes, "v": keys}).duplicated().to_numpy()
    dictionary = encoded.dictionary.to_pylist()
    labels = MaskedValues(dictionary)
    rows = build_rows(
        app=app[unique],
        kinds=[k for k, keep in zip(kinds, unique, strict=True) if keep],
        keys=keys[unique],
        app_time=frame["t"].to_numpy(dtype=np.int64),
        app_sp=frame["sp"].to_numpy(dtype=np.int64),
        app_ids=frame["application_id"].tolist(),
        key_labels=labels,
    )
    return BookLinks(rows, frame, dictionary)


# ----------------------------------------------------------------------------- inputs


def _num(series: pd.Series) -> F64:
    return np.asarray(pd.to_numeric(series, errors="coerce"), dtype=np.float64)


def _ratio(num: pd.Series, den: pd.Series) -> F64:
    n, d = _num(num), _num(den)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(d > 0, n / d, np.nan)


def _age(frame: pd.DataFrame) -> F64:
    ids = frame["person_id"].fillna("").astype(str)
    birth = pd.to_datetime(ids.str.slice(6, 14), format="%Y%m%d", errors="coerce")
    on = pd.to_datetime(frame["application_date"])
    before = (on.dt.month < birth.dt.month) | (
        (on.dt.month == birth.dt.month) & (on.dt.day < birth.dt.day)
    )
    age = on.dt.year - birth.dt.year - before.astype(int)
    return np.asarray(age.where(birth.notna()), dtype=np.float64)


def _flag(values: pd.Series) -> F64:
    out = values.map(lambda v: np.nan if v is None or v != v else float(bool(v)))
    return np.asarray(out, dtype=np.float64)


def application_columns(frame: pd.DataFrame) -> dict[str, Any]:
    """The ``application`` inputs (same formulas as `features.application_inputs`)."""
    days = (
        pd.to_datetime(frame["application_date"]) - pd.to_datetime(frame["first_registration_date"])
    ).dt.days
    id_province = frame["person_id"].fillna("").astype(str).str.slice(0, 2).map(PROVINCE_CODES)
    residence = frame["res_province"].map(province_key)
    differs = np.where(id_province.isna(), np.nan, (id_province != residence).astype(float))
    return {
        "amount_to_price": _ratio(frame["amount_fen"], frame["asking_price_fen"]),
        "down_payment_ratio": _ratio(frame["down_payment_fen"], frame["asking_price_fen"]),
        "log_amount": np.log(_num(frame["amount_fen"]) / 100),
        "term_months": _num(frame["term_months"]),
        "product_type": frame["product_type"].astype(str).to_numpy(),
        "lead_source": frame["lead_source"].astype(str).to_numpy(),
        "seller_type": frame["seller_type"].astype(str).to_numpy(),
        "sp_grade": frame["grade"].to_numpy(dtype=object),
        "corporate": frame["corporate"].astype(float).to_numpy(),
        "income_multiple": _ratio(frame["amount_fen"], frame["monthly_income_fen"]),
        "invoice_to_asking": _ratio(frame["invoice_price_fen"], frame["asking_price_fen"]),
        "vehicle_age_years": np.round(days.to_numpy(dtype=np.float64) / 365.25, 4),
        "mileage_km": _num(frame["declared_mileage_km"]),
        "applicant_age": _age(frame),
        "id_outside_residence": differs,
        "phone_virtual_operator": frame["person_phone"]
        .map(lambda p: float(is_virtual_operator(p)) if isinstance(p, str) else 0.0)
        .to_numpy(dtype=np.float64),
        "contacts": sum(
            frame[f"contact{s}_phone"].notna().astype(float) for s in (1, 2, 3)
        ).to_numpy(dtype=np.float64),
        "has_employer": (frame["employer"].notna() & ~frame["corporate"]).astype(float).to_numpy(),
    }


def _price_to_value(frame: pd.DataFrame) -> F64:
    price = frame["invoice_price_fen"].where(frame["invoice_price_fen"].notna(),
                                             frame["asking_price_fen"])  # fmt: skip
    return np.round(_ratio(price, frame["valuation_price_fen"]), 4)


def device_columns(frame: pd.DataFrame) -> dict[str, F64]:
    """Device inputs from the book's columns, with the rules of `fraud.device`."""
    tz = frame["device_timezone"].map(
        lambda z: timezone_is_chinese(z if isinstance(z, str) else None)
    )
    zh = frame["device_lang"].map(
        lambda v: languages_include_chinese(v if isinstance(v, str) else None)
    )
    ip = frame["ip_province"].map(lambda p: province_key(p) if isinstance(p, str) else None)
    residence = frame["res_province"].map(province_key)
    ip_mismatch = np.where(ip.isna() | residence.isna(), np.nan, (ip != residence).astype(float))
    return {
        "device_emulator": _flag(frame["device_emulator"]),
        "device_rooted": _flag(frame["device_rooted"]),
        "device_tz_mismatch": _flag(tz.map(lambda v: None if v is None else not v)),
        "device_lang_mismatch": _flag(zh.map(lambda v: None if v is None else not v)),
        "device_ip_province_mismatch": np.asarray(ip_mismatch, dtype=np.float64),
    }


def provider_columns(frame: pd.DataFrame, registry: LocalRegistry) -> dict[str, F64]:
    """Bureau, court and carrier inputs, asked of the local registry as of each application."""
    n = len(frame)
    out = {name: np.full(n, np.nan) for name in (
        "thin_file", "hard_queries_90d", "institutions_applied_30d", "open_credit_institutions",
        "delinquencies_24m", "court_enforced", "phone_tenure_months", "carrier_mismatch",
    )}  # fmt: skip
    names = frame["legal_rep_name"].where(frame["corporate"], frame["name"])
    values = zip(frame["person_id"].tolist(), names.tolist(), frame["person_phone"].tolist(),
                 frame["t"].tolist(), strict=True)  # fmt: skip
    for i, (id_number, name, phone, t) in enumerate(values):
        if not isinstance(id_number, str):
            continue
        at = datetime.fromtimestamp(int(t), UTC)
        report = registry.bureau_report(name=name, id_number=id_number, as_of=at)
        court = registry.court_record(name=name, id_number=id_number, as_of=at)
        carrier = registry.verify_carrier(name=name, id_number=id_number, phone=phone, as_of=at)
        out["thin_file"][i] = float(not report.has_file)
        out["hard_queries_90d"][i] = report.hard_queries_90d
        out["institutions_applied_30d"][i] = report.institutions_applied_30d
        out["open_credit_institutions"][i] = report.open_credit_institutions
        out["delinquencies_24m"][i] = report.delinquencies_24m
        out["court_enforced"][i] = float(court.enforced)
        tenure = carrier.tenure_months
        out["phone_tenure_months"][i] = np.nan if tenure is None else tenure
        out["carrier_mismatch"][i] = float(carrier.status.value == "mismatch")
    return out


def book_features(
    tables: Mapping[str, Any],
    links: BookLinks | None = None,
    *,
    policy: LinkPolicy = DEFAULT_POLICY,
    registry: LocalRegistry | None = None,
    graph: bool = True,
) -> pd.DataFrame:
    """Model inputs of every accepted application of a book, each as of its submission.

    Parameters
    ----------
    tables : mapping
        The book's tables (``sps`` for the SP grade, ``bureau`` for bureau and court).
    links : BookLinks, optional
        From `book_link_rows` (computed when not given).
    policy : LinkPolicy
    registry : LocalRegistry, optional
        The providers (built from the tables when not given).
    graph : bool
        Compute the as-of graph features (the slow part); NaN otherwise.

    Returns
    -------
    pandas.DataFrame
        ``application_id``, ``t`` (epoch seconds), ``application_date`` and every name of
        `features.FEATURES`, in submission order.
    """
    links = links or book_link_rows(tables)
    frame = links.frame
    frame = frame.assign(grade=None)
    if "sps" in tables:
        sps = _frame(tables["sps"])
        grades = dict(zip(sps["sp_code"].astype(str), sps["grade"].astype(str), strict=True))
        frame = frame.assign(grade=frame["sp_code"].astype(str).map(grades))
    registry = registry or LocalRegistry.from_tables(tables)
    columns: dict[str, Any] = {
        "application_id": frame["application_id"].to_numpy(),
        "t": frame["t"].to_numpy(dtype=np.int64),
        "application_date": frame["application_date"].to_numpy(),
    }
    columns.update(application_columns(frame))
    columns["price_to_value"] = _price_to_value(frame)
    columns["face_match_score"] = _num(frame["face_match_score"])
    columns.update(device_columns(frame))
    columns.update(provider_columns(frame, registry))
    columns.update(velocity_frame(links.rows))
    if graph:
        columns.update(graph_frame(links.rows, policy))
    else:
        columns.update({n: np.full(len(frame), np.nan) for n in GRAPH_FEATURES})
    out = pd.DataFrame(columns)
    return out[["application_id", "t", "application_date", *(f.name for f in FEATURES)]]


def book_truth(tables: Mapping[str, Any], application_ids: Any) -> pd.DataFrame:
    """Truth of the given applications: ``is_fraud``, ``fraud_type``, ``ring_id``."""
    truth = _frame(tables["truth"])[["application_id", "is_fraud", "fraud_type", "ring_id"]]
    order = pd.DataFrame({"application_id": np.asarray(application_ids)})
    out = order.merge(truth, on="application_id", how="left")
    out["fraud_type"] = out["fraud_type"].astype(object).where(out["fraud_type"].notna(), None)
    return out
