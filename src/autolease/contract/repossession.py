"""When a car may be repossessed (收车): only after a default the lessor's settings define,
a formal notice, and a notice period that has run, with the arrears checked again on the
day itself. Pure: the servicing handler passes the arrears and the notices it read.

The rule guards against the conduct failure the regulator and the courts see most in used-car
leasing: a car taken back a few days after a missed rent, or after the lessee has caught up.
Sale-and-leaseback and mortgage contracts are enforced as leases (the Civil Code's lease
chapter: after a demand and a reasonable period the lessor may end the lease and take the
asset back), never by self-help before that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Notice:
    event_id: str
    on: date


@dataclass(frozen=True)
class RepossessionRule:
    min_days_past_due: int
    notice_period_days: int


def arrears_since(as_of: date, days_past_due: int) -> date | None:
    """The due date of the oldest rent still unpaid on `as_of` (None when nothing is late)."""
    return as_of - timedelta(days=days_past_due) if days_past_due > 0 else None


def notice_in_force(notices: Sequence[Notice], *, as_of: date, since: date) -> Notice | None:
    """The earliest notice given since the arrears began and not after `as_of`: a notice of an
    earlier delinquency, since caught up, does not count."""
    current = [n for n in notices if since <= n.on <= as_of]
    return min(current, key=lambda n: (n.on, n.event_id)) if current else None


class RepossessionRefused(ValueError):
    """Why a repossession on that day is not allowed."""


def notice_relied_on(
    rule: RepossessionRule, *, as_of: date, days_past_due: int, notices: Sequence[Notice]
) -> Notice:
    """The default notice a repossession on `as_of` relies on; raises `RepossessionRefused`
    when the contract is not far enough past due, no notice was given in this delinquency,
    or the notice's period has not run."""
    since = arrears_since(as_of, days_past_due)
    if since is None or days_past_due < rule.min_days_past_due:
        raise RepossessionRefused(
            f"the contract is {days_past_due} days past due on {as_of.isoformat()}; "
            f"a repossession needs at least {rule.min_days_past_due}"
        )
    notice = notice_in_force(notices, as_of=as_of, since=since)
    if notice is None:
        raise RepossessionRefused(
            f"no default notice was recorded since the oldest unpaid rent fell due "
            f"({since.isoformat()}); record a default_notice first"
        )
    allowed_from = notice.on + timedelta(days=rule.notice_period_days)
    if as_of < allowed_from:
        raise RepossessionRefused(
            f"the default notice {notice.event_id} of {notice.on.isoformat()} gives the lessee "
            f"until {allowed_from.isoformat()}; a repossession is allowed from that day"
        )
    return notice
