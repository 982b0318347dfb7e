"""SP channel management: due diligence, deposit ledger, limits, grade proposals

Revision ID: 0007_channel
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_channel"
down_revision = "0001"
branch_labels = None
depends_on = None


def _sp_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["sp_id"], ["service_provider.id"], name=op.f(f"fk_{table}_sp_id_service_provider")
    )


def upgrade() -> None:
    op.create_table(
        "sp_due_diligence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sp_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=24), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        _sp_fk("sp_due_diligence"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sp_due_diligence")),
        sa.UniqueConstraint("sp_id", "item", name=op.f("uq_sp_due_diligence_sp_id_item")),
    )
    op.create_table(
        "sp_deposit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sp_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("balance_after_fen", sa.BigInteger(), nullable=False),
        sa.Column("contract_id", sa.String(length=40), nullable=True),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        _sp_fk("sp_deposit_entry"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sp_deposit_entry")),
    )
    with op.batch_alter_table("sp_deposit_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sp_deposit_entry_sp_id"), ["sp_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_sp_deposit_entry_contract_id"), ["contract_id"], unique=False
        )
    op.create_table(
        "sp_limit",
        sa.Column("sp_id", sa.Integer(), nullable=False),
        sa.Column("monthly_volume", sa.Integer(), nullable=True),
        sa.Column("max_amount_fen", sa.BigInteger(), nullable=True),
        sa.Column("products", sa.JSON(), nullable=True),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _sp_fk("sp_limit"),
        sa.PrimaryKeyConstraint("sp_id", name=op.f("pk_sp_limit")),
    )
    op.create_table(
        "sp_grade_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sp_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("grade", sa.String(length=1), nullable=False),
        sa.Column("previous_grade", sa.String(length=1), nullable=False),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.Column("policy_version", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        _sp_fk("sp_grade_proposal"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sp_grade_proposal")),
        sa.UniqueConstraint("sp_id", "month", name=op.f("uq_sp_grade_proposal_sp_id_month")),
    )


def downgrade() -> None:
    op.drop_table("sp_grade_proposal")
    op.drop_table("sp_limit")
    with op.batch_alter_table("sp_deposit_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sp_deposit_entry_contract_id"))
        batch_op.drop_index(batch_op.f("ix_sp_deposit_entry_sp_id"))
    op.drop_table("sp_deposit_entry")
    op.drop_table("sp_due_diligence")
