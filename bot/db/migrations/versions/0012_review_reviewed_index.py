"""conversation review: no index on `reviewed` (SQLite took it for "emergency, not reviewed" and walked 86% of
the table: 540 ms on 100,000 conversations; without it the emergency index is used)

Revision ID: 0012
Revises: 0011
"""
from __future__ import annotations

from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_review_conversations_reviewed_last', table_name='review_conversations')


def downgrade() -> None:
    op.create_index('ix_review_conversations_reviewed_last', 'review_conversations', ['reviewed', 'last_at', 'id'],
                    unique=False)
