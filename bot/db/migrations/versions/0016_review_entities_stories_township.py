"""conversation review: entities corrected per turn, conversations saved as test stories, the township a form named
(filtered like the flags: township, then newest first); the township filled in from the turns already folded

Revision ID: 0016
Revises: 0015
"""
from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

PLACE_SLOTS = ("place", "report_place", "urgent_place")   # bot/staff/review/events.py


def upgrade() -> None:
    with op.batch_alter_table('review_conversations') as batch:
        batch.add_column(sa.Column('township', sa.String(length=12), nullable=True))
    op.create_index('ix_review_conversations_township_last', 'review_conversations',
                    ['township', 'last_at', 'id'], unique=False)
    with op.batch_alter_table('review_turns') as batch:
        batch.add_column(sa.Column('corrected_entities', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('entities_by', sa.String(length=40), nullable=True))
        batch.add_column(sa.Column('entities_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('ix_review_turns_entities_at', 'review_turns', ['entities_at'], unique=False)
    op.create_table('review_stories',
                    sa.Column('conversation_id', sa.Integer(), nullable=False),
                    sa.Column('saved_by', sa.String(length=40), nullable=False),
                    sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
                    sa.ForeignKeyConstraint(['conversation_id'], ['review_conversations.id'], ondelete='CASCADE'),
                    sa.PrimaryKeyConstraint('conversation_id'))
    op.create_index('ix_review_stories_saved_at', 'review_stories', ['saved_at'], unique=False)
    _backfill_township()


def _backfill_township() -> None:
    """The last place slot with a township code in each conversation's turns (only turns that set one are read)."""
    db = op.get_bind()
    found: dict[int, str] = {}
    rows = db.execute(sa.text("select conversation_id, slots from review_turns "
                              "where cast(slots as text) like '%place%' order by conversation_id, seq"))
    for conversation_id, slots in rows:
        slots = json.loads(slots) if isinstance(slots, str) else slots or {}
        for name in PLACE_SLOTS:
            value = slots.get(name) if isinstance(slots, dict) else None
            if isinstance(value, dict) and value.get("code"):
                found[conversation_id] = str(value["code"])[:12]
    for conversation_id, code in found.items():
        db.execute(sa.text("update review_conversations set township = :code where id = :id"),
                   {"code": code, "id": conversation_id})


def downgrade() -> None:
    op.drop_index('ix_review_stories_saved_at', table_name='review_stories')
    op.drop_table('review_stories')
    op.drop_index('ix_review_turns_entities_at', table_name='review_turns')
    with op.batch_alter_table('review_turns') as batch:
        batch.drop_column('entities_at')
        batch.drop_column('entities_by')
        batch.drop_column('corrected_entities')
    op.drop_index('ix_review_conversations_township_last', table_name='review_conversations')
    with op.batch_alter_table('review_conversations') as batch:
        batch.drop_column('township')

