"""application_link: index (application_id, kind) for the graph's identity look-up.

The graph reads each neighbour's identity with ``WHERE application_id = ? AND kind =
'id_number'``. With only an ``application_id`` index, SQLite without statistics chose the
``(kind, key_hash, submitted_at)`` index and scanned every ID row per neighbour (about 170 ms
an application over 12,000 stored ones); the two-column index is chosen on every store.

Revision ID: 0003_link_lookup
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0003_link_lookup"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("application_link", schema=None) as batch_op:
        batch_op.create_index(
            "ix_application_link_application_id_kind", ["application_id", "kind"], unique=False
        )
        batch_op.drop_index("ix_application_link_application_id")


def downgrade() -> None:
    with op.batch_alter_table("application_link", schema=None) as batch_op:
        batch_op.create_index(
            "ix_application_link_application_id", ["application_id"], unique=False
        )
        batch_op.drop_index("ix_application_link_application_id_kind")
