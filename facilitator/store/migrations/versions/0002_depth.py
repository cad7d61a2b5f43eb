"""Facilitation depth: timed phases, nudges, why, merges, quiet, audit trail, pairs, pending items.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

Only adds nullable columns, columns with a server default, and new tables, so a database
made by 0001 keeps every row.
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deadline', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('deadline_phase', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('nudge_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_sessions_deadline', ['deadline'], unique=False)
        batch_op.create_index('ix_sessions_nudge_at', ['nudge_at'], unique=False)
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quiet', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('why', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('merged_into', sa.Integer(), nullable=True))

    op.create_table('audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('actor_name', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_session_id'), ['session_id'], unique=False)

    op.create_table('pairs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('dont_number', sa.Integer(), nullable=False),
    sa.Column('do_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('session_id', 'dont_number', 'do_number', name='uq_pairs_link')
    )

    op.create_table('pending_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('pending_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_items_session_id'), ['session_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('pending_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_items_session_id'))
    op.drop_table('pending_items')
    op.drop_table('pairs')
    with op.batch_alter_table('audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_session_id'))
    op.drop_table('audit')
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_column('merged_into')
        batch_op.drop_column('why')
    with op.batch_alter_table('participants', schema=None) as batch_op:
        batch_op.drop_column('quiet')
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_sessions_nudge_at')
        batch_op.drop_index('ix_sessions_deadline')
        batch_op.drop_column('nudge_at')
        batch_op.drop_column('deadline_phase')
        batch_op.drop_column('deadline')
