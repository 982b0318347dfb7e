"""The book: determinism, valid identifiers, fraud structure, no leakage from the future."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from autolease.identity.identifiers import (
    IdentifierError,
    is_unionpay,
    validate_bank_card,
    validate_mobile,
    validate_plate,
    validate_resident_id,
    validate_uscc,
    validate_vin,
)
from autolease.synth.book import TABLES
from autolease.synth.config import SynthConfig
from autolease.synth.writer import write_book

from .conftest import SMALL


def _digest(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


def _df(tables: dict[str, Any], name: str) -> pd.DataFrame:
    frame: pd.DataFrame = tables[name].to_pandas()
    return frame


def test_same_seed_same_bytes_other_seed_different(written_small: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    write_book(SMALL, again)
    assert _digest(again) == _digest(written_small)
    other = tmp_path / "other"
    write_book(
        SynthConfig(n_applications=2_000, seed=12, chunk_size=1_000, row_group_size=1_000), other
    )
    differing = {k for k, v in _digest(other).items() if _digest(written_small)[k] != v}
    assert {"applications.parquet", "truth.parquet", "payments.parquet"} <= differing


def test_all_tables_written_with_fixed_row_groups(written_small: Path) -> None:
    for name in TABLES:
        meta = pq.ParquetFile(written_small / f"{name}.parquet").metadata
        sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
        assert all(size == SMALL.row_group_size for size in sizes[:-1]), name
        assert meta.num_rows > 0, name


def _bad(tables: dict[str, Any]) -> dict[int, str]:
    truth = _df(tables, "truth")
    rows = truth.dropna(subset=["bad_identifier"])
    return dict(zip(rows["application_id"], rows["bad_identifier"].astype(str), strict=True))


def test_identifiers_pass_validators_except_planned_bad_ones(small_book: dict[str, Any]) -> None:
    apps = _df(small_book, "applications")
    people = _df(small_book, "applicants").set_index("applicant_id")
    cars = _df(small_book, "vehicles").set_index("vehicle_id")
    bad = _bad(small_book)
    failures: dict[str, set[int]] = {"id_number": set(), "vin": set()}
    for row in apps.itertuples():
        person = people.loc[row.applicant_id]
        number = (
            person["id_number"] if person["kind"] == "individual" else person["legal_rep_id_number"]
        )
        try:
            rid = validate_resident_id(number, today=row.application_date)
            assert 18 <= rid.age_on(row.application_date) <= 70
        except IdentifierError:
            failures["id_number"].add(row.application_id)
        car = cars.loc[row.vehicle_id]
        try:
            validate_vin(car["vin"], registration_date=car["first_registration_date"])
        except IdentifierError:
            failures["vin"].add(row.application_id)
        validate_plate(car["plate"])
        validate_mobile(person["phone"])
        assert is_unionpay(validate_bank_card(row.bank_card))
        for slot in (1, 2, 3):
            phone = getattr(row, f"contact{slot}_phone")
            if isinstance(phone, str):
                validate_mobile(phone)
    for kind, ids in failures.items():
        expected = {a for a, b in bad.items() if b == kind}
        # A bad VIN is shared by double financing of the same car; a bad ID by its re-applications.
        assert expected <= ids
        assert ids - expected == set() or kind == "id_number"
    for code in people["uscc"].dropna():
        assert validate_uscc(code).entity_type_code in {"1", "2"}


def test_identifiers_unique_where_they_should_be(small_book: dict[str, Any]) -> None:
    people = _df(small_book, "applicants")
    numbers = people["id_number"].fillna(people["legal_rep_id_number"])
    assert numbers.is_unique
    cars = _df(small_book, "vehicles")
    assert cars["vin"].is_unique
    assert cars["plate"].is_unique
    apps = _df(small_book, "applications")
    truth = _df(small_book, "truth")
    first = truth["reapplication_of"].isna() & truth["double_financing_of"].isna()
    assert apps.loc[first.to_numpy(), "bank_card"].is_unique


def test_vins_carry_real_chinese_wmis(small_book: dict[str, Any]) -> None:
    cars = _df(small_book, "vehicles")
    assert cars["vin"].str.startswith("L").all()
    nev = cars["fuel_type"].astype(str).isin(["bev", "phev"])
    assert cars.loc[nev, "plate"].str.len().eq(8).all()
    assert cars.loc[~nev, "plate"].str.len().eq(7).all()
    bev_plates = cars.loc[cars["fuel_type"].astype(str) == "bev", "plate"]
    assert bev_plates.str[2].eq("D").all()


def test_fraud_rate_near_config(medium_book: dict[str, Any]) -> None:
    truth = _df(medium_book, "truth")
    rate = truth["is_fraud"].mean()
    assert 0.012 <= rate <= 0.018
    assert set(truth["fraud_type"].dropna().astype(str)) == {
        "gang_ring", "identity_theft", "straw_buyer", "inflated_price",
        "double_financing", "odometer_rollback", "bad_sp",
    }  # fmt: skip


def test_rings_span_weeks_and_several_sps_and_share_links(medium_book: dict[str, Any]) -> None:
    truth = _df(medium_book, "truth")
    apps = _df(medium_book, "applications").merge(truth, on="application_id")
    people = _df(medium_book, "applicants")
    rings = apps.dropna(subset=["ring_id"]).merge(people, on="applicant_id")
    assert rings["ring_id"].nunique() >= 5
    for _, ring in rings.groupby("ring_id"):
        assert 3 <= len(ring) <= 30
        assert ring["sp_code"].nunique() >= 2
        span = (ring["application_date"].max() - ring["application_date"].min()).days
        assert span <= 60
        phones = pd.concat([ring[c] for c in ("contact1_phone", "contact2_phone", "phone")])
        shared = (
            ring["device_fingerprint"].duplicated().any()
            or phones.dropna().duplicated().any()
            or ring["address_line"].duplicated().any()
        )
        assert shared


def test_inflated_price_and_double_financing_signatures(medium_book: dict[str, Any]) -> None:
    truth = _df(medium_book, "truth")
    apps = _df(medium_book, "applications").merge(truth, on="application_id")
    inflated = apps[apps["fraud_type"].astype(str) == "inflated_price"]
    assert (inflated["invoice_price_fen"] / inflated["true_value_fen"] > 1.15).all()
    assert inflated["colluding_sp_code"].notna().mean() > 0.6
    double = apps[apps["fraud_type"].astype(str) == "double_financing"]
    source = apps.set_index("application_id").loc[double["double_financing_of"].astype(int)]
    assert (source["vehicle_id"].to_numpy() == double["vehicle_id"].to_numpy()).all()
    assert source["booked"].all()
    rollback = apps[apps["fraud_type"].astype(str) == "odometer_rollback"]
    assert (rollback["declared_mileage_km"] < 0.8 * rollback["true_mileage_km"]).all()


def test_no_single_giveaway_column(medium_book: dict[str, Any]) -> None:
    """Each fraud signal also fires on honest applications (ambiguous by design)."""
    truth = _df(medium_book, "truth")
    apps = _df(medium_book, "applications").merge(truth, on="application_id")
    legit = apps[~apps["is_fraud"]]
    assert (legit["invoice_price_fen"] / legit["valuation_price_fen"] > 1.15).mean() > 0.01
    assert (legit["phone_tenure_months"] < 6).mean() > 0.01
    assert (legit["face_match_score"] < 0.8).mean() > 0.005
    assert legit["device_fingerprint"].duplicated().mean() > 0.05
    assert truth["reapplication_of"].notna().sum() > 0


def test_nothing_dated_after_the_application(small_book: dict[str, Any]) -> None:
    apps = _df(small_book, "applications")[["application_id", "vehicle_id", "application_date"]]
    bureau = _df(small_book, "bureau").merge(apps, on="application_id")
    for column in ("report_date", "first_credit_date", "last_delinquency_date"):
        dated = bureau.dropna(subset=[column])
        assert (dated[column] <= dated["application_date"]).all(), column
    first_app = apps.groupby("vehicle_id")["application_date"].min()
    history = _df(small_book, "vehicle_history")
    assert (history["event_date"] < history["vehicle_id"].map(first_app)).all()
    cars = _df(small_book, "vehicles").set_index("vehicle_id")
    assert (
        cars.loc[apps["vehicle_id"], "first_registration_date"].to_numpy()
        <= apps["application_date"].to_numpy()
    ).all()
    people = _df(small_book, "applicants")
    assert (people["birth_date"] < people["first_seen_date"]).all()


def test_time_window_and_seasonality(medium_book: dict[str, Any]) -> None:
    apps = _df(medium_book, "applications")
    dates = apps["application_date"]
    assert dates.min() >= date(2024, 1, 1)
    assert dates.max() < date(2025, 1, 1)
    by_month = pd.Series([d.month for d in dates]).value_counts()
    assert by_month[2] < by_month[12]
    assert apps["application_id"].is_monotonic_increasing


def test_contracts_schedules_payments_consistent(small_book: dict[str, Any]) -> None:
    contracts = _df(small_book, "contracts")
    truth = _df(small_book, "truth")
    assert set(contracts["application_id"]) == set(truth.loc[truth["booked"], "application_id"])
    schedules = _df(small_book, "schedules")
    principal = schedules.groupby("contract_id")["principal_fen"].sum()
    financed = contracts.set_index("contract_id")["financed_amount_fen"]
    assert np.array_equal(principal.loc[financed.index].to_numpy(), financed.to_numpy())
    payments = _df(small_book, "payments")
    obs = contracts["observation_date"].iloc[0]
    assert (payments["due_date"] <= obs).all()
    assert (payments["paid_date"].dropna() <= obs).all()


def test_default_rates_by_grade_and_bad_sp_fpd(medium_book: dict[str, Any]) -> None:
    from autolease.synth.report import default_rates

    rates = default_rates(medium_book)
    assert 0.03 <= rates["overall"] <= 0.09
    assert rates["fpd_bad_sps"] > 3 * rates["fpd_other_sps"]


@pytest.mark.parametrize("bad", [{"fraud_rate": 0.9}, {"n_applications": 0}, {"chunk_size": 10}])
def test_config_rejects_nonsense(bad: dict[str, Any]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
        SynthConfig(**bad)
