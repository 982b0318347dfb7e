"""review: the reviewers' cases, their reasons, verdicts and requests for information.

Revision ID: 0010_review
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_review"
down_revision = "0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "review_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.String(length=40), nullable=False),
        sa.Column("decision_id", sa.String(length=40), nullable=False),
        sa.Column("sp_id", sa.Integer(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("waiting", sa.Boolean(), nullable=False),
        sa.Column("referred_at", TZ, nullable=False),
        sa.Column("primary_reason", sa.String(length=60), nullable=True),
        sa.Column("primary_stage", sa.String(length=20), nullable=True),
        sa.Column("claimed_by", sa.String(length=100), nullable=True),
        sa.Column("claimed_at", TZ, nullable=True),
        sa.Column("final_outcome", sa.String(length=10), nullable=True),
        sa.Column("decided_by_role", sa.String(length=12), nullable=True),
        sa.Column("decided_at", TZ, nullable=True),
        sa.Column("approved_offer", sa.JSON(), nullable=True),
        sa.Column("sp_message", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"], ["application.id"],
            name=op.f("fk_review_case_application_id_application"),
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decision.id"], name=op.f("fk_review_case_decision_id_decision")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_case")),
        sa.UniqueConstraint("application_id", name=op.f("uq_review_case_application_id")),
    )  # fmt: skip
    op.create_index(
        "ix_review_case_waiting_referred_at",
        "review_case",
        ["waiting", "referred_at", "application_id"],
    )
    op.create_index(
        "ix_review_case_state_referred_at",
        "review_case",
        ["state", "referred_at", "application_id"],
    )
    op.create_index(
        "ix_review_case_sp_state_referred_at", "review_case", ["sp_id", "state", "referred_at"]
    )
    op.create_index("ix_review_case_decided_at", "review_case", ["decided_at"])
    op.create_table(
        "review_case_reason",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["review_case.id"], name=op.f("fk_review_case_reason_case_id_review_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_case_reason")),
    )
    op.create_index("ix_review_case_reason_code_case_id", "review_case_reason", ["code", "case_id"])
    op.create_index(
        "ix_review_case_reason_stage_case_id", "review_case_reason", ["stage", "case_id"]
    )
    op.create_index("ix_review_case_reason_case_id", "review_case_reason", ["case_id"])
    op.create_table(
        "review_verdict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.String(length=40), nullable=False),
        sa.Column("verdict", sa.String(length=24), nullable=False),
        sa.Column("reason_code", sa.String(length=40), nullable=False),
        sa.Column("internal_note", sa.String(length=2000), nullable=False),
        sa.Column("sp_message", sa.String(length=500), nullable=True),
        sa.Column("offer", sa.JSON(), nullable=True),
        sa.Column("policy_outcome", sa.String(length=10), nullable=False),
        sa.Column("reviewer", sa.String(length=100), nullable=False),
        sa.Column("reviewed_at", TZ, nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("four_eyes_why", sa.String(length=200), nullable=True),
        sa.Column("confirmed_by", sa.String(length=100), nullable=True),
        sa.Column("confirmed_at", TZ, nullable=True),
        sa.Column("confirm_note", sa.String(length=2000), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["review_case.id"], name=op.f("fk_review_verdict_case_id_review_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_verdict")),
    )
    op.create_index(op.f("ix_review_verdict_case_id"), "review_verdict", ["case_id"])
    op.create_table(
        "review_info_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.String(length=40), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("sp_message", sa.String(length=500), nullable=True),
        sa.Column("requested_at", TZ, nullable=False),
        sa.Column("answered_at", TZ, nullable=True),
        sa.Column("answer_message", sa.String(length=2000), nullable=True),
        sa.Column("document_ids", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["review_case.id"],
            name=op.f("fk_review_info_request_case_id_review_case"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_info_request")),
    )  # fmt: skip
    op.create_index(op.f("ix_review_info_request_case_id"), "review_info_request", ["case_id"])
    op.create_index(
        op.f("ix_review_info_request_application_id"), "review_info_request", ["application_id"]
    )


def downgrade() -> None:
    op.drop_table("review_info_request")
    op.drop_table("review_verdict")
    op.drop_table("review_case_reason")
    op.drop_table("review_case")
