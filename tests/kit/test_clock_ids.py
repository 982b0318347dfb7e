"""Tests for autolease.kit.clock and autolease.kit.ids."""

from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autolease.kit.clock import CHINA_TZ, FixedClock, SystemClock, business_date
from autolease.kit.ids import IdFactory, SystemRandom

FAST = settings(max_examples=60, deadline=None, database=None)

START = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
START_MS = 1_795_917_600_000  # START as milliseconds since the epoch
ID_RE = re.compile(r"(?P<prefix>[a-z]+)_(?P<ms>[0-9a-f]{12})(?P<rand>[0-9a-f]{20})")


class TestFixedClock:
    def test_returns_the_given_instant(self) -> None:
        assert FixedClock(START).now() == START

    def test_does_not_move_by_itself(self) -> None:
        clock = FixedClock(START)
        clock.now()
        assert clock.now() == START

    def test_rejects_a_naive_datetime(self) -> None:
        with pytest.raises(ValueError, match="aware"):
            FixedClock(datetime(2026, 11, 29, 2, 0))

    def test_accepts_a_non_utc_aware_datetime(self) -> None:
        at = datetime(2026, 11, 29, 10, 0, tzinfo=CHINA_TZ)
        assert FixedClock(at).now() == START

    def test_advance_moves_by_the_given_delta(self) -> None:
        clock = FixedClock(START)
        clock.advance(seconds=5)
        assert clock.now() == START + timedelta(seconds=5)

    def test_advances_accumulate(self) -> None:
        clock = FixedClock(START)
        clock.advance(days=1)
        clock.advance(hours=2, milliseconds=3)
        assert clock.now() == START + timedelta(days=1, hours=2, milliseconds=3)

    def test_advance_keeps_the_time_zone(self) -> None:
        clock = FixedClock(START)
        clock.advance(minutes=1)
        assert clock.now().tzinfo is UTC


class TestSystemClock:
    def test_returns_an_aware_utc_instant(self) -> None:
        now = SystemClock().now()
        assert now.utcoffset() == timedelta(0)


class TestBusinessDate:
    def test_utc_evening_is_the_next_day_in_shanghai(self) -> None:
        assert business_date(datetime(2026, 11, 29, 20, 0, tzinfo=UTC)) == date(2026, 11, 30)

    def test_utc_afternoon_before_16_is_the_same_day(self) -> None:
        assert business_date(datetime(2026, 11, 29, 15, 59, 59, tzinfo=UTC)) == date(2026, 11, 29)

    def test_utc_16_is_local_midnight(self) -> None:
        assert business_date(datetime(2026, 11, 29, 16, 0, tzinfo=UTC)) == date(2026, 11, 30)

    def test_new_year_rolls_over_in_china_first(self) -> None:
        assert business_date(datetime(2026, 12, 31, 17, 0, tzinfo=UTC)) == date(2027, 1, 1)

    def test_instant_in_another_zone_is_converted(self) -> None:
        new_york_evening = datetime(2026, 11, 29, 20, 0, tzinfo=timezone(timedelta(hours=-5)))
        assert business_date(new_york_evening) == date(2026, 11, 30)

    def test_china_tz_is_shanghai(self) -> None:
        assert str(CHINA_TZ) == "Asia/Shanghai"


class TestIdFactoryNew:
    def test_id_is_prefixed_and_has_32_hex_characters(self) -> None:
        new_id = IdFactory(FixedClock(START), random.Random(1)).new("app")
        match = ID_RE.fullmatch(new_id)
        assert match is not None
        assert match["prefix"] == "app"

    def test_time_part_is_the_clock_in_milliseconds(self) -> None:
        new_id = IdFactory(FixedClock(START), random.Random(1)).new("app")
        assert new_id[4:16] == f"{START_MS:012x}"

    def test_time_part_keeps_sub_second_milliseconds(self) -> None:
        clock = FixedClock(START + timedelta(milliseconds=7))
        assert IdFactory(clock, random.Random(1)).new("app")[4:16] == f"{START_MS + 7:012x}"

    def test_random_part_comes_from_the_injected_source(self) -> None:
        new_id = IdFactory(FixedClock(START), random.Random(42)).new("app")
        assert new_id[16:] == f"{random.Random(42).getrandbits(80):020x}"

    def test_same_seed_and_clock_give_the_same_ids(self) -> None:
        first = IdFactory(FixedClock(START), random.Random(7))
        second = IdFactory(FixedClock(START), random.Random(7))
        assert [first.new("dec") for _ in range(5)] == [second.new("dec") for _ in range(5)]

    def test_different_seeds_give_different_ids(self) -> None:
        first = IdFactory(FixedClock(START), random.Random(7)).new("dec")
        second = IdFactory(FixedClock(START), random.Random(8)).new("dec")
        assert first != second

    def test_ids_at_the_same_instant_differ(self) -> None:
        factory = IdFactory(FixedClock(START), random.Random(3))
        assert len({factory.new("app") for _ in range(50)}) == 50

    def test_default_random_source_is_system_random(self) -> None:
        factory = IdFactory(FixedClock(START))
        assert factory.new("app") != factory.new("app")

    def test_lexicographic_order_follows_the_clock(self) -> None:
        clock = FixedClock(START)
        # A descending random source must not break the time ordering.
        factory = IdFactory(clock, DescendingRandom())
        ids = []
        for _ in range(20):
            ids.append(factory.new("app"))
            clock.advance(milliseconds=1)
        assert sorted(ids) == ids

    @FAST
    @given(
        first=st.datetimes(
            min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
        ),
        gap_ms=st.integers(min_value=1, max_value=10**10),
        seed=st.integers(min_value=0, max_value=2**32),
    )
    def test_later_clock_always_sorts_after(self, first: datetime, gap_ms: int, seed: int) -> None:
        rng = random.Random(seed)
        earlier = IdFactory(FixedClock(first), rng).new("app")
        later = IdFactory(FixedClock(first + timedelta(milliseconds=gap_ms)), rng).new("app")
        assert earlier < later


class TestSystemRandom:
    def test_returns_bits_within_range(self) -> None:
        values = [SystemRandom().getrandbits(8) for _ in range(50)]
        assert all(0 <= v < 256 for v in values)
        assert len(set(values)) > 1


class DescendingRandom:
    def __init__(self) -> None:
        self._next = 2**80 - 1

    def getrandbits(self, k: int, /) -> int:
        value, self._next = self._next, self._next - 1
        return value % (2**k)
