"""sp_allowed_origin: the web origins each SP's pages call the API from (CORS allow-list).

Revision ID: 0008_sp_origins
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_sp_origins"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sp_allowed_origin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sp_id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["sp_id"],
            ["service_provider.id"],
            name=op.f("fk_sp_allowed_origin_sp_id_service_provider"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sp_allowed_origin")),
        sa.UniqueConstraint("sp_id", "origin", name=op.f("uq_sp_allowed_origin_sp_id_origin")),
    )
    op.create_index(
        op.f("ix_sp_allowed_origin_sp_id"), "sp_allowed_origin", ["sp_id"], unique=False
    )
    op.create_index(
        op.f("ix_sp_allowed_origin_origin"), "sp_allowed_origin", ["origin"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_sp_allowed_origin_origin"), table_name="sp_allowed_origin")
    op.drop_index(op.f("ix_sp_allowed_origin_sp_id"), table_name="sp_allowed_origin")
    op.drop_table("sp_allowed_origin")
