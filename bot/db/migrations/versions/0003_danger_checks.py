"""danger checks: the message a danger question is about, per sender

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('danger_checks',
    sa.Column('sender', sa.String(length=200), nullable=False),
    sa.Column('inbound_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sender')
    )


def downgrade() -> None:
    op.drop_table('danger_checks')
