"""contracts and servicing events

Revision ID: 0004_contract
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_contract"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contract",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("application_id", sa.String(length=40), nullable=False),
        sa.Column("decision_id", sa.String(length=40), nullable=False),
        sa.Column("offer_rank", sa.Integer(), nullable=False),
        sa.Column("sp_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("product_code", sa.String(length=32), nullable=False),
        sa.Column("product_type", sa.String(length=24), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("schedule", sa.JSON(), nullable=False),
        sa.Column("term_months", sa.Integer(), nullable=False),
        sa.Column("financed_fen", sa.BigInteger(), nullable=False),
        sa.Column("monthly_payment_fen", sa.BigInteger(), nullable=False),
        sa.Column("title_action", sa.String(length=24), nullable=False),
        sa.Column("title_state", sa.String(length=16), nullable=False),
        sa.Column("title_reference", sa.String(length=64), nullable=True),
        sa.Column("gps_device_id", sa.String(length=64), nullable=True),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_contract_application_id_application"),
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decision.id"], name=op.f("fk_contract_decision_id_decision")
        ),
        sa.ForeignKeyConstraint(
            ["sp_id"], ["service_provider.id"], name=op.f("fk_contract_sp_id_service_provider")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract")),
        sa.UniqueConstraint("application_id", name=op.f("uq_contract_application_id")),
    )
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.create_index("ix_contract_sp_id_booked_at", ["sp_id", "booked_at"], unique=False)

    op.create_table(
        "contract_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.String(length=40), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_contract_event_contract_id_contract")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_event")),
        sa.UniqueConstraint(
            "contract_id", "event_id", name=op.f("uq_contract_event_contract_id_event_id")
        ),
    )
    with op.batch_alter_table("contract_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contract_event_contract_id"), ["contract_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("contract_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contract_event_contract_id"))

    op.drop_table("contract_event")
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.drop_index("ix_contract_sp_id_booked_at")

    op.drop_table("contract")
