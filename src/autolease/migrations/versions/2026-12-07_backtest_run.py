"""backtest_run: backtests started from the console, their progress and reports.

Revision ID: 0010_backtest_run
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_backtest_run"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "backtest_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("book", sa.String(length=200), nullable=False),
        sa.Column("policy", sa.String(length=160), nullable=False),
        sa.Column("against", sa.String(length=160), nullable=False),
        sa.Column("row_limit", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("decided", sa.Integer(), nullable=False),
        sa.Column("started_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=True),
        sa.Column("breakdown", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_backtest_run")),
    )
    op.create_index("ix_backtest_run_created_at", "backtest_run", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_backtest_run_created_at", table_name="backtest_run")
    op.drop_table("backtest_run")
