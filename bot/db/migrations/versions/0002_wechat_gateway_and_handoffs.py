"""wechat gateway and handoffs

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('handoffs',
    sa.Column('sender', sa.String(length=200), nullable=False),
    sa.Column('since', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('staff', sa.String(length=80), nullable=True),
    sa.PrimaryKeyConstraint('sender')
    )
    op.create_table('wechat_followers',
    sa.Column('openid', sa.String(length=64), nullable=False),
    sa.Column('subscribed', sa.Boolean(), nullable=False),
    sa.Column('last_inbound_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('openid')
    )
    op.create_table('wechat_inbound',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('msg_key', sa.String(length=120), nullable=False),
    sa.Column('openid', sa.String(length=64), nullable=False),
    sa.Column('msg_type', sa.String(length=40), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('passive_reply', sa.Text(), nullable=True),
    sa.Column('retries_seen', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('msg_key')
    )
    with op.batch_alter_table('wechat_inbound', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wechat_inbound_openid'), ['openid'], unique=False)
        batch_op.create_index(batch_op.f('ix_wechat_inbound_received_at'), ['received_at'], unique=False)

    op.create_table('wechat_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('openid', sa.String(length=64), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('wechat_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wechat_outbox_next_attempt_at'), ['next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_wechat_outbox_openid'), ['openid'], unique=False)
        batch_op.create_index(batch_op.f('ix_wechat_outbox_status'), ['status'], unique=False)

    op.create_table('wechat_tokens',
    sa.Column('app_id', sa.String(length=40), nullable=False),
    sa.Column('token', sa.String(length=600), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('app_id')
    )


def downgrade() -> None:
    op.drop_table('wechat_tokens')
    with op.batch_alter_table('wechat_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wechat_outbox_status'))
        batch_op.drop_index(batch_op.f('ix_wechat_outbox_openid'))
        batch_op.drop_index(batch_op.f('ix_wechat_outbox_next_attempt_at'))

    op.drop_table('wechat_outbox')
    with op.batch_alter_table('wechat_inbound', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wechat_inbound_received_at'))
        batch_op.drop_index(batch_op.f('ix_wechat_inbound_openid'))

    op.drop_table('wechat_inbound')
    op.drop_table('wechat_followers')
    op.drop_table('handoffs')
