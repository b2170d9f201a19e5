"""The markets cache: cron runs reuse the market list for exchange.markets_ttl_seconds.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from store.models import BigId
from store.types import UtcDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "markets_cache",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("account", sa.String(100), nullable=False),
        sa.Column("exchange", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("fetched_at", UtcDateTime(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_markets_cache")),
    )
    op.create_index(
        op.f("ix_markets_cache_account_exchange_kind"),
        "markets_cache",
        ["account", "exchange", "kind"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_markets_cache_account_exchange_kind"), table_name="markets_cache")
    op.drop_table("markets_cache")
