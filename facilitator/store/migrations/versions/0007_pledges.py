"""Pledges: what each person will give back, with their follow-ups.

Revision ID: 0007
Revises: 0003
Create Date: 2026-12-06

Adds the pledges table, and to sessions the follow-up period (default 7 days, kept for every
existing session through the server default) and the counter pledges are numbered from.
Nullable columns and columns with server defaults, added with plain ALTER TABLE (see 0002).
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('sessions', sa.Column('followup', sa.Integer(), server_default=sa.text('604800'), nullable=True))
    op.add_column('sessions', sa.Column('pledge_count', sa.Integer(), server_default=sa.text('0'), nullable=False))
    op.create_table('pledges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('tenant', sa.String(length=64), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('channel', sa.String(length=64), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('owner', sa.String(length=64), nullable=False),
    sa.Column('owner_name', sa.String(length=100), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('item', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('pledged_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('dropped_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('followups', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('session_id', 'number', name='uq_pledges_number')
    )
    op.create_index('ix_pledges_due_at', 'pledges', ['due_at'], unique=False)
    op.create_index('ix_pledges_channel', 'pledges', ['tenant', 'platform', 'channel'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_pledges_channel', table_name='pledges')
    op.drop_index('ix_pledges_due_at', table_name='pledges')
    op.drop_table('pledges')
    op.drop_column('sessions', 'pledge_count')
    op.drop_column('sessions', 'followup')
