from __future__ import annotations

import pytest

from autolease.fraud.device import (
    Candidate,
    SignalsInvalid,
    bands,
    best_match,
    components,
    device_flags,
    normalise,
    similarity,
)

LAPTOP = {
    "canvas": "c0ffee01", "webgl": "9a9a9a9a", "webgl_vendor": "Intel Inc.",
    "webgl_renderer": "Intel Iris OpenGL", "audio": "a1a1a1a1", "fonts": "f0f0f0f0",
    "user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0.0.0 Safari/537.36",
    "platform": "Win32", "screen": "1920x1080x24", "timezone": "Asia/Shanghai",
    "languages": "zh-CN,zh,en", "touch_points": 0, "cpu": 8, "memory": 8,
}  # fmt: skip
PHONE = {
    "canvas": "77777777", "webgl": "88888888", "webgl_vendor": "Qualcomm",
    "webgl_renderer": "Adreno (TM) 650", "audio": "99999999", "fonts": "12121212",
    "user_agent": "Mozilla/5.0 (Linux; Android 13; V2309A) Chrome/119.0 Mobile",
    "platform": "Linux armv81", "screen": "393x873x24", "timezone": "Asia/Shanghai",
    "languages": "zh-CN", "touch_points": 5, "cpu": 8, "memory": 4,
}  # fmt: skip


def parts(raw: dict[str, object]) -> dict[str, str]:
    return components(normalise(raw))


class TestNormalise:
    def test_unknown_signal_is_refused_by_name(self) -> None:
        with pytest.raises(SignalsInvalid) as err:
            normalise({"favourite_colour": "red"})
        assert err.value.field == "signals.favourite_colour"

    def test_wrong_type_is_refused_without_echoing_the_value(self) -> None:
        with pytest.raises(SignalsInvalid) as err:
            normalise({"webdriver": "SECRET"})
        assert "SECRET" not in str(err.value)
        assert err.value.reason == "must be true or false"

    def test_overlong_text_is_refused(self) -> None:
        with pytest.raises(SignalsInvalid, match="longer than"):
            normalise({"canvas": "x" * 300})

    def test_missing_values_are_dropped(self) -> None:
        assert normalise({"canvas": None, "cpu": 4}).values == {"cpu": 4}


class TestSimilarity:
    def test_a_browser_update_keeps_the_device(self) -> None:
        updated = {**LAPTOP, "user_agent": LAPTOP["user_agent"].replace("120.0", "121.0")}
        assert similarity(parts(LAPTOP), parts(updated)) >= 0.95

    def test_a_new_font_and_canvas_change_still_match(self) -> None:
        changed = {**LAPTOP, "fonts": "f0f0f0f1", "canvas": "c0ffee02"}
        assert similarity(parts(LAPTOP), parts(changed)) >= 0.75

    def test_different_devices_do_not_match(self) -> None:
        assert similarity(parts(LAPTOP), parts(PHONE)) < 0.3

    def test_too_little_to_compare_is_no_match(self) -> None:
        assert similarity({"cpu": "8"}, {"cpu": "8"}) == 0.0


class TestBands:
    def test_one_change_leaves_two_bands_equal(self) -> None:
        before = bands(parts(LAPTOP))
        after = bands(parts({**LAPTOP, "canvas": "other"}))
        assert sum(a == b for a, b in zip(before, after, strict=True)) == 2

    def test_a_band_with_a_missing_component_is_none(self) -> None:
        found = bands(parts({"canvas": "x", "webgl": "y"}))
        assert found[0] is not None
        assert found[1:] == (None, None)


class TestBestMatch:
    def test_the_most_similar_candidate_above_the_threshold_wins(self) -> None:
        me = parts({**LAPTOP, "fonts": "new"})
        found = best_match(
            me, [Candidate("dev_b", parts(PHONE)), Candidate("dev_a", parts(LAPTOP))]
        )
        assert found is not None
        assert found.device_id == "dev_a"

    def test_no_candidate_above_the_threshold(self) -> None:
        assert best_match(parts(LAPTOP), [Candidate("dev_b", parts(PHONE))]) is None


class TestDeviceFlags:
    def test_a_clean_device(self) -> None:
        f = device_flags(normalise(LAPTOP), ip_province="上海市", residence_province="上海")
        assert f.as_features() == {
            "device_emulator": False, "device_automation": False, "device_rooted": None,
            "device_tz_mismatch": False, "device_lang_mismatch": False,
            "device_ip_province_mismatch": False, "device_foreign_ip": False,
        }  # fmt: skip

    def test_software_renderer_is_an_emulator(self) -> None:
        raw = {**PHONE, "webgl_renderer": "Google SwiftShader"}
        assert device_flags(normalise(raw), ip_province=None, residence_province=None).emulator

    @pytest.mark.parametrize(
        "change",
        [{"webdriver": True}, {"headless": True}, {"automation": "cdc"},
         {"user_agent": "Mozilla/5.0 HeadlessChrome/120.0"}],
    )  # fmt: skip
    def test_automation_markers(self, change: dict[str, object]) -> None:
        flags = device_flags(normalise({**LAPTOP, **change}), ip_province=None,
                             residence_province=None)  # fmt: skip
        assert flags.automation
        assert flags.as_features()["device_emulator"] is True

    def test_foreign_locale_with_a_chinese_ip(self) -> None:
        raw = {**LAPTOP, "timezone": "America/New_York", "languages": "en-US"}
        f = device_flags(normalise(raw), ip_province="广东省", residence_province="广东省")
        assert (f.tz_mismatch, f.lang_mismatch) == (True, True)

    def test_a_foreign_ip_makes_locale_checks_moot(self) -> None:
        raw = {**LAPTOP, "timezone": "America/New_York"}
        f = device_flags(normalise(raw), ip_province="海外", residence_province="广东")
        assert f.foreign_ip is True
        assert f.tz_mismatch is None

    def test_ip_in_another_province(self) -> None:
        f = device_flags(normalise(LAPTOP), ip_province="广东省", residence_province="四川省")
        assert f.ip_province_mismatch is True

    def test_timezone_by_offset_when_no_name(self) -> None:
        f = device_flags(normalise({"tz_offset": 300}), ip_province=None, residence_province=None)
        assert f.tz_mismatch is True
