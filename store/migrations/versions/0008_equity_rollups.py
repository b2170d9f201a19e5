"""Equity rollups: each time slice's first and last time, lowest and highest equity.

Filled from the snapshots already stored.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

from store.equity_snapshots import rebuild_all_rollups
from store.types import UtcDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "equity_rollups",
        sa.Column("account", sa.String(100), nullable=False),
        sa.Column("currency", sa.String(16), nullable=False),
        sa.Column("width", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("bucket", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("first_ts", UtcDateTime(), nullable=False),
        sa.Column("last_ts", UtcDateTime(), nullable=False),
        sa.Column("low", sa.Float(), nullable=False),
        sa.Column("high", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint(
            "account", "currency", "width", "bucket", name=op.f("pk_equity_rollups")
        ),
    )
    with Session(bind=op.get_bind()) as session:
        rebuild_all_rollups(session)


def downgrade() -> None:
    op.drop_table("equity_rollups")
