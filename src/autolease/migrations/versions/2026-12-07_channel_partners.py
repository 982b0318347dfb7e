"""SP staff and seller phones, lead-source partners, referrals and the referral fee ledger

Revision ID: 0009_channel_partners
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_channel_partners"
down_revision = "0001"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "sp_staff_phone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sp_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("masked", sa.String(length=20), nullable=False),
        sa.Column("added_by", sa.String(length=100), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        _fk("sp_staff_phone", "sp_id", "service_provider"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sp_staff_phone")),
        sa.UniqueConstraint("sp_id", "key_hash", name=op.f("uq_sp_staff_phone_sp_id_key_hash")),
    )
    with op.batch_alter_table("sp_staff_phone", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sp_staff_phone_sp_id"), ["sp_id"], unique=False)
    op.create_table(
        "channel_partner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("fee_kind", sa.String(length=12), nullable=False),
        sa.Column("fee_fixed_fen", sa.BigInteger(), nullable=True),
        sa.Column("fee_rate", sa.Numeric(precision=7, scale=6), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_partner")),
        sa.UniqueConstraint("code", name=op.f("uq_channel_partner_code")),
    )
    op.create_table(
        "application_referral",
        sa.Column("application_id", sa.String(length=40), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("referred_at", sa.DateTime(timezone=True), nullable=False),
        _fk("application_referral", "partner_id", "channel_partner"),
        sa.PrimaryKeyConstraint("application_id", name=op.f("pk_application_referral")),
    )
    with op.batch_alter_table("application_referral", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_application_referral_partner_id"), ["partner_id"], unique=False
        )
    op.create_table(
        "partner_fee_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("balance_after_fen", sa.BigInteger(), nullable=False),
        sa.Column("contract_id", sa.String(length=40), nullable=True),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        _fk("partner_fee_entry", "partner_id", "channel_partner"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_fee_entry")),
        sa.UniqueConstraint(
            "contract_id", "kind", name=op.f("uq_partner_fee_entry_contract_id_kind")
        ),
    )
    with op.batch_alter_table("partner_fee_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_partner_fee_entry_partner_id"), ["partner_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("partner_fee_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partner_fee_entry_partner_id"))
    op.drop_table("partner_fee_entry")
    with op.batch_alter_table("application_referral", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_referral_partner_id"))
    op.drop_table("application_referral")
    op.drop_table("channel_partner")
    with op.batch_alter_table("sp_staff_phone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sp_staff_phone_sp_id"))
    op.drop_table("sp_staff_phone")
