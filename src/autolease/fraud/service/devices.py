"""Device collection: match a posted fingerprint to a device identity, record the sighting."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from autolease.fraud import repository
from autolease.fraud.device import (
    Candidate,
    SignalsInvalid,
    bands,
    best_match,
    components,
    normalise,
)
from autolease.fraud.exceptions import DeviceSignalsInvalid
from autolease.fraud.ipregions import IpRegionResolver
from autolease.fraud.keys import link_hash
from autolease.fraud.models import DeviceProfile, DeviceSighting
from autolease.kit.crypto import FieldCipher
from autolease.kit.ids import IdFactory


@dataclass(frozen=True)
class Collected:
    device_id: str
    new_device: bool
    similarity: float | None


def collect(
    session: Session,
    *,
    raw_signals: Mapping[str, Any],
    ip: str | None,
    at: datetime,
    ids: IdFactory,
    cipher: FieldCipher,
    resolver: IpRegionResolver,
    threshold: float = 0.75,
) -> Collected:
    """Resolve the posted signals to a device (fuzzy) and store the sighting.

    Raises
    ------
    DeviceSignalsInvalid
        Naming the bad signal.
    """
    try:
        signals = normalise(raw_signals)
    except SignalsInvalid as err:
        raise DeviceSignalsInvalid(f"{err.field}: {err.reason}") from None
    parts = components(signals)
    keys = bands(parts)
    found = best_match(
        parts,
        (Candidate(p.id, p.components) for p in repository.device_candidates(session, keys)),
        threshold,
    )
    if found is None:
        device_id = ids.new("dev")
        profile = DeviceProfile(
            id=device_id,
            link_hash=link_hash(cipher.blind_index, "device", device_id),
            components=parts,
            first_seen_at=at,
            last_seen_at=at,
            sightings=0,
        )
        session.add(profile)
    else:
        loaded = session.get(DeviceProfile, found.device_id)
        assert loaded is not None
        profile = loaded
    profile.band0, profile.band1, profile.band2 = keys
    profile.components = parts
    profile.last_seen_at = at
    profile.sightings += 1
    session.add(
        DeviceSighting(
            device_id=profile.id,
            collected_at=at,
            similarity=None if found is None else found.similarity,
            ip_bidx=cipher.blind_index("ip", ip) if ip else None,
            ip_region=resolver.region_of(ip) if ip else None,
            signals=dict(signals.values),
        )
    )
    session.flush()
    return Collected(profile.id, found is None, None if found is None else found.similarity)
