"""Facilitation features: timed phases, nudges, why, merges, quiet, audit trail, pairs, pending items.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

Only adds nullable columns, columns with a server default, and new tables, so a database
made by 0001 keeps every row. Columns are added with plain ALTER TABLE, never batch mode:
on SQLite batch mode rebuilds a table by dropping it, and with foreign keys on, dropping
`participants` would cascade-delete every item and vote.
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('sessions', sa.Column('deadline', sa.DateTime(timezone=True), nullable=True))
    op.add_column('sessions', sa.Column('deadline_phase', sa.String(length=16), nullable=True))
    op.add_column('sessions', sa.Column('nudge_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('ix_sessions_deadline', 'sessions', ['deadline'], unique=False)
    op.create_index('ix_sessions_nudge_at', 'sessions', ['nudge_at'], unique=False)
    op.add_column('participants', sa.Column('quiet', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('items', sa.Column('why', sa.Text(), nullable=True))
    op.add_column('items', sa.Column('merged_into', sa.Integer(), nullable=True))

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
    # DROP COLUMN directly (SQLite 3.35+), for the same reason as above.
    op.drop_column('items', 'merged_into')
    op.drop_column('items', 'why')
    op.drop_column('participants', 'quiet')
    op.drop_index('ix_sessions_nudge_at', table_name='sessions')
    op.drop_index('ix_sessions_deadline', table_name='sessions')
    op.drop_column('sessions', 'nudge_at')
    op.drop_column('sessions', 'deadline_phase')
    op.drop_column('sessions', 'deadline')
