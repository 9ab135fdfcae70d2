"""conversation review: keys of the events already folded, so a message the queue delivers twice makes one turn

Revision ID: 0014
Revises: 0013
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('review_event_keys',
                    sa.Column('key', sa.String(length=32), nullable=False),
                    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
                    sa.PrimaryKeyConstraint('key'))
    op.create_index('ix_review_event_keys_seen_at', 'review_event_keys', ['seen_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_review_event_keys_seen_at', table_name='review_event_keys')
    op.drop_table('review_event_keys')
