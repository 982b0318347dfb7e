"""document: files an SP uploads for an application (sealed in the document store).

Revision ID: 0010_documents
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_documents"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.String(length=40), nullable=False),
        sa.Column("sp_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_name", sa.String(length=64), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_document_application_id_application"),
        ),
        sa.ForeignKeyConstraint(
            ["sp_id"], ["service_provider.id"], name=op.f("fk_document_sp_id_service_provider")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
        sa.UniqueConstraint("storage_name", name=op.f("uq_document_storage_name")),
    )
    op.create_index(
        "ix_document_application_id_kind", "document", ["application_id", "kind"], unique=False
    )
    op.create_index(op.f("ix_document_sp_id"), "document", ["sp_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_document_sp_id"), table_name="document")
    op.drop_index("ix_document_application_id_kind", table_name="document")
    op.drop_table("document")
