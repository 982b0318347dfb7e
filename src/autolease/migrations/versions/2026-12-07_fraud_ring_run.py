"""fraud_ring_run, fraud_ring: stored ring detections the console's rings pages read.

Revision ID: 0011_rings_ring_run
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_rings_ring_run"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fraud_ring_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("started_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("applications", sa.Integer(), nullable=True),
        sa.Column("linked_applications", sa.Integer(), nullable=True),
        sa.Column("links", sa.Integer(), nullable=True),
        sa.Column("rings", sa.Integer(), nullable=True),
        sa.Column("flagged_rings", sa.Integer(), nullable=True),
        sa.Column("stats", sa.JSON(), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fraud_ring_run")),
    )
    op.create_index("ix_fraud_ring_run_created_at", "fraud_ring_run", ["created_at"])
    op.create_table(
        "fraud_ring",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("ring_id", sa.String(length=48), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("identities", sa.Integer(), nullable=False),
        sa.Column("sps", sa.Integer(), nullable=False),
        sa.Column("span_days", sa.Float(), nullable=False),
        sa.Column("cross_kinds", sa.String(length=200), nullable=False),
        sa.Column("known_bad", sa.Integer(), nullable=False),
        sa.Column("members", sa.JSON(), nullable=False),
        sa.Column("export", sa.JSON(), nullable=False),
        sa.Column("graph", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["fraud_ring_run.id"], name=op.f("fk_fraud_ring_run_id_fraud_ring_run")
        ),
        sa.PrimaryKeyConstraint("run_id", "ring_id", name=op.f("pk_fraud_ring")),
    )
    op.create_index("ix_fraud_ring_run_id_rank", "fraud_ring", ["run_id", "rank"])


def downgrade() -> None:
    op.drop_index("ix_fraud_ring_run_id_rank", table_name="fraud_ring")
    op.drop_table("fraud_ring")
    op.drop_index("ix_fraud_ring_run_created_at", table_name="fraud_ring_run")
    op.drop_table("fraud_ring_run")
