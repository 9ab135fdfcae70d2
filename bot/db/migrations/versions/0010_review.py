"""conversation review: conversations and turns from the engine's events, reviewed flags, tags, corrections

Revision ID: 0010
Revises: 0009
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('review_conversations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.String(length=255), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('turns', sa.Integer(), nullable=False),
    sa.Column('min_confidence', sa.Float(), nullable=True),
    sa.Column('fallback', sa.Boolean(), nullable=False),
    sa.Column('emergency', sa.Boolean(), nullable=False),
    sa.Column('handoff', sa.Boolean(), nullable=False),
    sa.Column('complaint', sa.Boolean(), nullable=False),
    sa.Column('form_abandoned', sa.Boolean(), nullable=False),
    sa.Column('active_form', sa.String(length=64), nullable=True),
    sa.Column('requested_slot', sa.String(length=64), nullable=True),
    sa.Column('reviewed', sa.Boolean(), nullable=False),
    sa.Column('reviewed_by', sa.String(length=40), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    for column in ('last_at', 'min_confidence', 'fallback', 'emergency', 'handoff', 'complaint', 'form_abandoned',
                   'reviewed'):
        op.create_index(f'ix_review_conversations_{column}', 'review_conversations', [column], unique=False)
    op.create_index('ix_review_conversations_sender', 'review_conversations', ['sender_id', 'id'], unique=False)
    op.create_index('ix_review_conversations_channel_last', 'review_conversations', ['channel', 'last_at'],
                    unique=False)
    op.create_table('review_turns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('intent', sa.String(length=64), nullable=True),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.Column('entities', sa.JSON(), nullable=False),
    sa.Column('rule_override', sa.String(length=200), nullable=True),
    sa.Column('danger', sa.JSON(), nullable=True),
    sa.Column('replies', sa.JSON(), nullable=False),
    sa.Column('actions', sa.JSON(), nullable=False),
    sa.Column('slots', sa.JSON(), nullable=False),
    sa.Column('form', sa.String(length=64), nullable=True),
    sa.Column('corrected_intent', sa.String(length=64), nullable=True),
    sa.Column('corrected_by', sa.String(length=40), nullable=True),
    sa.Column('corrected_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['conversation_id'], ['review_conversations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_review_turns_conversation_seq', 'review_turns', ['conversation_id', 'seq'], unique=True)
    op.create_index('ix_review_turns_intent_conversation', 'review_turns', ['intent', 'conversation_id'],
                    unique=False)
    op.create_index('ix_review_turns_corrected_intent', 'review_turns', ['corrected_intent'], unique=False)
    op.create_table('review_tags',
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['review_conversations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('conversation_id', 'tag')
    )
    op.create_index('ix_review_tags_tag', 'review_tags', ['tag'], unique=False)
    op.create_table('review_cursors',
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('source')
    )


def downgrade() -> None:
    op.drop_table('review_cursors')
    op.drop_table('review_tags')
    op.drop_table('review_turns')
    op.drop_table('review_conversations')
