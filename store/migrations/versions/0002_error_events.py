"""The persisted error log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

from store.models import BigId
from store.types import JsonDict, UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "error_events",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("ts", UtcDateTime(), nullable=False),
        sa.Column("account", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("symbol", sa.String(64), nullable=True),
        sa.Column("code", sa.String(64), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("context", JsonDict, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_error_events")),
    )
    op.create_index(
        op.f("ix_error_events_account_kind_ts"), "error_events", ["account", "kind", "ts"]
    )
    op.create_index(op.f("ix_error_events_ts"), "error_events", ["ts"])


def downgrade() -> None:
    op.drop_index(op.f("ix_error_events_ts"), table_name="error_events")
    op.drop_index(op.f("ix_error_events_account_kind_ts"), table_name="error_events")
    op.drop_table("error_events")
