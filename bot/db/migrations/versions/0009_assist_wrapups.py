"""agent assist: wrap-ups of 12345 calls (the intent the agent confirmed or corrected, for review)

Revision ID: 0009
Revises: 0008
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('assist_wrapups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.String(length=40), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=True),
    sa.Column('agent_name', sa.String(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('model_intent', sa.String(length=40), nullable=True),
    sa.Column('model_confidence', sa.Float(), nullable=True),
    sa.Column('corrected_intent', sa.String(length=40), nullable=False),
    sa.Column('corrected', sa.Boolean(), nullable=False),
    sa.Column('programme', sa.String(length=20), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('case_number', sa.String(length=20), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('call_id')
    )
    op.create_index(op.f('ix_assist_wrapups_agent_name'), 'assist_wrapups', ['agent_name'], unique=False)
    op.create_index(op.f('ix_assist_wrapups_at'), 'assist_wrapups', ['at'], unique=False)
    op.create_index(op.f('ix_assist_wrapups_corrected'), 'assist_wrapups', ['corrected'], unique=False)
    op.create_index(op.f('ix_assist_wrapups_corrected_intent'), 'assist_wrapups', ['corrected_intent'], unique=False)


def downgrade() -> None:
    op.drop_table('assist_wrapups')
