"""WMI table, brand aliases and VIN decoding."""

from __future__ import annotations

from datetime import date

import pytest

from autolease.identity.identifiers import IdentifierError, vin_check_digit
from autolease.vehicle.vin import brand_agreement, decode_vin
from autolease.vehicle.wmi import brand, brand_key, lookup_wmi, sources, wmi_count


def vin_of(wmi: str, year_code: str = "N", rest: str = "AU2180", serial: str = "2183294") -> str:
    body = f"{wmi}{rest}{year_code}{serial}"
    return body[:8] + vin_check_digit(body) + body[9:]


class TestWmiTable:
    def test_has_at_least_300_entries(self) -> None:
        assert wmi_count() >= 300

    def test_every_entry_cites_a_listed_source(self) -> None:
        cited = set(sources())
        assert {"domain", "wikipedia", "known"} <= cited

    @pytest.mark.parametrize(
        ("wmi", "maker"),
        [
            ("LSV", "SAIC Volkswagen"),
            ("LFV", "FAW-Volkswagen"),
            ("LVS", "Changan Ford"),
            ("LGB", "Dongfeng Nissan"),
            ("LBV", "BMW Brilliance"),
            ("LHG", "GAC Honda"),
            ("LSG", "SAIC General Motors"),
            ("LDC", "Dongfeng Peugeot-Citroën"),
            ("LRW", "Tesla Shanghai"),
            ("WBA", "BMW"),
        ],
    )
    def test_chinese_and_import_makers(self, wmi: str, maker: str) -> None:
        entry = lookup_wmi(wmi)
        assert entry is not None
        assert entry.manufacturer == maker

    def test_unknown_wmi_is_none(self) -> None:
        assert lookup_wmi("LZZ") is not None  # Sinotruk is listed
        assert lookup_wmi("L99") is None

    @pytest.mark.parametrize(
        ("text", "key"),
        [
            ("大众", "volkswagen"),
            ("Volkswagen", "volkswagen"),
            ("一汽-大众", "volkswagen"),
            ("上汽大众", "volkswagen"),
            ("VW", "volkswagen"),
            ("奔驰", "mercedes-benz"),
            ("Mercedes-Benz", "mercedes-benz"),
            ("merc", "mercedes-benz"),
            ("东风日产", "nissan"),
            ("广汽丰田凯美瑞", "toyota"),
            ("长安福特", "ford"),
            ("领克", "lynk-co"),
        ],
    )
    def test_brand_aliases_in_chinese_and_english(self, text: str, key: str) -> None:
        assert brand_key(text) == key

    @pytest.mark.parametrize("text", ["", "   ", "special edition", "12"])
    def test_unknown_brand_is_none(self, text: str) -> None:
        assert brand_key(text) is None

    def test_brand_metadata(self) -> None:
        bmw = brand("bmw")
        assert bmw is not None
        assert (bmw.origin, bmw.tier, bmw.tier_rank) == ("germany", "premium", 2.0)


class TestDecodeVin:
    def test_decodes_maker_country_year_and_brands(self) -> None:
        d = decode_vin(vin_of("LSV"), registered=date(2022, 5, 1))
        assert (d.manufacturer, d.country, d.region, d.model_year) == (
            "SAIC Volkswagen",
            "CN",
            "asia",
            2022,
        )
        assert "volkswagen" in d.brands
        assert d.brand_names()[0] == "Volkswagen"

    def test_registration_date_picks_the_30_year_cycle(self) -> None:
        vin = vin_of("LFV", year_code="B")  # B = 1981 or 2011
        assert decode_vin(vin, registered=date(2011, 3, 1)).model_year == 2011
        assert decode_vin(vin, registered=date(1982, 3, 1)).model_year == 1981

    def test_chinese_vin_with_wrong_check_digit_is_rejected(self) -> None:
        vin = vin_of("LSV")
        wrong = vin[:8] + ("1" if vin[8] != "1" else "2") + vin[9:]
        with pytest.raises(IdentifierError) as err:
            decode_vin(wrong)
        assert err.value.rule == "checksum"

    def test_unknown_wmi_keeps_the_region(self) -> None:
        d = decode_vin(vin_of("L99"))
        assert d.manufacturer is None
        assert (d.country, d.region, d.wmi_known) == ("CN", "asia", False)


class TestBrandAgreement:
    @pytest.mark.parametrize(
        ("wmi", "declared"),
        [
            ("LSV", "大众"),
            ("LSV", "Volkswagen"),
            ("LSV", "斯柯达"),
            ("LFV", "奥迪"),
            ("LVS", "福特"),
            ("LBV", "宝马"),
            ("LGB", "日产"),
            ("LHG", "本田"),
            ("LDC", "标致"),
        ],
    )
    def test_declared_brand_built_by_the_maker_matches(self, wmi: str, declared: str) -> None:
        assert brand_agreement(declared, decode_vin(vin_of(wmi))) == "match"

    @pytest.mark.parametrize(
        ("wmi", "declared"), [("LSV", "宝马"), ("LBV", "大众"), ("WBA", "丰田")]
    )
    def test_declared_brand_of_another_maker_is_a_mismatch(self, wmi: str, declared: str) -> None:
        assert brand_agreement(declared, decode_vin(vin_of(wmi))) == "mismatch"

    def test_unknown_wmi_or_brand_is_unknown(self) -> None:
        assert brand_agreement("大众", decode_vin(vin_of("L99"))) == "unknown"
        assert brand_agreement("某某汽车", decode_vin(vin_of("LSV"))) == "unknown"
