"""SP staff and seller phones, blind-indexed as applicant phones are, so that the grading
finds applicants who give them (`channel.collusion.staff_since`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from autolease.audit import service as audit
from autolease.audit.service import Actor
from autolease.channel.exceptions import StaffPhoneExists
from autolease.channel.models import SpStaffPhone
from autolease.channel.schemas import StaffPhoneIn, StaffPhoneRead, StaffRole
from autolease.dealer.models import ServiceProvider
from autolease.fraud.keys import link_hash
from autolease.kit.masking import mask_phone


def add(
    session: Session,
    sp: ServiceProvider,
    data: StaffPhoneIn,
    blind_index: Callable[[str, str], str],
    actor: Actor,
) -> SpStaffPhone:
    row = SpStaffPhone(
        sp_id=sp.id,
        role=data.role.value,
        key_hash=link_hash(blind_index, "phone", data.phone),
        masked=mask_phone(data.phone),
        added_by=actor.name,
        added_at=actor.at,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as err:
        raise StaffPhoneExists(f"{row.masked} is already a phone of SP {sp.code}") from err
    audit.log(session, actor, "sp.staff_phone_added", entity_type="service_provider",
              entity_id=sp.code, payload={"phone": row.masked, "role": row.role})  # fmt: skip
    return row


def listing(session: Session, sp_id: int) -> Sequence[SpStaffPhone]:
    query = select(SpStaffPhone).where(SpStaffPhone.sp_id == sp_id).order_by(SpStaffPhone.id)
    return session.scalars(query).all()


def to_read(row: SpStaffPhone) -> StaffPhoneRead:
    return StaffPhoneRead(
        id=row.id,
        role=StaffRole(row.role),
        phone=row.masked,
        added_by=row.added_by,
        added_at=row.added_at,
    )


def key_hashes(session: Session) -> dict[str, int]:
    """Every staff phone's link key hash → its SP id."""
    query = select(SpStaffPhone.key_hash, SpStaffPhone.sp_id)
    return {str(row[0]): int(row[1]) for row in session.execute(query)}
