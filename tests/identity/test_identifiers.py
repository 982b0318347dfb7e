"""Tests for autolease.identity.identifiers (docs/domain.md §3)."""

from __future__ import annotations

import pickle
import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autolease.identity.identifiers import (
    IdentifierError,
    Plate,
    ResidentId,
    current_region_codes,
    decode_model_year,
    is_unionpay,
    is_virtual_operator,
    luhn_check_digit,
    resident_id_check_char,
    uscc_check_char,
    validate_bank_card,
    validate_mobile,
    validate_plate,
    validate_resident_id,
    validate_uscc,
    validate_vin,
    vin_check_digit,
)

# No example database on disk, no wall-clock deadline: deterministic and fast.
FAST = settings(max_examples=60, deadline=None, database=None)

REGION_CODES = current_region_codes()
TODAY = date(2025, 6, 1)
RID_CHECK_CHARS = "0123456789X"
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VIN_CHARSET = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"
MODEL_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"


def with_rid_check(first17: str) -> str:
    return first17 + resident_id_check_char(first17)


def with_vin_check(vin: str) -> str:
    return vin[:8] + vin_check_digit(vin) + vin[9:]


def wrong_vin_check(vin: str) -> str:
    expected = vin_check_digit(vin)
    return vin[:8] + ("0" if expected != "0" else "1") + vin[9:]


def assert_rule(excinfo: pytest.ExceptionInfo[IdentifierError], rule: str, secret: str) -> None:
    """The rule matches and no message echoes the (personal) input value."""
    error = excinfo.value
    assert error.rule == rule
    assert error.message_en
    assert error.message_zh
    if len(secret) >= 5:
        for text in (error.message_en, error.message_zh, str(error)):
            assert secret not in text


# --------------------------------------------------------------------------- error type


class TestIdentifierError:
    def test_carries_rule_and_messages(self) -> None:
        error = IdentifierError("checksum", "check character should be X", "校验码应为X")
        assert isinstance(error, ValueError)
        assert (error.rule, error.message_en, error.message_zh) == (
            "checksum",
            "check character should be X",
            "校验码应为X",
        )
        assert str(error) == "checksum: check character should be X"

    def test_pickle_round_trip(self) -> None:
        error = IdentifierError("length", "too short", "太短")
        restored = pickle.loads(pickle.dumps(error))
        assert (restored.rule, restored.message_en, restored.message_zh) == (
            "length",
            "too short",
            "太短",
        )


# --------------------------------------------------------------------------- resident ID


class TestResidentIdCheckChar:
    def test_standard_sample(self) -> None:
        assert resident_id_check_char("11010519491231002") == "X"

    def test_second_sample(self) -> None:
        assert resident_id_check_char("37010119010203997") == "3"

    def test_wrong_length(self) -> None:
        with pytest.raises(IdentifierError) as excinfo:
            resident_id_check_char("1101051949123100")
        assert_rule(excinfo, "length", "1101051949123100")

    def test_non_digits(self) -> None:
        with pytest.raises(IdentifierError) as excinfo:
            resident_id_check_char("1101051949123100A")
        assert_rule(excinfo, "charset", "1101051949123100A")


class TestValidateResidentId:
    def test_standard_sample(self) -> None:
        rid = validate_resident_id("11010519491231002X")
        assert rid == ResidentId(
            number="11010519491231002X",
            region_code="110105",
            region_name="北京市朝阳区",
            birth_date=date(1949, 12, 31),
            gender="F",
        )

    def test_second_sample_is_male(self) -> None:
        rid = validate_resident_id("370101190102039973")
        assert rid.birth_date == date(1901, 2, 3)
        assert rid.gender == "M"
        assert rid.region_name == "山东省济南市"

    def test_lowercase_x_is_normalised(self) -> None:
        assert validate_resident_id("11010519491231002x").number == "11010519491231002X"

    def test_whitespace_is_removed(self) -> None:
        assert validate_resident_id(" 110105 19491231 002X ").number == "11010519491231002X"

    def test_region_name_includes_prefecture(self) -> None:
        assert validate_resident_id(with_rid_check("35010219900101123")).region_name == (
            "福建省福州市鼓楼区"
        )

    def test_historic_region_code_is_accepted(self) -> None:
        rid = validate_resident_id(with_rid_check("11010319800101123"))
        assert rid.region_name == "北京市崇文区"

    def test_renamed_region_prefers_current_name(self) -> None:
        rid = validate_resident_id(with_rid_check("12011019800101123"))
        assert rid.region_name == "天津市东丽区"

    def test_province_level_code_uses_simplified_name(self) -> None:
        rid = validate_resident_id(with_rid_check("81000019800101123"))
        assert rid.region_name == "香港特别行政区"

    def test_legacy_15_digit_number(self) -> None:
        with pytest.raises(IdentifierError) as excinfo:
            validate_resident_id("110105491231002")
        assert_rule(excinfo, "legacy_format", "110105491231002")

    @pytest.mark.parametrize("value", ["", "1101051949123100", "11010519491231002X1"])
    def test_wrong_length(self, value: str) -> None:
        with pytest.raises(IdentifierError) as excinfo:
            validate_resident_id(value)
        assert_rule(excinfo, "length", value)

    @pytest.mark.parametrize(
        "value", ["1101051949123100AX", "11010519491231002Y", "１１０１０５19491231002X"]
    )
    def test_bad_characters(self, value: str) -> None:
        with pytest.raises(IdentifierError) as excinfo:
            validate_resident_id(value)
        assert_rule(excinfo, "charset", value)

    @pytest.mark.parametrize("first6", ["990101", "119999", "000000"])
    def test_unknown_region_code(self, first6: str) -> None:
        value = with_rid_check(first6 + "19900101123")
        with pytest.raises(IdentifierError) as excinfo:
            validate_resident_id(value)
        assert_rule(excinfo, "region_code", value)

    @pytest.mark.parametrize("birth", ["19490230", "19491301", "19490000", "20230229"])
    def test_impossible_birth_date(self, birth: str) -> None:
        value = with_rid_check("110105" + birth + "123")
        with pytest.raises(IdentifierError) as excinfo:
            validate_resident_id(value)
        assert_rule(excinfo, "birth_date", value)
        assert "calendar" in excinfo.value.message_en

    def test_birth_before_1900(self) -> None:
        value = with_rid_check("11010518991231123")
        with pytest.raises(IdentifierError) as excinfo:
            validate_resident_id(value)
        assert_rule(excinfo, "birth_date", value)
        assert "1900" in excinfo.value.message_en

    def test_future_birth_date_with_today(self) -> None:
        value = with_rid_check("11010520250602123")
        with pytest.raises(IdentifierError) as excinfo:
            validate_resident_id(value, today=TODAY)
        assert_rule(excinfo, "birth_date", value)
        assert "future" in excinfo.value.message_en

    def test_birth_date_equal_to_today_is_accepted(self) -> None:
        rid = validate_resident_id(with_rid_check("11010520250601123"), today=TODAY)
        assert rid.birth_date == TODAY

    def test_future_birth_date_is_not_checked_without_today(self) -> None:
        rid = validate_resident_id(with_rid_check("11010520990101123"))
        assert rid.birth_date == date(2099, 1, 1)

    def test_wrong_check_character(self) -> None:
        with pytest.raises(IdentifierError) as excinfo:
            validate_resident_id("110105194912310021")
        assert_rule(excinfo, "checksum", "110105194912310021")
        assert excinfo.value.message_en == "check character should be X"
        assert excinfo.value.message_zh == "校验码应为X"

    @given(
        region=st.sampled_from(REGION_CODES),
        born=st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
        sequence=st.integers(min_value=0, max_value=999),
    )
    @FAST
    def test_generated_numbers_round_trip(self, region: str, born: date, sequence: int) -> None:
        first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
        rid = validate_resident_id(with_rid_check(first17), today=TODAY)
        assert rid.region_code == region
        assert rid.birth_date == born
        assert rid.gender == ("M" if sequence % 2 else "F")
        assert rid.region_name

    @given(
        region=st.sampled_from(REGION_CODES),
        born=st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
        sequence=st.integers(min_value=0, max_value=999),
        data=st.data(),
    )
    @FAST
    def test_changed_check_character_is_rejected(
        self, region: str, born: date, sequence: int, data: st.DataObject
    ) -> None:
        first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
        correct = resident_id_check_char(first17)
        wrong = data.draw(st.sampled_from([c for c in RID_CHECK_CHARS if c != correct]))
        with pytest.raises(IdentifierError) as excinfo:
            validate_resident_id(first17 + wrong, today=TODAY)
        assert_rule(excinfo, "checksum", first17 + wrong)


class TestResidentIdAgeOn:
    @pytest.fixture
    def rid(self) -> ResidentId:
        return validate_resident_id("11010519491231002X")

    def test_day_before_birthday(self, rid: ResidentId) -> None:
        assert rid.age_on(date(2025, 12, 30)) == 75

    def test_on_birthday(self, rid: ResidentId) -> None:
        assert rid.age_on(date(2025, 12, 31)) == 76

    def test_on_birth_date(self, rid: ResidentId) -> None:
        assert rid.age_on(date(1949, 12, 31)) == 0

    def test_leap_day_birthday_in_common_year(self) -> None:
        rid = validate_resident_id(with_rid_check("11010520000229123"))
        assert rid.age_on(date(2018, 2, 28)) == 17
        assert rid.age_on(date(2018, 3, 1)) == 18

    def test_date_before_birth_is_rejected(self, rid: ResidentId) -> None:
        with pytest.raises(ValueError, match="before the birth date"):
            rid.age_on(date(1949, 12, 30))


class TestCurrentRegionCodes:
    def test_sorted_unique_six_digit_county_codes(self) -> None:
        codes = current_region_codes()
        assert len(codes) > 2000
        assert list(codes) == sorted(set(codes))
        assert all(re.fullmatch(r"[0-9]{6}", code) for code in codes)
        assert not any(code.endswith("00") for code in codes)

    def test_includes_current_and_renamed_codes(self) -> None:
        codes = current_region_codes()
        assert "110105" in codes  # 朝阳区
        assert "120110" in codes  # 东郊区 → 东丽区

    def test_excludes_historic_only_and_placeholder_codes(self) -> None:
        codes = current_region_codes()
        assert "110103" not in codes  # [-2010]崇文区
        assert "370101" not in codes  # 市辖区

    def test_is_cached(self) -> None:
        assert current_region_codes() is current_region_codes()


# --------------------------------------------------------------------------- USCC


class TestUsccCheckChar:
    def test_worked_example(self) -> None:
        assert uscc_check_char("91350100M000100Y4") == "3"

    @pytest.mark.parametrize("code", ["91110108551385082Q", "91110000600037341L"])
    def test_known_codes(self, code: str) -> None:
        assert uscc_check_char(code[:17]) == code[17]

    def test_wrong_length(self) -> None:
        with pytest.raises(IdentifierError) as excinfo:
            uscc_check_char("9111010855138508")
        assert_rule(excinfo, "length", "9111010855138508")

    def test_bad_characters(self) -> None:
        with pytest.raises(IdentifierError) as excinfo:
            uscc_check_char("91110108551385O82")
        assert_rule(excinfo, "charset", "91110108551385O82")


class TestValidateUscc:
    @pytest.mark.parametrize("last", ["I", "-", "é"])
    def test_bad_last_character_reports_expected_check_char(self, last: str) -> None:
        value = "91350100M000100Y4" + last
        with pytest.raises(IdentifierError) as excinfo:
            validate_uscc(value)
        assert_rule(excinfo, "checksum", value)
        assert excinfo.value.message_en == "check character should be 3"

    def test_worked_example_is_invalid(self) -> None:
        with pytest.raises(IdentifierError) as excinfo:
            validate_uscc("91350100M000100Y4Z")
        assert_rule(excinfo, "checksum", "91350100M000100Y4Z")
        assert excinfo.value.message_en == "check character should be 3"

    def test_xiaomi(self) -> None:
        uscc = validate_uscc("91110108551385082Q")
        assert uscc.code == "91110108551385082Q"
        assert uscc.authority_code == "9"
        assert uscc.entity_type_code == "1"
        assert uscc.region_code == "110108"
        assert uscc.org_code == "551385082"

    def test_second_known_code(self) -> None:
        assert validate_uscc("91110000600037341L").region_code == "110000"

    def test_lowercase_and_spaces_are_normalised(self) -> None:
        assert validate_uscc(" 91110000 600037341l ").code == "91110000600037341L"

    @pytest.mark.parametrize("value", ["", "91110108551385082", "91110108551385082QQ"])
    def test_wrong_length(self, value: str) -> None:
        with pytest.raises(IdentifierError) as excinfo:
            validate_uscc(value)
        assert_rule(excinfo, "length", value)

    @pytest.mark.parametrize("bad", ["I", "O", "S", "V", "Z", "-"])
    def test_bad_characters(self, bad: str) -> None:
        value = "91110108551385" + bad + "82Q"
        with pytest.raises(IdentifierError) as excinfo:
            validate_uscc(value)
        assert_rule(excinfo, "charset", value)

    def test_region_code_must_be_digits(self) -> None:
        body = "9111A108551385082"
        value = body + uscc_check_char(body)
        with pytest.raises(IdentifierError) as excinfo:
            validate_uscc(value)
        assert_rule(excinfo, "format", value)

    @given(
        head=st.text(USCC_CHARSET, min_size=2, max_size=2),
        region=st.text("0123456789", min_size=6, max_size=6),
        org=st.text(USCC_CHARSET, min_size=9, max_size=9),
        data=st.data(),
    )
    @FAST
    def test_round_trip_and_changed_check_char(
        self, head: str, region: str, org: str, data: st.DataObject
    ) -> None:
        body = head + region + org
        check = uscc_check_char(body)
        uscc = validate_uscc(body + check)
        assert (uscc.authority_code, uscc.entity_type_code) == (head[0], head[1])
        assert (uscc.region_code, uscc.org_code) == (region, org)
        wrong = data.draw(st.sampled_from([c for c in USCC_CHARSET if c != check]))
        with pytest.raises(IdentifierError) as excinfo:
            validate_uscc(body + wrong)
        assert_rule(excinfo, "checksum", body + wrong)


# --------------------------------------------------------------------------- VIN


class TestVinCheckDigit:
    def test_sample_with_placeholder_at_position_9(self) -> None:
        assert vin_check_digit("1G4AH59H?5G118341") == "4"

    def test_european_sample(self) -> None:
        assert vin_check_digit("WBAXW1104J0X16755") == "4"

    def test_remainder_ten_is_x(self) -> None:
        assert vin_check_digit("LSVAG2180E2100003") == "X"

    def test_wrong_length(self) -> None:
        with pytest.raises(IdentifierError) as excinfo:
            vin_check_digit("1G4AH59H45G11834")
        assert_rule(excinfo, "length", "1G4AH59H45G11834")

    def test_bad_characters(self) -> None:
        with pytest.raises(IdentifierError) as excinfo:
            vin_check_digit("1G4AH59H45G1I8341")
        assert_rule(excinfo, "charset", "1G4AH59H45G1I8341")


class TestValidateVin:
    def test_north_american_sample(self) -> None:
        vin = validate_vin("1G4AH59H45G118341")
        assert (vin.wmi, vin.vds, vin.vis) == ("1G4", "AH59H4", "5G118341")
        assert vin.check_digit_ok
        assert vin.model_year is None
        assert vin.warnings == ()

    def test_european_sample_with_model_year(self) -> None:
        vin = validate_vin("WBAXW1104J0X16755", registration_date=date(2018, 5, 1))
        assert vin.check_digit_ok
        assert vin.model_year == 2018

    def test_check_digit_x(self) -> None:
        assert validate_vin("LSVAG218XE2100003").check_digit_ok

    def test_lowercase_and_spaces_are_normalised(self) -> None:
        assert validate_vin(" wbaxw1104j0x16755 ").vin == "WBAXW1104J0X16755"

    @pytest.mark.parametrize("value", ["", "WBAXW1104J0X1675", "WBAXW1104J0X167555"])
    def test_wrong_length(self, value: str) -> None:
        with pytest.raises(IdentifierError) as excinfo:
            validate_vin(value)
        assert_rule(excinfo, "length", value)

    @pytest.mark.parametrize("bad", ["I", "O", "Q", "-", "é"])
    def test_bad_characters(self, bad: str) -> None:
        value = "WBAXW1104J0X1675" + bad
        with pytest.raises(IdentifierError) as excinfo:
            validate_vin(value)
        assert_rule(excinfo, "charset", value)

    @pytest.mark.parametrize("char", ["1", "A", "L"])
    def test_single_repeated_character(self, char: str) -> None:
        with pytest.raises(IdentifierError) as excinfo:
            validate_vin(char * 17)
        assert_rule(excinfo, "repeated_character", char * 17)

    @pytest.mark.parametrize("value", ["1G4AH59H55G118341", "LSVAG2181E2100003"])
    def test_check_digit_mismatch_is_hard_error_in_china_and_north_america(
        self, value: str
    ) -> None:
        with pytest.raises(IdentifierError) as excinfo:
            validate_vin(value)
        assert_rule(excinfo, "checksum", value)
        assert excinfo.value.message_en.startswith("check digit (position 9) should be ")

    def test_check_digit_mismatch_is_warning_elsewhere(self) -> None:
        vin = validate_vin("WBAXW1105J0X16755")
        assert not vin.check_digit_ok
        assert vin.warnings == ("check_digit",)

    def test_model_year_decoded_only_with_registration_date(self) -> None:
        assert validate_vin("1G4AH59H45G118341").model_year is None
        vin = validate_vin("1G4AH59H45G118341", registration_date=date(2005, 3, 1))
        assert vin.model_year == 2005

    @pytest.mark.parametrize("code", ["0", "U", "Z"])
    def test_invalid_model_year_char_is_error_for_chinese_vin(self, code: str) -> None:
        value = with_vin_check("LSVAG2180" + code + "2100003")
        with pytest.raises(IdentifierError) as excinfo:
            validate_vin(value)
        assert_rule(excinfo, "model_year", value)

    def test_invalid_model_year_char_is_warning_for_european_vin(self) -> None:
        vin = validate_vin(with_vin_check("WBAXW1100Z0X16755"), registration_date=date(2018, 5, 1))
        assert vin.model_year is None
        assert vin.warnings == ("model_year",)

    @given(
        wmi_tail=st.text(VIN_CHARSET, min_size=2, max_size=2),
        vds=st.text(VIN_CHARSET, min_size=5, max_size=5),
        year_code=st.sampled_from(MODEL_YEAR_CODES),
        serial=st.text(VIN_CHARSET, min_size=7, max_size=7),
    )
    @FAST
    def test_chinese_vin_round_trip(
        self, wmi_tail: str, vds: str, year_code: str, serial: str
    ) -> None:
        raw = "L" + wmi_tail + vds + "0" + year_code + serial
        vin = validate_vin(with_vin_check(raw), registration_date=TODAY)
        assert vin.check_digit_ok
        assert vin.warnings == ()
        assert vin.model_year == decode_model_year(year_code, TODAY)
        with pytest.raises(IdentifierError) as excinfo:
            validate_vin(wrong_vin_check(raw))
        assert_rule(excinfo, "checksum", wrong_vin_check(raw))

    @given(
        wmi_tail=st.text(VIN_CHARSET, min_size=2, max_size=2),
        vds=st.text(VIN_CHARSET, min_size=5, max_size=5),
        year_code=st.sampled_from(MODEL_YEAR_CODES),
        serial=st.text(VIN_CHARSET, min_size=7, max_size=7),
    )
    @FAST
    def test_european_vin_mismatch_is_only_a_warning(
        self, wmi_tail: str, vds: str, year_code: str, serial: str
    ) -> None:
        raw = "W" + wmi_tail + vds + "0" + year_code + serial
        assert validate_vin(with_vin_check(raw)).check_digit_ok
        vin = validate_vin(wrong_vin_check(raw))
        assert not vin.check_digit_ok
        assert vin.warnings == ("check_digit",)


class TestDecodeModelYear:
    @pytest.mark.parametrize(
        ("code", "registered", "expected"),
        [
            ("A", date(2010, 6, 1), 2010),
            ("A", date(2009, 12, 31), 2010),  # model year one ahead of registration
            ("A", date(2008, 12, 31), 1980),  # two ahead is too far: previous cycle
            ("Y", date(2000, 1, 1), 2000),
            ("Y", date(2029, 3, 1), 2030),
            ("Y", date(2028, 3, 1), 2000),
            ("1", date(2001, 1, 1), 2001),
            ("1", date(2030, 7, 1), 2031),
            ("9", date(2009, 1, 1), 2009),
            ("9", date(2037, 1, 1), 2009),
            ("9", date(2038, 1, 1), 2039),
            ("H", date(2017, 1, 1), 2017),
            ("J", date(2018, 1, 1), 2018),
            ("S", date(2025, 3, 1), 2025),
            ("T", date(2025, 3, 1), 2026),
            ("V", date(2025, 3, 1), 1997),
            ("l", date(2021, 1, 1), 2020),
        ],
    )
    def test_cycle_boundaries(self, code: str, registered: date, expected: int) -> None:
        assert decode_model_year(code, registered) == expected

    @pytest.mark.parametrize("code", ["I", "O", "Q", "U", "Z", "0", "", "AB", "-"])
    def test_invalid_code(self, code: str) -> None:
        with pytest.raises(IdentifierError) as excinfo:
            decode_model_year(code, date(2020, 1, 1))
        assert_rule(excinfo, "model_year", code)

    def test_year_before_coding_scheme(self) -> None:
        with pytest.raises(IdentifierError) as excinfo:
            decode_model_year("Y", date(1985, 1, 1))
        assert_rule(excinfo, "model_year", "Y")
        assert "1980" in excinfo.value.message_en


# --------------------------------------------------------------------------- mobile


class TestValidateMobile:
    @pytest.mark.parametrize(
        "value",
        [
            "13812345678",
            "138 1234 5678",
            "138-1234-5678",
            "+8613812345678",
            "+86 138 1234 5678",
            "+86-138-1234-5678",
            "008613812345678",
            "8613812345678",
            " 13812345678 ",
        ],
    )
    def test_normalisation(self, value: str) -> None:
        assert validate_mobile(value) == "13812345678"

    @pytest.mark.parametrize("value", ["1381234567a", "(138)12345678", "１３８１２３４５６７８"])
    def test_non_digits(self, value: str) -> None:
        with pytest.raises(IdentifierError) as excinfo:
            validate_mobile(value)
        assert_rule(excinfo, "charset", value)

    @pytest.mark.parametrize("value", ["", "1381234567", "138123456789", "861381234567"])
    def test_wrong_length(self, value: str) -> None:
        with pytest.raises(IdentifierError) as excinfo:
            validate_mobile(value)
        assert_rule(excinfo, "length", value)

    @pytest.mark.parametrize("value", ["12812345678", "10012345678", "23812345678"])
    def test_bad_prefix(self, value: str) -> None:
        with pytest.raises(IdentifierError) as excinfo:
            validate_mobile(value)
        assert_rule(excinfo, "format", value)


class TestIsVirtualOperator:
    @pytest.mark.parametrize(
        "mobile",
        ["17001234567", "17091234567", "16212345678", "16512345678", "16712345678", "17112345678"],
    )
    def test_virtual_prefixes(self, mobile: str) -> None:
        assert is_virtual_operator(mobile)

    def test_prefix_is_read_after_normalisation(self) -> None:
        assert is_virtual_operator("+86 170-0123-4567")

    @pytest.mark.parametrize("mobile", ["13812345678", "17212345678", "16612345678"])
    def test_ordinary_prefixes(self, mobile: str) -> None:
        assert not is_virtual_operator(mobile)

    def test_invalid_number_is_not_virtual(self) -> None:
        assert not is_virtual_operator("1700123")


# --------------------------------------------------------------------------- plates


class TestValidatePlate:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("京A12345", Plate("京A12345", "京", "ordinary", None)),
            ("京A·12345", Plate("京A12345", "京", "ordinary", None)),
            (" 沪 b.1c2d3 ", Plate("沪B1C2D3", "沪", "ordinary", None)),
            ("京AD1234", Plate("京AD1234", "京", "ordinary", None)),
            ("粤BD12345", Plate("粤BD12345", "粤", "nev_small", "D")),
            ("粤BFA1234", Plate("粤BFA1234", "粤", "nev_small", "F")),
            ("川A12345D", Plate("川A12345D", "川", "nev_large", "D")),
            ("琼A12345F", Plate("琼A12345F", "琼", "nev_large", "F")),
        ],
    )
    def test_valid_plates(self, value: str, expected: Plate) -> None:
        assert validate_plate(value) == expected

    @pytest.mark.parametrize("value", ["", "京A1234", "京A1234567", "A12345"])
    def test_wrong_length(self, value: str) -> None:
        with pytest.raises(IdentifierError) as excinfo:
            validate_plate(value)
        assert_rule(excinfo, "length", value)

    @pytest.mark.parametrize("value", ["港A12345", "台A12345", "AA123456", "1A12345"])
    def test_unknown_province(self, value: str) -> None:
        with pytest.raises(IdentifierError) as excinfo:
            validate_plate(value)
        assert_rule(excinfo, "province", value)

    @pytest.mark.parametrize("value", ["京I12345", "京O12345", "京112345", "京京12345"])
    def test_bad_office_code(self, value: str) -> None:
        with pytest.raises(IdentifierError) as excinfo:
            validate_plate(value)
        assert_rule(excinfo, "office_code", value)

    @pytest.mark.parametrize(
        "value",
        [
            "京A1234I",  # I in ordinary serial
            "京AO1234",  # O in ordinary serial
            "京A123456",  # 6-char serial without D/F
            "京AD1I345",  # I in small-NEV serial
            "京AD12A45",  # small NEV: last four must be digits
            "京A1234DF",  # large NEV: first five must be digits
            "京A12345X",  # large NEV: last must be D or F
            "京A1234学",  # learner suffix is not supported
        ],
    )
    def test_bad_serial(self, value: str) -> None:
        with pytest.raises(IdentifierError) as excinfo:
            validate_plate(value)
        assert_rule(excinfo, "format", value)


# --------------------------------------------------------------------------- bank cards


class TestLuhnCheckDigit:
    @pytest.mark.parametrize(
        ("partial", "expected"),
        [("411111111111111", "1"), ("543212345678888", "1"), ("7992739871", "3"), ("0", "0")],
    )
    def test_known_values(self, partial: str, expected: str) -> None:
        assert luhn_check_digit(partial) == expected

    def test_empty(self) -> None:
        with pytest.raises(IdentifierError) as excinfo:
            luhn_check_digit("")
        assert_rule(excinfo, "length", "")

    def test_non_digits(self) -> None:
        with pytest.raises(IdentifierError) as excinfo:
            luhn_check_digit("41111111 11111")
        assert_rule(excinfo, "charset", "41111111 11111")


class TestValidateBankCard:
    @pytest.mark.parametrize("card", ["4111111111111111", "5432123456788881"])
    def test_known_valid_cards(self, card: str) -> None:
        assert validate_bank_card(card) == card

    def test_spaces_are_removed(self) -> None:
        assert validate_bank_card(" 4111 1111 1111 1111 ") == "4111111111111111"

    @pytest.mark.parametrize(
        "value", ["4111-1111-1111-1111", "411111111111111a", "٤١١١١١١١١١١١١١١١"]
    )
    def test_non_digits(self, value: str) -> None:
        with pytest.raises(IdentifierError) as excinfo:
            validate_bank_card(value)
        assert_rule(excinfo, "charset", value)

    @pytest.mark.parametrize("body", ["41111111111", "4111111111111111111"])
    def test_wrong_length(self, body: str) -> None:
        value = body + luhn_check_digit(body)
        with pytest.raises(IdentifierError) as excinfo:
            validate_bank_card(value)
        assert_rule(excinfo, "length", value)

    def test_luhn_failure(self) -> None:
        with pytest.raises(IdentifierError) as excinfo:
            validate_bank_card("4111111111111112")
        assert_rule(excinfo, "checksum", "4111111111111112")

    @given(partial=st.text("0123456789", min_size=12, max_size=18), data=st.data())
    @FAST
    def test_round_trip_and_any_single_digit_change_breaks_luhn(
        self, partial: str, data: st.DataObject
    ) -> None:
        card = partial + luhn_check_digit(partial)
        assert validate_bank_card(card) == card
        index = data.draw(st.integers(min_value=0, max_value=len(card) - 1))
        digit = data.draw(st.sampled_from([d for d in "0123456789" if d != card[index]]))
        changed = card[:index] + digit + card[index + 1 :]
        with pytest.raises(IdentifierError) as excinfo:
            validate_bank_card(changed)
        assert_rule(excinfo, "checksum", changed)


class TestIsUnionpay:
    @pytest.mark.parametrize("card", ["6222021234567890123", "6212 3456 7890 1234"])
    def test_unionpay(self, card: str) -> None:
        assert is_unionpay(card)

    @pytest.mark.parametrize("card", ["4111111111111111", "5432123456788881", "62ab", ""])
    def test_not_unionpay(self, card: str) -> None:
        assert not is_unionpay(card)
