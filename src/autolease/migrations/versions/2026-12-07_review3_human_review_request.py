"""review: the applicant's requests for a human review of a decline or a referral.

Revision ID: 0011_review3_human_review
Revises: 0010_review
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_review3_human_review"
down_revision = "0010_review"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_human_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("status_before", sa.String(length=16), nullable=False),
        sa.Column("requested_by", sa.String(length=100), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"], ["application.id"],
            name=op.f("fk_review_human_request_application_id_application"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["review_case.id"],
            name=op.f("fk_review_human_request_case_id_review_case"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_human_request")),
    )  # fmt: skip
    with op.batch_alter_table("review_human_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_human_request_application_id"), ["application_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_review_human_request_case_id"), ["case_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("review_human_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_human_request_case_id"))
        batch_op.drop_index(batch_op.f("ix_review_human_request_application_id"))
    op.drop_table("review_human_request")
