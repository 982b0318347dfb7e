"""decision: policy versions, activations, decision evaluations, reviews

Revision ID: 0002_decision
Revises: 0001
Create Date: 2026-11-29 07:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_decision"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "policy_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("cases", sa.Text(), nullable=True),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_version")),
        sa.UniqueConstraint("key", "version", name=op.f("uq_policy_version_key_version")),
    )
    op.create_table(
        "policy_activation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("effective_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("activated_by", sa.String(length=100), nullable=False),
        sa.Column("activated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_activation")),
    )
    with op.batch_alter_table("policy_activation", schema=None) as batch_op:
        batch_op.create_index(
            "ix_policy_activation_key_effective_from", ["key", "effective_from"], unique=False
        )
    op.create_table(
        "decision_evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.String(length=40), nullable=False),
        sa.Column("application_id", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("acted", sa.Boolean(), nullable=False),
        sa.Column("policy_key", sa.String(length=100), nullable=False),
        sa.Column("policy_version", sa.String(length=40), nullable=False),
        sa.Column("policy_hash", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("input", sa.JSON(), nullable=False),
        sa.Column("trace", sa.JSON(), nullable=True),
        sa.Column("error", sa.String(length=1000), nullable=True),
        sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_decision_evaluation_application_id_application"),
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decision.id"],
            name=op.f("fk_decision_evaluation_decision_id_decision"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_evaluation")),
    )
    with op.batch_alter_table("decision_evaluation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decision_evaluation_application_id"), ["application_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_decision_evaluation_decision_id"), ["decision_id"], unique=False
        )
    op.create_table(
        "decision_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.String(length=40), nullable=False),
        sa.Column("decision_id", sa.String(length=40), nullable=False),
        sa.Column("reviewer", sa.String(length=100), nullable=False),
        sa.Column("verdict", sa.String(length=10), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_decision_review_application_id_application"),
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decision.id"],
            name=op.f("fk_decision_review_decision_id_decision"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_review")),
    )
    with op.batch_alter_table("decision_review", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decision_review_application_id"), ["application_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("decision_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_review_application_id"))
    op.drop_table("decision_review")
    with op.batch_alter_table("decision_evaluation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_evaluation_decision_id"))
        batch_op.drop_index(batch_op.f("ix_decision_evaluation_application_id"))
    op.drop_table("decision_evaluation")
    with op.batch_alter_table("policy_activation", schema=None) as batch_op:
        batch_op.drop_index("ix_policy_activation_key_effective_from")
    op.drop_table("policy_activation")
    op.drop_table("policy_version")
