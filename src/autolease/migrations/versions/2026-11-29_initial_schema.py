"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-29 06:40:40.446847
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "applicant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("name_enc", sa.String(length=400), nullable=False),
        sa.Column("name_masked", sa.String(length=200), nullable=False),
        sa.Column("id_number_enc", sa.String(length=200), nullable=True),
        sa.Column("id_number_bidx", sa.String(length=64), nullable=True),
        sa.Column("id_number_masked", sa.String(length=32), nullable=True),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.Column("phone_enc", sa.String(length=200), nullable=False),
        sa.Column("phone_bidx", sa.String(length=64), nullable=False),
        sa.Column("phone_masked", sa.String(length=20), nullable=False),
        sa.Column("bank_card_enc", sa.String(length=200), nullable=False),
        sa.Column("bank_card_bidx", sa.String(length=64), nullable=False),
        sa.Column("bank_card_masked", sa.String(length=32), nullable=False),
        sa.Column("address_enc", sa.String(length=1000), nullable=False),
        sa.Column("province", sa.String(length=20), nullable=False),
        sa.Column("city", sa.String(length=40), nullable=False),
        sa.Column("employer", sa.String(length=200), nullable=True),
        sa.Column("monthly_income_fen", sa.BigInteger(), nullable=True),
        sa.Column("gender", sa.String(length=1), nullable=True),
        sa.Column("age_at_application", sa.Integer(), nullable=True),
        sa.Column("legal_rep_enc", sa.String(length=1000), nullable=True),
        sa.Column("contacts_enc", sa.String(length=4000), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applicant")),
    )
    with op.batch_alter_table("applicant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_applicant_bank_card_bidx"), ["bank_card_bidx"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_applicant_id_number_bidx"), ["id_number_bidx"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_applicant_phone_bidx"), ["phone_bidx"], unique=False)
        batch_op.create_index(batch_op.f("ix_applicant_uscc"), ["uscc"], unique=False)

    op.create_table(
        "audit_event",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity_type", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_event")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_event_hash")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.bulk_insert(
        sa.table("audit_head", sa.column("id"), sa.column("seq"), sa.column("hash")),
        [{"id": 1, "seq": 0, "hash": "0" * 64}],
    )
    op.create_table(
        "service_provider",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("region", sa.String(length=64), nullable=False),
        sa.Column("grade", sa.String(length=1), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("deposit_balance_fen", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_provider")),
        sa.UniqueConstraint("code", name=op.f("uq_service_provider_code")),
    )
    op.create_table(
        "vehicle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vin", sa.String(length=17), nullable=False),
        sa.Column("plate", sa.String(length=12), nullable=True),
        sa.Column("brand", sa.String(length=50), nullable=False),
        sa.Column("model", sa.String(length=80), nullable=False),
        sa.Column("trim", sa.String(length=120), nullable=True),
        sa.Column("fuel_type", sa.String(length=16), nullable=True),
        sa.Column("first_registration_date", sa.Date(), nullable=False),
        sa.Column("mileage_km", sa.Integer(), nullable=False),
        sa.Column("asking_price_fen", sa.BigInteger(), nullable=False),
        sa.Column("invoice_price_fen", sa.BigInteger(), nullable=True),
        sa.Column("seller_type", sa.String(length=12), nullable=False),
        sa.Column("seller_name", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vehicle")),
    )
    with op.batch_alter_table("vehicle", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vehicle_vin"), ["vin"], unique=False)

    op.create_table(
        "api_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sp_id", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["sp_id"], ["service_provider.id"], name=op.f("fk_api_key_sp_id_service_provider")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_key")),
        sa.UniqueConstraint("prefix", name=op.f("uq_api_key_prefix")),
    )
    with op.batch_alter_table("api_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_key_sp_id"), ["sp_id"], unique=False)

    op.create_table(
        "application",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("sp_id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("vehicle_id", sa.Integer(), nullable=False),
        sa.Column("lead_source", sa.String(length=20), nullable=False),
        sa.Column("partner_name", sa.String(length=100), nullable=True),
        sa.Column("product_type", sa.String(length=20), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("term_months", sa.Integer(), nullable=False),
        sa.Column("down_payment_fen", sa.BigInteger(), nullable=False),
        sa.Column("monthly_budget_fen", sa.BigInteger(), nullable=True),
        sa.Column("device", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["applicant_id"], ["applicant.id"], name=op.f("fk_application_applicant_id_applicant")
        ),
        sa.ForeignKeyConstraint(
            ["sp_id"], ["service_provider.id"], name=op.f("fk_application_sp_id_service_provider")
        ),
        sa.ForeignKeyConstraint(
            ["vehicle_id"], ["vehicle.id"], name=op.f("fk_application_vehicle_id_vehicle")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application")),
    )
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.create_index(
            "ix_application_sp_id_submitted_at", ["sp_id", "submitted_at"], unique=False
        )

    op.create_table(
        "staff_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("sp_id", sa.Integer(), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["sp_id"], ["service_provider.id"], name=op.f("fk_staff_user_sp_id_service_provider")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_user")),
        sa.UniqueConstraint("username", name=op.f("uq_staff_user_username")),
    )
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_user_sp_id"), ["sp_id"], unique=False)

    op.create_table(
        "access_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["staff_user.id"], name=op.f("fk_access_token_user_id_staff_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_access_token_token_hash")),
    )
    with op.batch_alter_table("access_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_access_token_user_id"), ["user_id"], unique=False)

    op.create_table(
        "application_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("sp_id", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_application_link_application_id_application"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_link")),
    )
    with op.batch_alter_table("application_link", schema=None) as batch_op:
        batch_op.create_index(
            "ix_application_link_application_id", ["application_id"], unique=False
        )
        batch_op.create_index(
            "ix_application_link_kind_key_hash_submitted_at",
            ["kind", "key_hash", "submitted_at"],
            unique=False,
        )

    op.create_table(
        "application_status_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.String(length=40), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_application_status_event_application_id_application"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_status_event")),
    )
    with op.batch_alter_table("application_status_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_application_status_event_application_id"),
            ["application_id"],
            unique=False,
        )

    op.create_table(
        "decision",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("application_id", sa.String(length=40), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("offers", sa.JSON(), nullable=False),
        sa.Column("policy_key", sa.String(length=100), nullable=False),
        sa.Column("policy_version", sa.String(length=40), nullable=False),
        sa.Column("policy_hash", sa.String(length=64), nullable=False),
        sa.Column("model_versions", sa.JSON(), nullable=False),
        sa.Column("features", sa.JSON(), nullable=False),
        sa.Column("trace", sa.JSON(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_decision_application_id_application"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision")),
    )
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decision_application_id"), ["application_id"], unique=False
        )

    op.create_table(
        "idempotency_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sp_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("application_id", sa.String(length=40), nullable=True),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column("response_body", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_idempotency_record_application_id_application"),
        ),
        sa.ForeignKeyConstraint(
            ["sp_id"],
            ["service_provider.id"],
            name=op.f("fk_idempotency_record_sp_id_service_provider"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_record")),
        sa.UniqueConstraint("sp_id", "key", name=op.f("uq_idempotency_record_sp_id_key")),
    )


def downgrade() -> None:

    op.drop_table("idempotency_record")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_application_id"))

    op.drop_table("decision")
    with op.batch_alter_table("application_status_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_status_event_application_id"))

    op.drop_table("application_status_event")
    with op.batch_alter_table("application_link", schema=None) as batch_op:
        batch_op.drop_index("ix_application_link_kind_key_hash_submitted_at")
        batch_op.drop_index("ix_application_link_application_id")

    op.drop_table("application_link")
    with op.batch_alter_table("access_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_access_token_user_id"))

    op.drop_table("access_token")
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_user_sp_id"))

    op.drop_table("staff_user")
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_index("ix_application_sp_id_submitted_at")

    op.drop_table("application")
    with op.batch_alter_table("api_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_key_sp_id"))

    op.drop_table("api_key")
    with op.batch_alter_table("vehicle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vehicle_vin"))

    op.drop_table("vehicle")
    op.drop_table("service_provider")
    op.drop_table("audit_head")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_entity_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_action"))

    op.drop_table("audit_event")
    with op.batch_alter_table("applicant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applicant_uscc"))
        batch_op.drop_index(batch_op.f("ix_applicant_phone_bidx"))
        batch_op.drop_index(batch_op.f("ix_applicant_id_number_bidx"))
        batch_op.drop_index(batch_op.f("ix_applicant_bank_card_bidx"))

    op.drop_table("applicant")
