"""lease products and their versioned terms

Revision ID: 0002_product
Revises: 0001
Create Date: 2026-11-29 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_product"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lease_product",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("product_type", sa.String(length=24), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lease_product")),
        sa.UniqueConstraint("code", name=op.f("uq_lease_product_code")),
    )
    op.create_table(
        "lease_product_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("terms_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["lease_product.id"],
            name=op.f("fk_lease_product_version_product_id_lease_product"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lease_product_version")),
        sa.UniqueConstraint(
            "product_id", "version", name=op.f("uq_lease_product_version_product_id_version")
        ),
    )
    with op.batch_alter_table("lease_product_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lease_product_version_product_id"), ["product_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("lease_product_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lease_product_version_product_id"))
    op.drop_table("lease_product_version")
    op.drop_table("lease_product")
