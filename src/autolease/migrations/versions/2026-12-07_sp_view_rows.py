"""Stored rows an SP is shown: corporate names masked, stored responses in the SP view.

- ``applicant.name_masked`` held a corporate lessee's name in plaintext (the name itself is
  in ``name_enc``, encrypted, as an individual's is); it now holds the masked form.
- ``idempotency_record.response_body`` (a submit response, replayed for a retried key) is
  rewritten to the SP view: the status history names the actor's role (at submission, the
  SP itself) and carries no note, and a corporate name is masked.

The masking is written out here so that this migration keeps doing what it did. There is no
way back: the downgrade leaves the masked values.

Revision ID: 0004_sp_view_rows
Revises: 0001
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004_sp_view_rows"
down_revision = "0001"
branch_labels = None
depends_on = None

PAGE = 1000
applicant = sa.table(
    "applicant", sa.column("id", sa.Integer), sa.column("kind"), sa.column("name_masked")
)
record = sa.table(
    "idempotency_record", sa.column("id", sa.Integer), sa.column("response_body", sa.JSON)
)


def mask_company_name(value: str) -> str:
    if len(value) <= 4:
        return "*" * len(value)
    return value[:2] + "*" * (len(value) - 4) + value[-2:]


def sp_view(body: dict[str, Any]) -> dict[str, Any]:
    history = [
        {k: v for k, v in event.items() if k != "note"} | {"actor": "sp"}
        for event in body.get("status_history", [])
    ]
    person = dict(body.get("applicant") or {})
    if person.get("kind") == "corporate" and "*" not in str(person.get("name", "*")):
        person["name"] = mask_company_name(person["name"])
    return body | {"status_history": history, "applicant": person}


def upgrade() -> None:
    bind = op.get_bind()
    corporate = sa.select(applicant.c.id, applicant.c.name_masked).where(
        applicant.c.kind == "corporate"
    )
    for row_id, name in bind.execute(corporate).all():
        if "*" in name:  # already masked
            continue
        bind.execute(
            applicant.update()
            .where(applicant.c.id == row_id)
            .values(name_masked=mask_company_name(name))
        )
    last = 0
    while True:
        page = bind.execute(
            sa.select(record.c.id, record.c.response_body)
            .where(record.c.id > last)
            .order_by(record.c.id)
            .limit(PAGE)
        ).all()
        for row_id, body in page:
            if not isinstance(body, dict):  # in flight: no response yet
                continue
            bind.execute(
                record.update().where(record.c.id == row_id).values(response_body=sp_view(body))
            )
        if len(page) < PAGE:
            break
        last = page[-1][0]


def downgrade() -> None:
    """Nothing to undo: the plaintext names and staff-view bodies are not restored."""
