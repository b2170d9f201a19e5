"""JSON-lines ingestion cursors and housekeeping timestamps for the error log.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

from store.types import UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "error_log_cursors",
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("path", sa.String(1024), nullable=False),
        sa.Column("file_id", sa.String(64), nullable=True),
        sa.Column("fingerprint", sa.String(64), nullable=True),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("line_number", sa.BigInteger(), nullable=False),
        sa.Column("lines_ingested", sa.BigInteger(), nullable=False),
        sa.Column("bad_lines", sa.BigInteger(), nullable=False),
        sa.Column("last_bad_line", sa.Text(), nullable=True),
        sa.Column("last_bad_at", UtcDateTime(), nullable=True),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("host", "path", name=op.f("pk_error_log_cursors")),
    )
    op.create_table(
        "maintenance_runs",
        sa.Column("task", sa.String(64), nullable=False),
        sa.Column("last_run_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("task", name=op.f("pk_maintenance_runs")),
    )


def downgrade() -> None:
    op.drop_table("maintenance_runs")
    op.drop_table("error_log_cursors")
