"""fraud: confirmed labels, device profiles and sightings

Revision ID: 0002_fraud
Revises: 0001
Create Date: 2026-11-29 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_fraud"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fraud_label",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=16), nullable=False),
        sa.Column("pattern", sa.String(length=32), nullable=True),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("labelled_by", sa.String(length=100), nullable=False),
        sa.Column("labelled_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_fraud_label_application_id_application"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fraud_label")),
    )
    with op.batch_alter_table("fraud_label", schema=None) as batch_op:
        batch_op.create_index(
            "ix_fraud_label_application_id_labelled_at",
            ["application_id", "labelled_at"],
            unique=False,
        )
    op.create_table(
        "device_profile",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("link_hash", sa.String(length=64), nullable=False),
        sa.Column("band0", sa.String(length=32), nullable=True),
        sa.Column("band1", sa.String(length=32), nullable=True),
        sa.Column("band2", sa.String(length=32), nullable=True),
        sa.Column("components", sa.JSON(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sightings", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_profile")),
    )
    with op.batch_alter_table("device_profile", schema=None) as batch_op:
        for column in ("link_hash", "band0", "band1", "band2"):
            batch_op.create_index(batch_op.f(f"ix_device_profile_{column}"), [column], unique=False)
    op.create_table(
        "device_sighting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=40), nullable=False),
        sa.Column("collected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=True),
        sa.Column("ip_bidx", sa.String(length=64), nullable=True),
        sa.Column("ip_region", sa.String(length=40), nullable=True),
        sa.Column("signals", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["device_profile.id"],
            name=op.f("fk_device_sighting_device_id_device_profile"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_sighting")),
    )
    with op.batch_alter_table("device_sighting", schema=None) as batch_op:
        batch_op.create_index(
            "ix_device_sighting_device_id_collected_at",
            ["device_id", "collected_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("device_sighting", schema=None) as batch_op:
        batch_op.drop_index("ix_device_sighting_device_id_collected_at")
    op.drop_table("device_sighting")
    with op.batch_alter_table("device_profile", schema=None) as batch_op:
        for column in ("band2", "band1", "band0", "link_hash"):
            batch_op.drop_index(batch_op.f(f"ix_device_profile_{column}"))
    op.drop_table("device_profile")
    with op.batch_alter_table("fraud_label", schema=None) as batch_op:
        batch_op.drop_index("ix_fraud_label_application_id_labelled_at")
    op.drop_table("fraud_label")
