"""Slow and failing identity providers: the prefetcher's guards and the stage's reasons."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest

from autolease.identity.providers.checks import BureauReport, CourtRecord, ProviderUnavailable
from autolease.identity.providers.service import IdentityChecksPrefetcher
from autolease.identity.providers.stage import ExternalChecksStage
from autolease.kit.clock import FixedClock
from autolease.kit.guard import ProviderCallSettings
from autolease.origination.pipeline import Severity
from tests.identity.test_providers import _ctx, _request

AT = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
LIMITS = ProviderCallSettings(timeout_ms=20, failure_threshold=3, cooldown_seconds=60)
REPORT = BureauReport(True, 1, 1, 1, 0, 0, date(2026, 11, 28))


@dataclass
class SlowBureau:
    """A remote bureau that answers only when released."""

    name: str = "slow-bureau"
    remote: bool = True
    release: threading.Event = field(default_factory=threading.Event)

    def bureau_report(self, **_: Any) -> BureauReport:
        self.release.wait(10)
        return REPORT


@dataclass
class FlakyCourt:
    """A local court list that raises while `down`, and counts its calls."""

    name: str = "flaky-court"
    down: bool = True
    calls: int = 0

    def court_record(self, **_: Any) -> CourtRecord:
        self.calls += 1
        if self.down:
            raise ProviderUnavailable("outage")
        return CourtRecord(False, False, False)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(AT)


def fetch(prefetcher: IdentityChecksPrefetcher) -> dict[str, Any]:
    return prefetcher.fetch(None, _request())  # type: ignore[arg-type]


class TestTimeout:
    def test_a_slow_remote_bureau_refers_with_bureau_timeout(self, clock: FixedClock) -> None:
        bureau = SlowBureau()
        prefetcher = IdentityChecksPrefetcher(bureau=bureau, calls=LIMITS, clock=clock)
        try:
            out = fetch(prefetcher)
            assert not bureau.release.is_set()  # answered without waiting for the bureau
        finally:
            bureau.release.set()
        assert out["bureau_status"] == "timeout"
        assert "hard_queries_90d" not in out
        ctx = _ctx(**out)
        ExternalChecksStage().run(ctx)
        [reason] = ctx.reasons
        assert (reason.code, reason.severity) == ("BUREAU_TIMEOUT", Severity.REFER)
        assert "bureau" in reason.message_en  # the catalogue's text (reasons.entries)
        assert "征信" in reason.message_zh

    def test_a_remote_bureau_in_time_answers_as_usual(self, clock: FixedClock) -> None:
        bureau = SlowBureau()
        bureau.release.set()
        out = fetch(IdentityChecksPrefetcher(bureau=bureau, calls=LIMITS, clock=clock))
        assert (out["bureau_status"], out["hard_queries_90d"]) == ("ok", 1)


class TestBreaker:
    def test_a_failing_court_list_opens_after_n_and_recovers(self, clock: FixedClock) -> None:
        court = FlakyCourt()
        prefetcher = IdentityChecksPrefetcher(court=court, calls=LIMITS, clock=clock)
        statuses = [fetch(prefetcher)["court_status"] for _ in range(5)]
        assert statuses == ["unavailable"] * 3 + ["circuit_open"] * 2
        assert court.calls == 3
        ctx = _ctx(**fetch(prefetcher))
        ExternalChecksStage().run(ctx)
        assert [r.code for r in ctx.reasons] == ["COURT_CHECK_UNAVAILABLE"]
        court.down = False
        clock.advance(seconds=60)
        assert fetch(prefetcher)["court_status"] == "ok"
        assert fetch(prefetcher)["court_status"] == "ok"
        assert court.calls == 5

    def test_each_check_has_its_own_breaker(self, clock: FixedClock) -> None:
        court = FlakyCourt()
        bureau = SlowBureau()
        bureau.release.set()
        prefetcher = IdentityChecksPrefetcher(bureau=bureau, court=court, calls=LIMITS, clock=clock)
        outs = [fetch(prefetcher) for _ in range(4)]
        assert outs[-1]["court_status"] == "circuit_open"
        assert outs[-1]["bureau_status"] == "ok"
