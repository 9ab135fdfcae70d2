"""conversation review: each listing filter indexed together with the listing's order (newest first)

Measured on 100,000 conversations (tests/bench/review.py): a deep page of "form abandoned" took 880 ms with
one index per flag (SQLite walked last_at and checked the flag); with (flag, last_at, id) it is under 1 ms.

Revision ID: 0011
Revises: 0010
"""
from __future__ import annotations

from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

FLAGS = ('fallback', 'emergency', 'handoff', 'complaint', 'form_abandoned', 'reviewed')


def upgrade() -> None:
    for column in ('last_at', *FLAGS):
        op.drop_index(f'ix_review_conversations_{column}', table_name='review_conversations')
    op.create_index('ix_review_conversations_last', 'review_conversations', ['last_at', 'id'], unique=False)
    for flag in FLAGS:
        op.create_index(f'ix_review_conversations_{flag}_last', 'review_conversations', [flag, 'last_at', 'id'],
                        unique=False)


def downgrade() -> None:
    for flag in FLAGS:
        op.drop_index(f'ix_review_conversations_{flag}_last', table_name='review_conversations')
    op.drop_index('ix_review_conversations_last', table_name='review_conversations')
    for column in ('last_at', *FLAGS):
        op.create_index(f'ix_review_conversations_{column}', 'review_conversations', [column], unique=False)
