"""login_throttle: failed-login counters per username and per client IP.

Kept in the store, not in process memory, so that every worker of a deployment counts the
same failures and a lock-out holds whichever worker the next attempt reaches.

Revision ID: 0004_login_throttle
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_login_throttle"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=8), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_throttle")),
        sa.UniqueConstraint("scope", "key_hash", name=op.f("uq_login_throttle_scope_key_hash")),
    )


def downgrade() -> None:
    op.drop_table("login_throttle")
