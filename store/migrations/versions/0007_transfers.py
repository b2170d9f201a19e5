"""Transfers: deposits and withdrawals move the loss checks' baselines.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from store.models import BigId
from store.types import UtcDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "transfers",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("account", sa.String(100), nullable=False),
        sa.Column("currency", sa.String(16), nullable=False),
        sa.Column("ts", UtcDateTime(), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("ref", sa.String(200), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transfers")),
    )
    op.create_index(
        op.f("ix_transfers_account_currency_ts"), "transfers", ["account", "currency", "ts"]
    )
    op.create_index(
        op.f("ix_transfers_account_source_ref"),
        "transfers",
        ["account", "source", "ref"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_transfers_account_source_ref"), table_name="transfers")
    op.drop_index(op.f("ix_transfers_account_currency_ts"), table_name="transfers")
    op.drop_table("transfers")
