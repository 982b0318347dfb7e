"""Link keys and how much a shared one means (pure).

Every application writes blind-indexed link rows (``application_link``: kind, key_hash, SP,
time). Velocity counts them per kind; the relationship graph joins applications that share
a key. Sharing is not equally telling for every kind, and common values must not link
everything (a dealer's address, a big employer, an SP's office tablet, a carrier NAT IP):

* ``weight`` — how much one shared value says (a phone or bank card says more than an
  employer);
* ``links`` — whether a shared value connects applications in the graph at all (employer and
  IP are evidence for velocity and ring scoring, never edges: they are too common);
* ``max_degree`` — a value seen on more applications than this within the window is a
  *common* value: it does not link;
* ``single_sp_max`` — a value seen on more applications than this, all at one SP, is that
  SP's shared value (an office device or Wi-Fi): it does not link. Shared across SPs it does;
* rarity — each link is weighted ``weight / log2(1 + degree)``, so the rarer a value the more
  its sharing counts.

Phone numbers live in one *namespace*: an applicant's phone and another applicant's emergency
contact link (kinds ``phone`` and ``contact_phone``). That needs both hashed under the same
blind-index kind (`hash_kind`), which `link_hash` does.

>>> policy = DEFAULT_POLICY
>>> policy.of("employer").links, policy.of("contact_phone").namespace
(False, 'phone')
>>> round(policy.link_weight("phone", 1), 3), round(policy.link_weight("phone", 3), 3)
(0.9, 0.45)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace

KINDS: tuple[str, ...] = (
    "id_number",
    "phone",
    "bank_card",
    "address",
    "employer",
    "contact_phone",
    "vin",
    "device",
    "ip",
    "uscc",
)
"""Kinds of ``application_link`` rows (see ``origination.facts.link_values``)."""

HASH_KIND: Mapping[str, str] = {"contact_phone": "phone"}
"""Kinds whose values are blind-indexed under another kind, so that they can match it."""


def hash_kind(kind: str) -> str:
    """The blind-index kind a link kind is hashed under.

    >>> hash_kind("contact_phone"), hash_kind("device")
    ('phone', 'device')
    """
    return HASH_KIND.get(kind, kind)


def link_hash(blind_index: Callable[[str, str], str], kind: str, value: str) -> str:
    """The ``key_hash`` of a link row: ``blind_index(hash_kind(kind), value)``.

    Parameters
    ----------
    blind_index : callable
        ``FieldCipher.blind_index``.
    kind : str
        The link kind.
    value : str
        The plaintext value.

    Returns
    -------
    str
        Hex HMAC; contact phones hash as phones so the two can link.
    """
    return blind_index(hash_kind(kind), value)


@dataclass(frozen=True)
class KindPolicy:
    """How one link kind behaves in the graph (see the module docstring)."""

    kind: str
    weight: float
    links: bool = True
    max_degree: int = 20
    single_sp_max: int = 1_000_000
    namespace: str = ""

    def __post_init__(self) -> None:
        if not 0 < self.weight <= 1:
            raise ValueError(f"{self.kind}: weight must be in (0, 1]")
        if self.max_degree < 1 or self.single_sp_max < 1:
            raise ValueError(f"{self.kind}: max_degree and single_sp_max must be at least 1")
        if not self.namespace:
            object.__setattr__(self, "namespace", self.kind)


def _defaults() -> dict[str, KindPolicy]:
    policies = (
        KindPolicy("id_number", 1.0, max_degree=10),
        KindPolicy("uscc", 0.8, max_degree=10),
        KindPolicy("phone", 0.9, max_degree=12),
        KindPolicy("contact_phone", 0.6, max_degree=12, namespace="phone"),
        KindPolicy("bank_card", 0.9, max_degree=8),
        KindPolicy("device", 0.7, max_degree=15, single_sp_max=3),
        KindPolicy("address", 0.5, max_degree=15),
        KindPolicy("vin", 0.8, max_degree=8),
        KindPolicy("employer", 0.2, links=False, max_degree=15),
        KindPolicy("ip", 0.2, links=False, max_degree=5, single_sp_max=3),
    )
    return {p.kind: p for p in policies}


@dataclass(frozen=True)
class LinkPolicy:
    """Per-kind policies plus the time window of the graph.

    Parameters
    ----------
    kinds : mapping of str to KindPolicy
    lookback_days : int
        Online: only applications submitted within this many days before the one being
        assessed are neighbours (and a key's degree is counted in the same window).
    max_gap_days : int
        Offline: two applications sharing a key link only when submitted at most this many
        days apart (consecutive in time).
    max_expand_apps : int
        At most this many hop-1 applications (the most recent) are expanded to hop 2, which
        bounds the work of one look-up.
    """

    kinds: Mapping[str, KindPolicy] = field(default_factory=_defaults)
    lookback_days: int = 180
    max_gap_days: int = 90
    max_expand_apps: int = 8

    def of(self, kind: str) -> KindPolicy:
        """The policy of `kind` (unknown kinds never link)."""
        found = self.kinds.get(kind)
        return found if found is not None else KindPolicy(kind, 0.1, links=False)

    def namespace(self, kind: str) -> str:
        return self.of(kind).namespace

    def linking_kinds(self) -> tuple[str, ...]:
        return tuple(k for k, p in self.kinds.items() if p.links)

    def namespace_kinds(self, namespace: str) -> tuple[str, ...]:
        """The kinds whose values share `namespace` (``phone`` → phone, contact_phone)."""
        return self._namespaces().get(namespace, ())

    def _namespaces(self) -> dict[str, tuple[str, ...]]:
        cached: dict[str, tuple[str, ...]] | None = self.__dict__.get("_ns_cache")
        if cached is None:
            cached = {}
            for kind, p in self.kinds.items():
                cached[p.namespace] = (*cached.get(p.namespace, ()), kind)
            object.__setattr__(self, "_ns_cache", cached)
        return cached

    def namespace_policy(self, namespace: str) -> KindPolicy:
        """The policy that sets the caps of a namespace: that of the kind named like it."""
        return self.of(namespace)

    def link_weight(self, kind: str, degree: int) -> float:
        """Weight of one link through a value shared by `degree` other applications.

        Parameters
        ----------
        kind : str
        degree : int
            Other applications carrying the value (at least 1).

        Returns
        -------
        float
            ``weight / log2(1 + degree)``.
        """
        return self.of(kind).weight / math.log2(1 + max(1, degree))

    def with_kind(self, kind: str, **changes: object) -> LinkPolicy:
        """A copy with one kind's policy changed (for tuning and tests)."""
        kinds = dict(self.kinds)
        kinds[kind] = replace(self.of(kind), **changes)  # type: ignore[arg-type]
        return replace(self, kinds=kinds)


DEFAULT_POLICY = LinkPolicy()


def namespaces(policy: LinkPolicy, kinds: Iterable[str]) -> tuple[str, ...]:
    """Distinct namespaces of `kinds`, in first-seen order."""
    return tuple(dict.fromkeys(policy.namespace(k) for k in kinds))
