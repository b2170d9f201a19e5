"""Initial schema: check runs and alert state.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

from store.types import JsonDict, UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "check_runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account", sa.String(100), nullable=False),
        sa.Column("check_name", sa.String(64), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=False),
        sa.Column("duration_ms", sa.Float(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_runs")),
    )
    op.create_index(
        op.f("ix_check_runs_account_check_name_started_at"),
        "check_runs",
        ["account", "check_name", "started_at"],
    )
    op.create_table(
        "alerts",
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("account", sa.String(100), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("firing", sa.Boolean(), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("last_status", sa.String(16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("context", JsonDict, nullable=False),
        sa.Column("first_seen", UtcDateTime(), nullable=True),
        sa.Column("last_seen", UtcDateTime(), nullable=True),
        sa.Column("resolved_at", UtcDateTime(), nullable=True),
        sa.Column("last_evaluated_at", UtcDateTime(), nullable=False),
        sa.Column("state_since", UtcDateTime(), nullable=False),
        sa.Column("last_notified_at", UtcDateTime(), nullable=True),
        sa.Column("notified_severity", sa.String(16), nullable=True),
        sa.Column("notification_count", sa.Integer(), nullable=False),
        sa.Column("escalated_at", UtcDateTime(), nullable=True),
        sa.Column("acknowledged_at", UtcDateTime(), nullable=True),
        sa.Column("acknowledged_by", sa.String(100), nullable=True),
        sa.Column("consecutive_unknown", sa.Integer(), nullable=False),
        sa.Column("unknown_since", UtcDateTime(), nullable=True),
        sa.Column("unknown_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_alerts")),
    )
    op.create_index(op.f("ix_alerts_account_name"), "alerts", ["account", "name"], unique=True)


def downgrade() -> None:
    op.drop_index(op.f("ix_alerts_account_name"), table_name="alerts")
    op.drop_table("alerts")
    op.drop_index(op.f("ix_check_runs_account_check_name_started_at"), table_name="check_runs")
    op.drop_table("check_runs")
