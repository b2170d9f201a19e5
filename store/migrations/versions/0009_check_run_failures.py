"""A partial index of the check runs that could not evaluate (the board counts a day's).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

FAILED = sa.text("error IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        "ix_check_runs_failures",
        "check_runs",
        ["account", "check_name", "started_at"],
        sqlite_where=FAILED,
        postgresql_where=FAILED,
    )


def downgrade() -> None:
    op.drop_index("ix_check_runs_failures", table_name="check_runs")
