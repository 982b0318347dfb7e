"""applicant_link and application_consent: the H5 pages' applicant links and consents.

Revision ID: 0010_h5
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_h5"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "applicant_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("sp_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("application_id", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["sp_id"],
            ["service_provider.id"],
            name=op.f("fk_applicant_link_sp_id_service_provider"),
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_applicant_link_application_id_application"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applicant_link")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_applicant_link_token_hash")),
    )
    op.create_index(op.f("ix_applicant_link_sp_id"), "applicant_link", ["sp_id"])
    op.create_table(
        "application_consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.String(length=40), nullable=False),
        sa.Column("personal_information", sa.Boolean(), nullable=False),
        sa.Column("biometrics", sa.Boolean(), nullable=False),
        sa.Column("text_version", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_application_consent_application_id_application"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_consent")),
    )
    op.create_index(
        op.f("ix_application_consent_application_id"),
        "application_consent",
        ["application_id"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_application_consent_application_id"), table_name="application_consent")
    op.drop_table("application_consent")
    op.drop_index(op.f("ix_applicant_link_sp_id"), table_name="applicant_link")
    op.drop_table("applicant_link")
