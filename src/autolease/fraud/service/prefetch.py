"""Prefetchers: velocity, graph neighbourhood and device look-ups before the stages run.

Each implements `origination.service.intake.Prefetcher` (``name`` and
``fetch(session, request) -> dict``); their dicts are merged into ``ctx.features``. The
application being assessed is not stored yet: its link keys come with the request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from autolease.fraud import repository
from autolease.fraud.device import (
    FLAG_FIELDS,
    NUMBER_FIELDS,
    TEXT_FIELDS,
    Signals,
    SignalsInvalid,
    device_flags,
    normalise,
)
from autolease.fraud.ipregions import IpRegionResolver, NoRegions
from autolease.fraud.keys import DEFAULT_POLICY, LinkPolicy
from autolease.fraud.neighbourhood import AppKey, explore, graph_features
from autolease.fraud.velocity import VELOCITY_KINDS, velocity_features
from autolease.origination.pipeline import PrefetchRequest


def _keys(request: PrefetchRequest) -> dict[str, str]:
    """Kind → key hash (the first of each kind; velocity kinds have one each)."""
    out: dict[str, str] = {}
    for link in request.links:
        out.setdefault(link.kind, link.key_hash)
    return out


@dataclass(frozen=True)
class VelocityPrefetcher:
    """``velocity_*`` features, plus ``contacts`` and ``has_employer`` from the links."""

    name: str = "fraud_velocity"

    def fetch(self, session: Session, request: PrefetchRequest) -> dict[str, Any]:
        keys = _keys(request)
        present = frozenset(keys) & frozenset(VELOCITY_KINDS)
        counts = repository.velocity_counts(
            session, keys=keys, as_of=request.as_of, sp_id=request.sp_id
        )
        cross = repository.cross_counts(session, keys=keys, as_of=request.as_of)
        out: dict[str, Any] = dict(velocity_features(present, counts, cross))
        out["contacts"] = sum(1 for link in request.links if link.kind == "contact_phone")
        out["has_employer"] = "employer" in keys
        return out


@dataclass(frozen=True)
class GraphPrefetcher:
    """``graph_*`` features of the two-hop neighbourhood, with known-bad neighbours."""

    policy: LinkPolicy = DEFAULT_POLICY
    name: str = "fraud_graph"

    def fetch(self, session: Session, request: PrefetchRequest) -> dict[str, Any]:
        as_of = request.as_of.timestamp()
        seeds = [AppKey(link.kind, link.key_hash) for link in request.links]
        source = repository.SqlLinkSource(session)
        nb = explore(source, seeds, self_id=None, as_of=as_of, policy=self.policy)
        identity = _keys(request).get("id_number")
        return dict(graph_features(nb, own_identity=identity, own_sp=request.sp_id, as_of=as_of))


def _facts_device(request: PrefetchRequest) -> Any:
    """``facts.device`` once `ApplicationFacts` carries it (see docs/fraud.md)."""
    return getattr(request.facts, "device", None)


@dataclass(frozen=True)
class DevicePrefetcher:
    """``device_*`` flags from the collector's stored sighting, else the body's signals.

    The device link key of the application is the blind index of the ``fingerprint_id``
    the collector returned; its latest sighting before the application holds the signals
    and the IP's region. Without a sighting, the application's own ``device.signals`` and
    IP (when `ApplicationFacts` has ``device``) are used.
    """

    resolver: IpRegionResolver = field(default_factory=NoRegions)
    name: str = "fraud_device"

    def fetch(self, session: Session, request: PrefetchRequest) -> dict[str, Any]:
        link = _keys(request).get("device")
        profile = repository.device_by_link_hash(session, link) if link else None
        sighting = (
            repository.latest_sighting(session, profile.id, request.as_of) if profile else None
        )
        if sighting is not None:
            signals: Signals = normalise(sighting.signals)
            region = sighting.ip_region
        else:
            signals, region = self._from_facts(request)
        flags = device_flags(signals, ip_province=region, residence_province=request.facts.province)
        out: dict[str, Any] = dict(flags.as_features())
        out["device_collected"] = sighting is not None
        out["device_sightings"] = profile.sightings if profile is not None else 0
        return out

    def _from_facts(self, request: PrefetchRequest) -> tuple[Signals, str | None]:
        device = _facts_device(request)
        if device is None:
            return Signals({}), None
        raw = dict(getattr(device, "signals", {}) or {})
        if getattr(device, "user_agent", None):
            raw.setdefault("user_agent", device.user_agent)
        try:
            signals = normalise({k: v for k, v in raw.items() if _known(k)})
        except SignalsInvalid:
            signals = Signals({})
        ip = getattr(device, "ip", None)
        return signals, self.resolver.region_of(str(ip)) if ip else None


def _known(name: str) -> bool:
    return name in TEXT_FIELDS or name in NUMBER_FIELDS or name in FLAG_FIELDS
