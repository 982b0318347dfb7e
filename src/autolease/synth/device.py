"""Device fingerprint, IP and GPS of each application (shared devices stay consistent)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from autolease.synth import calibration as cal
from autolease.synth import checkdigits as cd
from autolease.synth import text
from autolease.synth.fraud import SP_DEVICE_BASE, Plan
from autolease.synth.geo import Geo, Sps

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]
HEX = b"0123456789abcdef"


@dataclass
class Device:
    """Device columns per row."""

    fingerprint: Any
    ip: Any
    ip_province: Any
    user_agent: Any
    gps_lat: F64
    gps_lon: F64
    gps_valid: B
    gps_province: Any
    timezone: Any
    lang: Any
    emulator: B
    rooted: B


def _hex(h1: npt.NDArray[np.uint64], h2: npt.NDArray[np.uint64]) -> Any:
    shifts = np.arange(60, -4, -4, dtype=np.uint64)
    nibbles = np.concatenate(
        [(h[:, None] >> shifts[None, :]) & np.uint64(15) for h in (h1, h2)], axis=1
    )
    return text.ascii_matrix_to_arrow(cd.chars_from_codes(nibbles.astype(np.int64), HEX))


def _device_city(plan: Plan, sps: Sps) -> I64:
    """Where the device is: the SP's office for staff devices, else the residence city."""
    staff = plan.device_key >= SP_DEVICE_BASE
    return np.where(staff, sps.city[plan.sp], plan.city)


def _ips(
    rng: np.random.Generator, plan: Plan, h: npt.NDArray[np.uint64], city: I64, geo: Geo
) -> tuple[Any, I64]:
    n = plan.n
    proxy = rng.random(n) < np.where(plan.is_type("gang_ring"), 0.2, 0.04)
    province = np.where(proxy, rng.integers(0, geo.n_cities, n), city)
    prov = geo.province_index[province]
    octets = np.array(cal.IP_FIRST_OCTETS)
    first = octets[(prov * 7 + (h % np.uint64(3)).astype(np.int64)) % len(octets)]
    second = (prov * 8 + ((h >> np.uint64(8)) % np.uint64(8)).astype(np.int64)) % 256
    third = ((h >> np.uint64(16)) % np.uint64(256)).astype(np.int64)
    fourth = 1 + ((h >> np.uint64(24)) % np.uint64(254)).astype(np.int64)
    ip = text.join(
        text.numbers(first), ".", text.numbers(second), ".",
        text.numbers(third), ".", text.numbers(fourth),
    )  # fmt: skip
    return ip, province


def generate_device(rng: np.random.Generator, plan: Plan, sps: Sps, geo: Geo, salt: int) -> Device:
    """Device columns of a chunk.

    Parameters
    ----------
    rng : numpy.random.Generator
    plan : Plan
    sps : Sps
    geo : Geo
    salt : int

    Returns
    -------
    Device
    """
    n = plan.n
    h = cd.mix64(plan.device_key, salt)
    h2 = cd.mix64(plan.device_key, salt + 1)
    city = _device_city(plan, sps)
    ip, ip_city = _ips(rng, plan, h2, city, geo)
    draw = ((h2 >> np.uint64(32)) % np.uint64(100_000)).astype(np.float64) / 100_000
    fraud = plan.is_fraud
    emulator = draw < np.where(plan.is_type("gang_ring"), 0.08, 0.002)
    rooted = ((draw * 7.3) % 1.0) < np.where(fraud, 0.06, 0.015)
    odd_tz = rng.random(n) < np.where(fraud, 0.04, 0.004)
    lang = rng.random(n) < 0.02
    gps_valid = rng.random(n) > 0.15
    agent = ((h >> np.uint64(40)) % np.uint64(len(cal.USER_AGENTS))).astype(np.int64)
    return Device(
        fingerprint=_hex(h, h2),
        ip=ip,
        ip_province=text.take(geo.province, ip_city),
        user_agent=text.take(cal.USER_AGENTS, agent),
        gps_lat=np.round(geo.lat[city] + rng.normal(0, 0.06, n), 5),
        gps_lon=np.round(geo.lon[city] + rng.normal(0, 0.06, n), 5),
        gps_valid=gps_valid,
        gps_province=text.where(gps_valid, text.take(geo.province, city)),
        timezone=text.take(("Asia/Shanghai", "UTC"), odd_tz.astype(np.int64)),
        lang=text.take(("zh-CN", "en-US"), lang.astype(np.int64)),
        emulator=emulator,
        rooted=rooted,
    )
