from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from autolease.fraud.ipregions import CidrRegions
from autolease.fraud.keys import link_hash
from autolease.fraud.service.devices import collect
from autolease.fraud.service.prefetch import DevicePrefetcher
from autolease.origination.pipeline import LinkKey, PrefetchRequest
from autolease.runtime import Runtime
from tests.fraud.test_device import LAPTOP

REGIONS = CidrRegions.from_rows([("10.0.0.0/8", "广东省"), ("8.8.8.0/24", "海外")])


@dataclass(frozen=True)
class DeviceFacts:
    """The shape proposed for `ApplicationFacts.device` (see docs/fraud.md)."""

    fingerprint_id: str | None = None
    ip: str | None = None
    user_agent: str | None = None
    signals: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Facts:
    province: str = "广东省"
    device: DeviceFacts | None = None


def _request(links: tuple[LinkKey, ...], at: datetime, device: DeviceFacts | None = None) -> Any:
    return PrefetchRequest(Facts(device=device), links, at, 1)  # type: ignore[arg-type]


class TestDevicePrefetcher:
    def test_uses_the_latest_collected_sighting(self, runtime: Runtime) -> None:
        at = runtime.clock.now()
        with runtime.sessions() as session:
            found = collect(
                session,
                raw_signals={**LAPTOP, "webdriver": True},
                ip="10.1.2.3",
                at=at,
                ids=runtime.ids,
                cipher=runtime.cipher,
                resolver=REGIONS,
            )
            key = link_hash(runtime.cipher.blind_index, "device", found.device_id)
            out = DevicePrefetcher(REGIONS).fetch(
                session, _request((LinkKey("device", key),), at + timedelta(minutes=1))
            )
            before = DevicePrefetcher(REGIONS).fetch(
                session, _request((LinkKey("device", key),), at - timedelta(minutes=1))
            )
            session.rollback()
        assert out["device_collected"] is True
        assert out["device_automation"] is True
        assert out["device_ip_province_mismatch"] is False
        assert before["device_collected"] is False  # collected after the application

    def test_falls_back_to_the_applications_own_signals(self, runtime: Runtime) -> None:
        device = DeviceFacts("sdk-123", "8.8.8.8", None, {"timezone": "UTC", "emulator": True,
                                                           "vendor_field": "ignored"})  # fmt: skip
        with runtime.sessions() as session:
            out = DevicePrefetcher(REGIONS).fetch(
                session, _request((), datetime(2026, 1, 1, tzinfo=UTC), device)
            )
        assert out["device_collected"] is False
        assert out["device_emulator"] is True
        assert out["device_foreign_ip"] is True
        assert out["device_tz_mismatch"] is None  # a foreign IP makes the locale check moot

    def test_without_any_device_data_flags_are_missing(self, runtime: Runtime) -> None:
        with runtime.sessions() as session:
            out = DevicePrefetcher().fetch(session, _request((), datetime(2026, 1, 1, tzinfo=UTC)))
        assert out["device_tz_mismatch"] is None
        assert out["device_emulator"] is False
