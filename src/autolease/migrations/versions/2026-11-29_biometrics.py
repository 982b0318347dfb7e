"""biometric templates (encrypted face and voice embeddings per subject)

Revision ID: 0002_biometrics
Revises: 0001
Create Date: 2026-11-29 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_biometrics"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "biometric_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_bidx", sa.String(length=64), nullable=True),
        sa.Column("modality", sa.String(length=8), nullable=False),
        sa.Column("purpose", sa.String(length=12), nullable=False),
        sa.Column("embedding_enc", sa.Text(), nullable=False),
        sa.Column("model", sa.String(length=120), nullable=False),
        sa.Column("samples", sa.Integer(), nullable=False),
        sa.Column("sp_id", sa.Integer(), nullable=True),
        sa.Column("reference", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["sp_id"],
            ["service_provider.id"],
            name=op.f("fk_biometric_template_sp_id_service_provider"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_biometric_template")),
    )
    with op.batch_alter_table("biometric_template", schema=None) as batch_op:
        batch_op.create_index(
            "ix_biometric_template_purpose_modality", ["purpose", "modality"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_biometric_template_sp_id"), ["sp_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_biometric_template_subject_bidx"), ["subject_bidx"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("biometric_template", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_biometric_template_subject_bidx"))
        batch_op.drop_index(batch_op.f("ix_biometric_template_sp_id"))
        batch_op.drop_index("ix_biometric_template_purpose_modality")
    op.drop_table("biometric_template")
