"""complaints: idempotency key and reference number on alerts

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('idempotency_key', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('reference', sa.String(length=20), nullable=True))
        batch_op.create_index(batch_op.f('ix_alerts_idempotency_key'), ['idempotency_key'], unique=True)
        batch_op.create_index(batch_op.f('ix_alerts_reference'), ['reference'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alerts_reference'))
        batch_op.drop_index(batch_op.f('ix_alerts_idempotency_key'))
        batch_op.drop_column('reference')
        batch_op.drop_column('idempotency_key')
