"""referral queue: extensions and escalations on referral events, notices for web-chat residents

Revision ID: 0008
Revises: 0007
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('referral_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('approver', sa.String(length=40), nullable=True))
    op.create_table('resident_notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sender', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('shown_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('resident_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resident_notices_sender'), ['sender'], unique=False)
        batch_op.create_index(batch_op.f('ix_resident_notices_shown_at'), ['shown_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('resident_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resident_notices_shown_at'))
        batch_op.drop_index(batch_op.f('ix_resident_notices_sender'))
    op.drop_table('resident_notices')
    with op.batch_alter_table('referral_events', schema=None) as batch_op:
        batch_op.drop_column('approver')
        batch_op.drop_column('days')
