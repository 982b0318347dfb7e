"""IP address → region (province), from a table of address ranges (pure).

Production uses a commercial or open geo-IP table (for example ip2region); load any
``cidr,region`` CSV with `fraud.service.load_ip_regions`. Without a table the region is
unknown and the IP-based device flags are missing (``None``), never guessed.

>>> table = CidrRegions.from_rows([("58.60.0.0/14", "广东省"), ("8.8.8.0/24", "海外")])
>>> table.region_of("58.61.2.3"), table.region_of("8.8.8.8"), table.region_of("1.1.1.1")
('广东省', '海外', None)
"""

from __future__ import annotations

import bisect
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol


class IpRegionResolver(Protocol):
    def region_of(self, ip: str) -> str | None: ...


@dataclass(frozen=True)
class CidrRegions:
    """Non-overlapping ranges sorted by start; a look-up is a binary search."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    regions: tuple[str, ...]

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str]]) -> CidrRegions:
        """Build from ``(cidr, region)`` pairs (IPv4 or IPv6); raises ValueError on a bad CIDR."""
        ranges = []
        for cidr, region in rows:
            net = ipaddress.ip_network(cidr.strip(), strict=False)
            offset = 0 if net.version == 4 else 1 << 32
            ranges.append(
                (int(net.network_address) + offset, int(net.broadcast_address) + offset, region)
            )
        ranges.sort()
        return cls(
            tuple(r[0] for r in ranges), tuple(r[1] for r in ranges), tuple(r[2] for r in ranges)
        )

    def region_of(self, ip: str) -> str | None:
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return None
        value = int(address) + (0 if address.version == 4 else 1 << 32)
        i = bisect.bisect_right(self.starts, value) - 1
        if i >= 0 and value <= self.ends[i]:
            return self.regions[i]
        return None


class NoRegions:
    """The resolver when no table is configured: every region is unknown."""

    def region_of(self, ip: str) -> str | None:
        return None
