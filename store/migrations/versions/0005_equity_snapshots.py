"""Equity snapshots: the baselines of daily_loss, weekly_loss and drawdown.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

from store.models import BigId
from store.types import UtcDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "equity_snapshots",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("account", sa.String(100), nullable=False),
        sa.Column("currency", sa.String(16), nullable=False),
        sa.Column("ts", UtcDateTime(), nullable=False),
        sa.Column("equity", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_equity_snapshots")),
    )
    op.create_index(
        op.f("ix_equity_snapshots_account_currency_ts"),
        "equity_snapshots",
        ["account", "currency", "ts"],
    )
    op.create_index(
        op.f("ix_equity_snapshots_account_currency_equity"),
        "equity_snapshots",
        ["account", "currency", "equity"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_equity_snapshots_account_currency_equity"), table_name="equity_snapshots"
    )
    op.drop_index(op.f("ix_equity_snapshots_account_currency_ts"), table_name="equity_snapshots")
    op.drop_table("equity_snapshots")
